/**
 * Puts a compiled log's event columns into the engine's shared memory, once, after checking
 * that every address the kernel will derive from them stays inside the log's own regions.
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

/** Checks the log and copies offsets, activity, end and (with intervals) start times. */
export function loadColumns(arena: SharedArena, log: CompiledLog): LoadedLog {
  const maxTrace = checkLog(log);
  const n = log.eventCount;
  const regions: number[] = [];
  const place = <T extends Int32Array | Float64Array>(data: T): number => {
    const at = arena.allocate(data.byteLength);
    regions.push(at);
    const Ctor = data.constructor as new (b: ArrayBufferLike, o: number, l: number) => T;
    new Ctor(arena.memory.buffer, at, data.length).set(data);
    return at;
  };
  const offsets = place(log.offsets);
  const activity = place(log.activity.subarray(0, n));
  const end = place(log.time.subarray(0, n));
  const start = log.hasIntervals ? place(log.start.subarray(0, n)) : end;
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
