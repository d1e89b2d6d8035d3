/**
 * Reads one byte range of a file through a {@link RangeParser}, a block at a time, so memory
 * stays at one block (plus one record longer than it) whatever the range's size.
 * @internal
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { failedRange, type ParsedRange, type RangePlan } from './range-plan.js';
import { isScannerFull, isScannerStop } from './scanner-stop.js';
import { RangeParser } from './range-parser.js';

/** Bytes read per block: large enough that per-block work vanishes, small enough for cache. */
export const BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * Parses the records of `path` in `[start, end)` (a range starting at a record). Its arrays
 * get room for the rows of `roomBytes` at the first block's density: the first range of
 * several is given the whole file's data size, so the merge can write every range's codes
 * into its arrays instead of new ones, and keeps its dictionaries to merge the others into
 * (`keepDictionaries`). `blockBytes` is for tests that cut records across blocks on purpose.
 * `spillFd` is the range's spill file when the plan spills columns; its opener closes it.
 */
export function parseFileRange(
  path: string, start: number, end: number, plan: RangePlan, roomBytes = end - start,
  blockBytes = BLOCK_BYTES, keepDictionaries = false, spillFd = -1,
): ParsedRange {
  try {
    return readRange(path, start, end, plan, roomBytes, blockBytes, keepDictionaries, spillFd);
  } catch (err) {
    // The scanner's memory ends short of 4 GiB (a trap), or none could be reserved: the file
    // goes to the row importer, as for any range that cannot be read here.
    if (isScannerStop(err)) {
      return failedRange(`the WASM scanner stopped: ${err.message}`, isScannerFull(err));
    }
    throw err;
  }
}

function readRange(
  path: string, start: number, end: number, plan: RangePlan, roomBytes: number,
  blockBytes: number, keepDictionaries: boolean, spillFd: number,
): ParsedRange {
  let block = Buffer.allocUnsafe(Math.min(blockBytes, Math.max(end - start, 1)));
  const parser = new RangeParser(plan, block.length, spillFd);
  let kept = 0;
  let at = start;
  const fd = openSync(path, 'r');
  try {
    while (at < end || kept > 0) {
      if (kept === block.length) {
        // One record longer than the block: grow, within the row limit.
        if (block.length > plan.maxRowBytes) return failedRange('a row past the size limit');
        const bigger = Buffer.allocUnsafe(block.length * 2);
        block.copy(bigger, 0, 0, kept);
        block = bigger;
      }
      const want = Math.min(block.length - kept, end - at);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, block, kept + got, want - got, at + got);
        if (n === 0) break;
        got += n;
      }
      if (got < want) return failedRange('the file changed while it was read');
      at += got;
      const filled = kept + got;
      const final = at >= end;
      const used = parser.push(block.subarray(0, filled), final);
      if (used < 0) break;
      if (at - start === got && used > 0) {
        // After the first block, room for the range's rows at that block's density (+10 %).
        // Dictionaries get room for the range's own values: the merge makes room for the
        // others' then (tables sized for the whole file made every lookup of the first range
        // slower, 2.5 times for the new values of a 10 M-event file).
        const density = parser.rows / used;
        parser.reserve(Math.ceil(density * roomBytes * 1.1), Math.ceil(density * (end - start)));
      }
      if (final) {
        kept = 0;
        break;
      }
      kept = filled - used;
      block.copy(block, 0, used, filled);
    }
  } finally {
    closeSync(fd);
  }
  return parser.result(keepDictionaries);
}
