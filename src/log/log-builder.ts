/**
 * Turns a stream of raw events into a {@link CompiledLog}.
 *
 * Importers call {@link LogBuilder.addEvent} once per source row or XES event, in file order,
 * then {@link LogBuilder.finish}. Finishing sorts events by case, then time, then file position
 * (a stable order), pairs lifecycle start/complete events into activity instances, and types
 * the attribute columns.
 */
import { LedgerflowError } from '../errors.js';
import { AttributeBuilder, type RawValue, type TimeParser } from './attribute-builder.js';
import type {
  AttributeColumn, AttributeKind, CompiledLog, LifecycleSummary, LogInfo,
} from './compiled-log.js';
import { permute, promoteCaseColumns } from './case-columns.js';
import { Dictionary, Growable } from './growable.js';
import { sortByCaseTimePosition } from './stable-order.js';

/** How lifecycle transitions are treated. */
export type LifecycleMode =
  /** start/complete of one activity become one instance with a start and an end time. */
  | 'pair'
  /** every event is an instant event, whatever its transition says. */
  | 'ignore';

/** Options of a {@link LogBuilder}. */
export interface LogBuilderOptions {
  lifecycle?: LifecycleMode;
  /**
   * Move event columns that hold one value per case (possibly only on the case's first event)
   * into the case table. Right for flat tables (CSV, Parquet); XES says where attributes sit.
   */
  promoteCaseAttributes?: boolean;
  /** Used to recognise timestamp columns among text attributes; null to keep them text. */
  parseTime?: TimeParser | null;
}

/** Whole raw columns for {@link LogBuilder.fromColumns}; one entry per raw event. */
export interface RawColumns {
  caseIds: string[];
  caseOf: Int32Array;
  activities: string[];
  activityOf: Int32Array;
  /** End times, epoch ms. */
  time: Float64Array;
  /** Start times (NaN for none), or null for none at all. */
  start: Float64Array | null;
  /** Transitions as {@link transitionOf} gives them, or null for none at all. */
  transition: Int8Array | null;
  resources: string[];
  /** Resource codes, -1 for none; null when there is no resource column. */
  resourceOf: Int32Array | null;
  /** Text attribute columns, in the order their first values appear. */
  attributes: { name: string; codes: Int32Array; values: string[] }[];
}

/** The compiled event columns, in (case, start, position) order, before the attributes. */
interface EventColumns {
  offsets: Int32Array;
  activity: Int32Array;
  end: Float64Array;
  start: Float64Array;
  resource: Int32Array | null;
  /** Per event, the raw event it ends with (its attributes' row). */
  sourceIndex: Int32Array;
  hasIntervals: boolean;
  summary: LifecycleSummary;
}

const TRANSITION_NONE = 0;
const TRANSITION_START = 1;
const TRANSITION_COMPLETE = 2;
const TRANSITION_OTHER = 3;

/** Accumulates raw events and compiles them. */
export class LogBuilder {
  readonly #options: Required<LogBuilderOptions>;
  #cases = new Dictionary();
  #activities = new Dictionary();
  #resources = new Dictionary();
  #caseOf: Growable<Int32Array> = new Growable(Int32Array);
  #activityOf: Growable<Int32Array> = new Growable(Int32Array);
  #time: Growable<Float64Array> = new Growable(Float64Array, NaN);
  #start: Growable<Float64Array> = new Growable(Float64Array, NaN);
  #transition: Growable<Int8Array> = new Growable(Int8Array);
  #resourceOf: Growable<Int32Array> = new Growable(Int32Array, -1);
  readonly #eventAttributes = new Map<string, AttributeBuilder>();
  readonly #caseAttributes = new Map<string, AttributeBuilder>();
  #hasResource = false;

  constructor(options: LogBuilderOptions = {}) {
    this.#options = {
      lifecycle: options.lifecycle ?? 'pair',
      promoteCaseAttributes: options.promoteCaseAttributes ?? false,
      parseTime: options.parseTime ?? null,
    };
  }

  /**
   * A builder holding whole columns read by a columnar importer, as if each row had been
   * added with {@link LogBuilder.addEvent} and its attributes set, in file order.
   * @internal
   */
  static fromColumns(options: LogBuilderOptions, columns: RawColumns): LogBuilder {
    const builder = new LogBuilder(options);
    const count = columns.caseOf.length;
    builder.#cases = new Dictionary(columns.caseIds);
    builder.#activities = new Dictionary(columns.activities);
    builder.#resources = new Dictionary(columns.resources);
    builder.#caseOf = Growable.of(Int32Array, columns.caseOf);
    builder.#activityOf = Growable.of(Int32Array, columns.activityOf);
    builder.#time = Growable.of(Float64Array, columns.time, NaN);
    builder.#start = Growable.of(Float64Array, columns.start ?? new Float64Array(count).fill(NaN),
      NaN);
    builder.#transition = Growable.of(Int8Array, columns.transition ?? new Int8Array(count));
    if (columns.resourceOf !== null && columns.resources.length > 0) {
      builder.#resourceOf = Growable.of(Int32Array, columns.resourceOf, -1);
      builder.#hasResource = true;
    }
    for (const attribute of columns.attributes) {
      builder.#eventAttributes.set(attribute.name, new AttributeBuilder(attribute.name, attribute));
    }
    return builder;
  }

  /** Number of raw events added so far. */
  get eventCount(): number {
    return this.#caseOf.length;
  }

  /** Declares a case, so that a case without events (an empty XES trace) is kept. */
  addCase(caseId: string): void {
    this.#cases.code(caseId);
  }

  /**
   * Adds one raw event. `time` is the end (or only) time in epoch ms; `start` is NaN unless the
   * source has a separate start column; `lifecycle` is the transition text or null.
   */
  addEvent(
    caseId: string,
    activity: string,
    time: number,
    start = NaN,
    lifecycle: string | null = null,
    resource: string | null = null,
  ): void {
    this.#caseOf.push(this.#cases.code(caseId));
    this.#activityOf.push(this.#activities.code(activity));
    this.#time.push(time);
    this.#start.push(start);
    this.#transition.push(transitionOf(lifecycle));
    if (resource !== null && resource !== '') {
      this.#hasResource = true;
      this.#resourceOf.set(this.eventCount - 1, this.#resources.code(resource));
    }
  }

  /**
   * Rewrites the end time (or, with `which` 'start', the start time) of raw event `index`, for
   * an importer that learns late how a column's dates read (day-first or month-first).
   */
  setEventTime(index: number, time: number, which: 'end' | 'start' = 'end'): void {
    if (which === 'end') this.#time.set(index, time);
    else this.#start.set(index, time);
  }

  /** Sets an attribute of the event added last. */
  setEventAttribute(name: string, value: RawValue, kind?: AttributeKind): void {
    this.eventAttributeBuilder(name).set(this.eventCount - 1, value, kind);
  }

  /**
   * The collector of event attribute `name`, created on first use (which fixes the column's
   * place in the result). A table importer keeps one per column and calls `set(eventIndex, …)`
   * itself, instead of looking the name up for every cell.
   * @internal
   */
  eventAttributeBuilder(name: string): AttributeBuilder {
    let column = this.#eventAttributes.get(name);
    if (column === undefined) {
      column = new AttributeBuilder(name);
      this.#eventAttributes.set(name, column);
    }
    return column;
  }

  /** Sets an attribute of a case (declaring the case if new). */
  setCaseAttribute(caseId: string, name: string, value: RawValue, kind?: AttributeKind): void {
    const code = this.#cases.code(caseId);
    let column = this.#caseAttributes.get(name);
    if (column === undefined) {
      column = new AttributeBuilder(name);
      this.#caseAttributes.set(name, column);
    }
    column.set(code, value, kind);
  }

  /** Sorts, pairs and types everything added; the builder must not be used afterwards. */
  finish(info: Omit<LogInfo, 'lifecycle'>): CompiledLog {
    const rawCount = this.eventCount;
    const caseCount = this.#cases.size;
    const caseOf = this.#caseOf.data;
    const time = this.#time.data;
    for (let i = 0; i < rawCount; i++) {
      if (Number.isNaN(time[i])) {
        throw new LedgerflowError('LF_ERR_INGEST_BAD_TIMESTAMP',
          `event ${i + 1} has no timestamp; every event needs one`);
      }
    }

    const rawOrder = sortByCaseTimePosition(caseOf, time, rawCount, caseCount);
    // Without transitions or start times every raw event is its own instance, already in
    // (case, start, position) order: the pairing walk and the second sort would change nothing.
    const plain = this.#instantOnly(rawCount);
    const { offsets, activity, end, start, resource, sourceIndex, hasIntervals, summary } = plain
      ? this.#instantColumns(rawOrder, rawCount, caseCount)
      : this.#pairedColumns(rawOrder, rawCount, caseCount);
    const count = activity.length;

    const eventAttributes = new Map<string, AttributeColumn>();
    for (const [name, builder] of this.#eventAttributes) {
      if (builder.empty) continue;
      const raw = builder.finish(rawCount, this.#options.parseTime);
      eventAttributes.set(name, permute(raw, sourceIndex));
    }

    const caseAttributes = new Map<string, AttributeColumn>();
    for (const [name, builder] of this.#caseAttributes) {
      if (builder.empty) continue;
      caseAttributes.set(name, builder.finish(caseCount, this.#options.parseTime));
    }
    if (this.#options.promoteCaseAttributes) {
      promoteCaseColumns(eventAttributes, caseAttributes, offsets);
    }

    return {
      caseCount,
      eventCount: count,
      caseIds: this.#cases.values,
      activities: this.#activities.values,
      resources: this.#resources.values,
      offsets,
      activity,
      time: end,
      start: hasIntervals ? start : end,
      hasIntervals,
      resource,
      eventAttributes,
      caseAttributes,
      info: { ...info, lifecycle: summary },
    };
  }

  /**
   * The event columns when every raw event is its own instant instance: one pass over the
   * (case, time, position) order, each column written once (no instance arrays, no identity
   * order, no start column: it would equal the end column).
   */
  #instantColumns(rawOrder: Int32Array, rawCount: number, caseCount: number): EventColumns {
    const caseOf = this.#caseOf.data;
    const activityOf = this.#activityOf.data;
    const time = this.#time.data;
    const offsets = new Int32Array(caseCount + 1);
    const activity = new Int32Array(rawCount);
    const end = new Float64Array(rawCount);
    const resource = this.#hasResource ? new Int32Array(rawCount) : null;
    for (let k = 0; k < rawCount; k++) {
      const i = rawOrder[k];
      offsets[caseOf[i] + 1]++;
      activity[k] = activityOf[i];
      end[k] = time[i];
    }
    if (resource !== null) {
      const resourceOf = this.#resourceOf;
      for (let k = 0; k < rawCount; k++) resource[k] = resourceOf.get(rawOrder[k]);
    }
    for (let c = 0; c < caseCount; c++) offsets[c + 1] += offsets[c];
    const summary: LifecycleSummary = {
      rawEvents: rawCount, pairedInstances: 0, unpairedStarts: 0, unpairedCompletes: 0,
      otherTransitions: 0,
    };
    return {
      offsets, activity, end, start: end, resource, sourceIndex: rawOrder, hasIntervals: false,
      summary,
    };
  }

  /** The event columns of activity instances formed by pairing (or with start times). */
  #pairedColumns(rawOrder: Int32Array, rawCount: number, caseCount: number): EventColumns {
    const caseOf = this.#caseOf.data;
    const { instances, summary } = this.#formInstances(rawOrder, rawCount);
    const count = instances.startIndex.length;

    // Instances are ordered by their start, so re-sort within each case (stable).
    const caseOfInstance = new Int32Array(count);
    for (let k = 0; k < count; k++) caseOfInstance[k] = caseOf[instances.endIndex[k]];
    const order = sortByCaseTimePosition(caseOfInstance, instances.start, count, caseCount,
      instances.position);

    const offsets = new Int32Array(caseCount + 1);
    const activity = new Int32Array(count);
    const end = new Float64Array(count);
    const start = new Float64Array(count);
    const resource = this.#hasResource ? new Int32Array(count) : null;
    const sourceIndex = new Int32Array(count);
    let hasIntervals = false;
    const activityOf = this.#activityOf.data;
    const resourceOf = this.#resourceOf;
    const { endIndex, startIndex } = instances;
    const instanceEnd = instances.end;
    const instanceStart = instances.start;
    for (let k = 0; k < count; k++) {
      const inst = order[k];
      const endIdx = endIndex[inst];
      offsets[caseOfInstance[inst] + 1]++;
      activity[k] = activityOf[endIdx];
      end[k] = instanceEnd[inst];
      start[k] = instanceStart[inst];
      if (start[k] !== end[k]) hasIntervals = true;
      if (resource !== null) {
        const r = resourceOf.get(endIdx);
        resource[k] = r >= 0 ? r : resourceOf.get(startIndex[inst]);
      }
      sourceIndex[k] = endIdx;
    }
    for (let c = 0; c < caseCount; c++) offsets[c + 1] += offsets[c];
    return { offsets, activity, end, start, resource, sourceIndex, hasIntervals, summary };
  }

  /** True when no raw event has a transition to pair or a start time of its own. */
  #instantOnly(rawCount: number): boolean {
    const explicitStart = this.#start.data;
    const transition = this.#transition.data;
    const pair = this.#options.lifecycle === 'pair';
    for (let i = 0; i < rawCount; i++) {
      if ((pair && transition[i] !== TRANSITION_NONE) || !Number.isNaN(explicitStart[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Walks raw events in (case, time, position) order and forms activity instances. A start
   * waits for the next complete of the same activity in its case (first in, first out).
   */
  #formInstances(rawOrder: Int32Array, rawCount: number) {
    const startIndex = new Growable(Int32Array);
    const endIndex = new Growable(Int32Array);
    const startTime = new Growable(Float64Array);
    const endTime = new Growable(Float64Array);
    const position = new Growable(Int32Array);
    const summary: LifecycleSummary = {
      rawEvents: rawCount, pairedInstances: 0, unpairedStarts: 0, unpairedCompletes: 0,
      otherTransitions: 0,
    };
    const pair = this.#options.lifecycle === 'pair';
    const caseOf = this.#caseOf.data;
    const activityOf = this.#activityOf.data;
    const transition = this.#transition.data;
    const time = this.#time.data;
    const explicitStart = this.#start.data;

    const emit = (s: number, e: number, st: number, et: number, pos: number) => {
      startIndex.push(s);
      endIndex.push(e);
      startTime.push(st);
      endTime.push(et);
      position.push(pos);
    };

    // Open starts of the current case, keyed by activity code, oldest first.
    let pending = new Map<number, number[]>();
    const closeCase = () => {
      for (const starts of pending.values()) {
        for (const s of starts) {
          emit(s, s, time[s], time[s], s);
          summary.unpairedStarts++;
        }
      }
      pending = new Map();
    };

    let currentCase = -1;
    for (let k = 0; k < rawCount; k++) {
      const i = rawOrder[k];
      if (caseOf[i] !== currentCase) {
        closeCase();
        currentCase = caseOf[i];
      }
      const kind = pair ? transition[i] : TRANSITION_NONE;
      if (kind === TRANSITION_OTHER) {
        summary.otherTransitions++;
      } else if (kind === TRANSITION_START) {
        const list = pending.get(activityOf[i]);
        if (list === undefined) pending.set(activityOf[i], [i]);
        else list.push(i);
      } else if (kind === TRANSITION_COMPLETE) {
        const s = pending.get(activityOf[i])?.shift();
        if (s === undefined) {
          emit(i, i, time[i], time[i], i);
          summary.unpairedCompletes++;
        } else {
          emit(s, i, time[s], time[i], s);
          summary.pairedInstances++;
        }
      } else {
        const st = Number.isNaN(explicitStart[i]) ? time[i] : explicitStart[i];
        emit(i, i, st, time[i], i);
      }
    }
    closeCase();

    return {
      instances: {
        startIndex: startIndex.toArray(), endIndex: endIndex.toArray(),
        start: startTime.toArray(), end: endTime.toArray(), position: position.toArray(),
      },
      summary,
    };
  }
}

/**
 * The transition code of a lifecycle text (0 none, 1 start, 2 complete, 3 other).
 * @internal
 */
export function transitionOf(lifecycle: string | null): number {
  if (lifecycle === null || lifecycle === '') return TRANSITION_NONE;
  const t = lifecycle.trim().toLowerCase();
  if (t === 'start') return TRANSITION_START;
  if (t === 'complete') return TRANSITION_COMPLETE;
  return TRANSITION_OTHER;
}
