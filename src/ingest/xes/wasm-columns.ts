/**
 * The raw columns of a compiled log from an XES body the WASM scanner read: what XesReader
 * and the log builder would have made of the same events, value by value. Date, int and
 * float columns come as numbers; a boolean column is typed from its distinct texts, each
 * read once, by the rules of `typeValue`. A column whose values would take two kinds (a
 * boolean column holding "maybe" besides "true") becomes text in the builder only after a
 * history of degradations this side does not replay, so such a body answers null and the JS
 * readers read the document.
 * @internal
 */
import {
  LogBuilder, type RawColumns, type TypedColumn, transitionOf,
} from '../../log/log-builder.js';
import type { RawColumn } from '../../log/raw-column.js';
import type { LifecycleMode } from '../../log/log-builder.js';
import { XES_TYPE } from './xes-values.js';
import type { ScannedBody, ScannedColumn } from './wasm-xes-scanner.js';

/** A builder holding the body's columns, or null when a column mixes kinds. */
export function builderOfBody(body: ScannedBody, lifecycle: LifecycleMode): LogBuilder | null {
  const events: TypedColumn[] = [];
  const cases: TypedColumn[] = [];
  for (const scanned of body.columns) {
    const column = typedColumn(scanned);
    if (column === undefined) continue;
    if (column === null) return null;
    (scanned.trace ? cases : events).push({ name: scanned.name, column });
  }
  // No transition, no start time, no resource: none at all, which the builder finishes as it
  // does all-none columns (every event instant, no resource column), without the arrays.
  let transition: Int8Array | null = null;
  if (body.lifecycleOf !== null) {
    const kinds = Int8Array.from(body.lifecycles, (text) => transitionOf(text));
    const none = transitionOf(null);
    const n = body.lifecycleOf.length;
    transition = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      const code = body.lifecycleOf[i];
      transition[i] = code < 0 ? none : kinds[code];
    }
  }
  const columns: RawColumns = {
    caseIds: body.caseIds, caseOf: body.caseOf,
    activities: body.activities, activityOf: body.activityOf,
    time: body.time, start: body.start, transition,
    resources: body.resources, resourceOf: body.resourceOf,
    attributes: [], typed: { events, cases },
  };
  return LogBuilder.fromColumns({ lifecycle, parseTime: null }, columns);
}

/**
 * The column as the builder would finish it; undefined when it holds no value (the builder
 * drops it), null when its values take two kinds.
 */
function typedColumn(scanned: ScannedColumn): RawColumn | null | undefined {
  if (scanned.numbers !== null) {
    // Every value read in its type (the scanner gives up on one that does not).
    if (!scanned.numbers.some((x) => !Number.isNaN(x))) return undefined;
    const kind = scanned.xesType === XES_TYPE.date ? 'time' : 'number';
    return { kind, values: scanned.numbers };
  }
  const { codes, texts } = scanned;
  if (texts.length === 0) return undefined;
  if (scanned.xesType === XES_TYPE.boolean) {
    const flags = Int8Array.from(texts, booleanOf);
    const read = flags.filter((v) => v >= 0).length;
    if (read === flags.length) return { kind: 'boolean', codes, byCode: flags };
    if (read > 0) return null;
  }
  return { kind: 'string', codes, dictionary: texts };
}

/** xs:boolean as `typeValue` reads it: 1, 0, or -1 for text that is none. */
function booleanOf(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return 1;
  if (t === 'false' || t === '0') return 0;
  return -1;
}
