/**
 * The raw columns of a compiled log from an XES body the WASM scanner read: what XesReader
 * and the log builder would have made of the same events, value by value. Each attribute
 * column is typed from its distinct texts, each read once, by the rules of `typeValue`; a
 * column whose values would take two kinds (an int column holding "n/a" besides numbers)
 * becomes text in the builder only after a history of degradations this side does not
 * replay, so such a body answers null and the JS readers read the document.
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
  const kinds = Int8Array.from(body.lifecycles, (text) => transitionOf(text));
  const none = transitionOf(null);
  const n = body.lifecycleOf.length;
  const transition = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const code = body.lifecycleOf[i];
    transition[i] = code < 0 ? none : kinds[code];
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
  if (scanned.times !== null) {
    // Every date read (the scanner gives up on one that does not): a time column.
    return scanned.times.some((t) => !Number.isNaN(t))
      ? { kind: 'time', values: scanned.times } : undefined;
  }
  if (scanned.size === 0) return undefined;
  const codes = scanned.codes as Int32Array;
  const text = (): RawColumn => ({ kind: 'string', codes, dictionary: scanned.texts() });
  switch (scanned.xesType) {
    case XES_TYPE.int:
    case XES_TYPE.float: {
      const numbers = numbersOf(scanned);
      const read = numbers.filter((v) => !Number.isNaN(v)).length;
      if (read === numbers.length) return { kind: 'number', codes, byCode: numbers };
      return read === 0 ? text() : null;
    }
    case XES_TYPE.boolean: {
      const flags = Int8Array.from(scanned.texts(), booleanOf);
      const read = flags.filter((v) => v >= 0).length;
      if (read === flags.length) return { kind: 'boolean', codes, byCode: flags };
      return read === 0 ? text() : null;
    }
    default:
      return text();
  }
}

/**
 * The number `typeValue` reads from each distinct text of an int or float column: from the
 * bytes for a plain decimal (the same double: digits and a power of ten both exact, one
 * rounding), else from the text.
 */
function numbersOf(scanned: ScannedColumn): Float64Array {
  const numbers = scanned.decimals();
  let texts: string[] | null = null;
  for (let code = 0; code < numbers.length; code++) {
    if (!Number.isNaN(numbers[code])) continue;
    texts ??= scanned.texts();
    const t = texts[code];
    numbers[code] = t.trim() === '' ? NaN : Number(t);
  }
  return numbers;
}

/** xs:boolean as `typeValue` reads it: 1, 0, or -1 for text that is none. */
function booleanOf(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return 1;
  if (t === 'false' || t === '0') return 0;
  return -1;
}
