/**
 * The event columns of a compiled log from the raw events of a {@link LogBuilder}, in (case,
 * start, file position) order: instant events as they are, or lifecycle start and complete
 * events paired into activity instances (first in, first out per activity within a case).
 * @internal
 */
import type { CodeArray } from './code-array.js';
import type { LifecycleSummary } from './compiled-log.js';
import { Growable } from './growable.js';
import { adoptable } from './raw-column.js';
import { isIdentity, sortByCaseTimePosition } from './stable-order.js';

/**
 * The raw events of a builder, in file order, as its finishing step hands them over. The
 * arrays become the compiler's: it may write the compiled columns into them.
 */
export interface RawEvents {
  /** Case codes; once a file in order is counted per case, its activity column goes here. */
  caseOf: Int32Array;
  /** Activity codes, as narrow as their dictionary allows (code-array.ts). */
  activityOf: CodeArray;
  /**
   * End times, epoch ms. The compiled end column may be this very array (a file in order):
   * whoever hands it over must not write to it afterwards.
   */
  time: Float64Array;
  /** Start times of their own (NaN for none), or null for none at all. */
  explicitStart: Float64Array | null;
  /** Transition codes ({@link transitionOf}), or null for none at all. */
  transition: Int8Array | null;
  /** Resource codes (-1 for none), or null when the log has no resource column. */
  resourceOf: CodeArray | null;
  /** Lifecycle mode 'pair': start and complete events form instances. */
  pair: boolean;
}

/** The compiled event columns, in (case, start, position) order, before the attributes. */
export interface EventColumns {
  offsets: Int32Array;
  activity: Int32Array;
  end: Float64Array;
  start: Float64Array;
  resource: Int32Array | null;
  /** Per event, the raw event it ends with (its attributes' row); null: the same event. */
  sourceIndex: Int32Array | null;
  hasIntervals: boolean;
  summary: LifecycleSummary;
}

const TRANSITION_NONE = 0;
const TRANSITION_START = 1;
const TRANSITION_COMPLETE = 2;
const TRANSITION_OTHER = 3;

/**
 * The event columns when every raw event is its own instant instance: one pass over the
 * (case, time, position) order, each column written once (no instance arrays, no identity
 * order, no start column: it would equal the end column).
 */
export function instantColumns(
  raw: RawEvents, rawOrder: Int32Array | null, rawCount: number, caseCount: number,
): EventColumns {
  const caseOf = raw.caseOf;
  const offsets = new Int32Array(caseCount + 1);
  for (let i = 0; i < rawCount; i++) offsets[caseOf[i] + 1]++;
  for (let c = 0; c < caseCount; c++) offsets[c + 1] += offsets[c];
  const resourceOf = raw.resourceOf;
  let activity: Int32Array;
  let end: Float64Array;
  let resource: Int32Array | null;
  const inOrder = rawOrder === null || isIdentity(rawOrder, rawCount);
  if (inOrder) {
    // A file sorted by case and time: the raw times are the end column, and the activity
    // codes go where the case codes were (counted above, not needed again), when the buffers
    // behind those arrays are not much larger than needed; else the columns are copies.
    activity = adoptable(raw.caseOf, rawCount) ? raw.caseOf.subarray(0, rawCount)
      : new Int32Array(rawCount);
    activity.set(raw.activityOf.subarray(0, rawCount));
    end = adoptable(raw.time, rawCount) ? raw.time.subarray(0, rawCount)
      : raw.time.slice(0, rawCount);
    resource = resourceOf === null ? null : int32Copy(resourceOf, rawCount);
  } else {
    activity = gather(raw.activityOf, rawOrder);
    end = new Float64Array(rawCount);
    const time = raw.time;
    for (let k = 0; k < rawCount; k++) end[k] = time[rawOrder[k]];
    resource = resourceOf === null ? null : gather(resourceOf, rawOrder);
  }
  const summary: LifecycleSummary = {
    rawEvents: rawCount, pairedInstances: 0, unpairedStarts: 0, unpairedCompletes: 0,
    otherTransitions: 0,
  };
  return {
    offsets, activity, end, start: end, resource, sourceIndex: inOrder ? null : rawOrder,
    hasIntervals: false, summary,
  };
}

/** 0, 1, …, `count` - 1. */
function identityOrder(count: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}

/** The first `count` codes as a new Int32Array (the compiled log's width). */
function int32Copy(codes: CodeArray, count: number): Int32Array {
  const out = new Int32Array(count);
  out.set(codes.subarray(0, count));
  return out;
}

function gather(values: CodeArray, order: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let k = 0; k < out.length; k++) out[k] = values[order[k]];
  return out;
}

/** The event columns of activity instances formed by pairing (or with start times). */
export function pairedColumns(
  raw: RawEvents, rawOrder: Int32Array | null, rawCount: number, caseCount: number,
): EventColumns {
  const caseOf = raw.caseOf;
  const { instances, summary } = formInstances(raw, rawOrder ?? identityOrder(rawCount),
    rawCount);
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
  const resource = raw.resourceOf !== null ? new Int32Array(count) : null;
  const sourceIndex = new Int32Array(count);
  let hasIntervals = false;
  const activityOf = raw.activityOf;
  const resourceOf = raw.resourceOf;
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
    if (resource !== null && resourceOf !== null) {
      const r = resourceOf[endIdx];
      resource[k] = r >= 0 ? r : resourceOf[startIndex[inst]];
    }
    sourceIndex[k] = endIdx;
  }
  for (let c = 0; c < caseCount; c++) offsets[c + 1] += offsets[c];
  return { offsets, activity, end, start, resource, sourceIndex, hasIntervals, summary };
}

/** True when no raw event has a transition to pair or a start time of its own. */
export function instantOnly(raw: RawEvents, rawCount: number): boolean {
  const explicitStart = raw.explicitStart;
  const transition = raw.transition;
  if (raw.pair && transition !== null) {
    for (let i = 0; i < rawCount; i++) if (transition[i] !== TRANSITION_NONE) return false;
  }
  if (explicitStart !== null) {
    for (let i = 0; i < rawCount; i++) if (!Number.isNaN(explicitStart[i])) return false;
  }
  return true;
}

/**
 * Walks raw events in (case, time, position) order and forms activity instances. A start
 * waits for the next complete of the same activity in its case (first in, first out).
 */
function formInstances(raw: RawEvents, rawOrder: Int32Array, rawCount: number) {
  const startIndex = new Growable(Int32Array);
  const endIndex = new Growable(Int32Array);
  const startTime = new Growable(Float64Array);
  const endTime = new Growable(Float64Array);
  const position = new Growable(Int32Array);
  const summary: LifecycleSummary = {
    rawEvents: rawCount, pairedInstances: 0, unpairedStarts: 0, unpairedCompletes: 0,
    otherTransitions: 0,
  };
  const pair = raw.pair;
  const caseOf = raw.caseOf;
  const activityOf = raw.activityOf;
  const transition = raw.transition;
  const time = raw.time;
  const explicitStart = raw.explicitStart;

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
    const kind = pair && transition !== null ? transition[i] : TRANSITION_NONE;
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
      const st = explicitStart === null || Number.isNaN(explicitStart[i]) ? time[i]
        : explicitStart[i];
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
