/**
 * Puts a compiled log's event columns into the engine's shared memory, once, after checking
 * that every address the kernel will derive from them stays inside the log's own regions.
 * Columns built in the shared memory (Engine.allocateColumns) or adopted are not copied.
 * @internal
 */
import { LedgerflowError } from '../errors.js';
import type { CompiledLog } from '../log/compiled-log.js';
import type { LoadedColumns } from './call-layout.js';
import type { SharedArena } from './shared-arena.js';

/**
 * A log placed in shared memory: its columns' addresses and the regions to return. It holds no
 * reference to the log object, so it can outlive it (see default-engine.ts).
 */
export interface LoadedLog {
  columns: LoadedColumns;
  regions: number[];
}

/** How {@link loadColumns} finds or puts a column in the shared memory. */
export interface ColumnPlacement {
  /** The address of an array that already is a view into the engine's memory, if it is one. */
  addressOf(data: Int32Array | Float64Array): number | undefined;
  /** Moves an array into a view the engine owns (freed when the view is collected). */
  adopt?<T extends Int32Array | Float64Array>(data: T): T;
}

/**
 * Checks the log and places offsets, activity, end and (with intervals) start times: columns
 * that already live in the shared memory are used where they are; with `adopt`, the others are
 * moved there and the log's fields repointed to the new views (no second copy stays alive);
 * otherwise they are copied into regions the handle owns.
 */
export function loadColumns(
  arena: SharedArena, log: CompiledLog, placement?: ColumnPlacement,
): LoadedLog {
  const maxTrace = checkLog(log);
  const n = log.eventCount;
  const regions: number[] = [];
  const place = <T extends Int32Array | Float64Array>(data: T, length: number): [number, T] => {
    const known = placement?.addressOf(data);
    if (known !== undefined) return [known, data];
    if (placement?.adopt !== undefined) {
      const view = placement.adopt(data.length === length ? data : data.subarray(0, length) as T);
      return [placement.addressOf(view) as number, view];
    }
    const at = arena.allocate(length * data.BYTES_PER_ELEMENT);
    regions.push(at);
    const Ctor = data.constructor as new (b: ArrayBufferLike, o: number, l: number) => T;
    new Ctor(arena.memory.buffer, at, length).set(data.subarray(0, length) as never);
    return [at, data];
  };
  const [offsets, offsetsView] = place(log.offsets, log.caseCount + 1);
  const [activity, activityView] = place(log.activity, n);
  const [end, endView] = place(log.time, n);
  const [start, startView] = log.hasIntervals ? place(log.start, n) : [end, endView];
  if (placement?.adopt !== undefined) {
    log.offsets = offsetsView;
    log.activity = activityView;
    log.time = endView;
    log.start = startView;
  }
  return {
    regions,
    columns: {
      caseCount: log.caseCount, eventCount: n, activityCount: log.activities.length,
      hasIntervals: log.hasIntervals, maxTrace, offsets, activity, end, start,
    },
  };
}

/** Returns the longest case length; throws LF_ERR_LOG_BAD_COMPILED on any inconsistency. */
function checkLog(log: CompiledLog): number {
  const bad = (detail: string) => new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
    `${detail}; rebuild the compiled log from its source`, { file: log.info?.source });
  const { offsets, activity, caseCount, eventCount } = log;
  if (offsets.length !== caseCount + 1 || offsets[0] !== 0 || offsets[caseCount] !== eventCount) {
    throw bad(`offsets must run from 0 to ${eventCount} over ${caseCount + 1} entries`);
  }
  if (activity.length < eventCount || log.time.length < eventCount
    || log.start.length < eventCount) {
    throw bad(`the event columns are shorter than eventCount ${eventCount}`);
  }
  let maxTrace = 0;
  for (let c = 0; c < caseCount; c++) {
    const len = offsets[c + 1] - offsets[c];
    if (len < 0) throw bad(`offsets decrease at case ${c}`);
    if (len > maxTrace) maxTrace = len;
  }
  const activityCount = log.activities.length;
  for (let i = 0; i < eventCount; i++) {
    const a = activity[i];
    if (a < 0 || a >= activityCount) {
      throw bad(`event ${i} has activity code ${a}, outside 0..${activityCount - 1}`);
    }
  }
  return maxTrace;
}
