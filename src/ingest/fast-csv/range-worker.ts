/**
 * Worker thread of the columnar CSV import: parses the byte ranges it is sent and posts the
 * columns back, their typed arrays (codes, numbers, times, dictionaries' bytes) transferred
 * (moved, not copied).
 * @internal
 */
import { parentPort } from 'node:worker_threads';
import type { RangePlan } from './range-plan.js';
import { parseFileRange } from './read-range.js';

/** One range to parse. */
export interface RangeTask {
  path: string;
  start: number;
  end: number;
  plan: RangePlan;
  /** The range's spill file, opened (and closed) by the importing thread; -1 for none. */
  spillFd: number;
}

parentPort?.on('message', (task: RangeTask) => {
  const parsed = parseFileRange(task.path, task.start, task.end, task.plan, undefined,
    undefined, false, task.spillFd);
  const transfer = [parsed.time.buffer] as ArrayBuffer[];
  for (const codes of parsed.codes) if (codes !== null) transfer.push(codes.buffer as ArrayBuffer);
  for (const values of parsed.numbers) {
    if (values !== null) transfer.push(values.buffer as ArrayBuffer);
  }
  if (parsed.start !== null) transfer.push(parsed.start.buffer as ArrayBuffer);
  // Each dictionary's arrays are its own (never shared), so each buffer is listed once.
  for (const entries of parsed.dictionaries) {
    if (entries === null) continue;
    for (const array of [entries.hashes, entries.starts, entries.lengths, entries.pool]) {
      transfer.push(array.buffer as ArrayBuffer);
    }
  }
  parentPort?.postMessage(parsed, transfer);
});
