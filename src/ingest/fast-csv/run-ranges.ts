/**
 * Cuts a file's records into byte ranges and parses them at once: the first range on the
 * calling thread, each other one on a worker thread of its own. Results come back in file
 * order. A cut is placed just after a line break; whether that line break sat inside a quoted
 * field is not guessed: a range is parsed as if it began a record, and a range that ends
 * inside an open quote fails, so a wrong guess can only send the file to the row importer.
 * @internal
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { workerFile } from '../../worker-file.js';
import {
  ColumnKind, type DictionaryMerger, failedRange, type ParsedRange, type RangePlan,
} from './range-plan.js';
import { closeSpill, openSpillFile } from './code-spill.js';
import { BLOCK_BYTES, parseFileRange } from './read-range.js';
import { fitsStringBudget } from './string-budget.js';
import type { RangeTask } from './range-worker.js';

const LF = 10;
/**
 * Bytes the calling thread parses on top of an even share, while each worker starts (its
 * thread and modules, about 40 ms on the 2-vCPU machine measured, at about 250 MB/s parsed
 * per thread by the WASM scanner): without it the calling thread waited for the last worker.
 */
const HEAD_START_BYTES = 10 * 1024 * 1024;

/** Parses `[start, end)` of `path` in `threads` ranges (the calling thread included). */
export async function parseRanges(
  path: string, start: number, end: number, plan: RangePlan, threads: number,
  workerFile: string = defaultWorkerFile(),
): Promise<ParsedRange[]> {
  const cuts = cutPoints(path, start, end, threads);
  // Spill files are opened here, one per range, so that they outlive the workers.
  const spills = cuts.slice(1).map(() => (plan.spilled.length > 0
    ? openSpillFile(plan.spillDir) : -1));
  const tasks: RangeTask[] = [];
  for (let k = 1; k + 1 < cuts.length; k++) {
    tasks.push({ path, start: cuts[k], end: cuts[k + 1], plan, spillFd: spills[k] });
  }
  // Workers start first, so they load while this thread parses the first range.
  const pending = tasks.map((task) => runInWorker(workerFile, task));
  let first: ParsedRange;
  try {
    first = parseFileRange(path, cuts[0], cuts[1], plan, end - start, BLOCK_BYTES,
      pending.length > 0, spills[0]);
  } catch (err) {
    // The file cannot be read here (gone since its head was read): no range will be used,
    // and the workers may still write to their spill files until they end.
    await Promise.all(pending);
    spills.forEach(closeSpill);
    throw err;
  }
  if (first.failure !== '') {
    // The file goes to the row importer anyway: the workers' results are not needed.
    await Promise.all(pending);
    spills.forEach(closeSpill);
    return [first];
  }
  // The first range's texts are the file's first codes whatever the others hold: they are
  // decoded now, while the workers are still parsing, instead of after the merge. A column
  // of plain decimals is typed from its bytes (compile-ranges.ts): its texts are not needed;
  // nor are the case ids', made only when the log's ids are read.
  if (pending.length > 0) {
    // Not when the texts would take more than a quarter of the heap left: the finishing step
    // then decodes them, or refuses the file with a typed error when the whole file's texts
    // cannot fit (compile-ranges.ts), where decoding here could have ended the process.
    const merger = first.merger as DictionaryMerger;
    const textual = plan.kinds.map((kind, c) => kind === ColumnKind.Text &&
      c !== plan.caseColumn && merger.numbers(c) === null);
    let texts = 0;
    let bytes = 0;
    textual.forEach((yes, c) => {
      if (yes) {
        texts += merger.size(c);
        bytes += merger.textBytes(c);
      }
    });
    if (fitsStringBudget(texts, bytes, 0.25)) {
      first.decoded = textual.map((yes, c) => (yes ? merger.texts(c) : null));
    }
  }
  const ranges = [first, ...await Promise.all(pending)];
  // A failed range sends the file to the row importer: no column will be read back.
  if (ranges.some((range) => range.failure !== '')) spills.forEach(closeSpill);
  return ranges;
}

/**
 * Byte offsets from `start` to `end`, each inner one just past a line break: the first range
 * is larger by the head start of the workers (at most by half), the others even.
 */
function cutPoints(path: string, start: number, end: number, parts: number): number[] {
  const cuts = [start];
  if (parts > 1) {
    const total = end - start;
    const lead = Math.min(Math.floor((HEAD_START_BYTES * (parts - 1)) / parts),
      Math.floor(total / parts / 2));
    const step = Math.floor((total - lead) / parts);
    const window = Buffer.allocUnsafe(64 * 1024);
    const fd = openSync(path, 'r');
    try {
      for (let k = 1; k < parts; k++) {
        let at = Math.max(start + lead + k * step, cuts[cuts.length - 1]);
        let found = -1;
        while (at < end && found < 0) {
          const n = readSync(fd, window, 0, Math.min(window.length, end - at), at);
          if (n === 0) break;
          const lf = window.subarray(0, n).indexOf(LF);
          if (lf >= 0) found = at + lf + 1;
          else at += n;
        }
        if (found < 0 || found >= end) break;
        if (found > cuts[cuts.length - 1]) cuts.push(found);
      }
    } finally {
      closeSync(fd);
    }
  }
  cuts.push(end);
  return cuts;
}

/** Parses one range on a new worker; a worker that fails gives a failed range. */
async function runInWorker(file: string, task: RangeTask): Promise<ParsedRange> {
  let worker: Worker;
  try {
    worker = new Worker(file);
  } catch (err) {
    return failedRange(`no worker: ${(err as Error).message}`);
  }
  try {
    return await new Promise<ParsedRange>((resolve) => {
      // The first event settles, and the listeners then let go of `resolve`. The others stay
      // on the worker until it exits, which is after the import (this thread is busy
      // finishing it); holding `resolve`, they held the promise and so its result, the
      // range's columns: a copy of half the file's times and codes, kept to the import's
      // peak (116 MB at 17 M events, seen in a heap snapshot).
      let settle: ((range: ParsedRange) => void) | null = resolve;
      const take = (): ((range: ParsedRange) => void) => {
        const first = settle ?? (() => {});
        settle = null;
        return first;
      };
      // The message settles on a later turn of the event loop: settled here, the whole
      // finishing step ran in this callback's microtask checkpoint, whose handle scope kept
      // the message reachable too.
      worker.once('message', (result: ParsedRange) => {
        const settleWith = take();
        setImmediate(() => settleWith(result));
      });
      worker.once('error', (err) => take()(failedRange(`worker failed: ${err.message}`)));
      worker.once('exit', () => take()(failedRange('worker exited')));
      worker.postMessage(task);
    });
  } finally {
    void worker.terminate();
  }
}

/** The worker's compiled file (see worker-file.ts). */
function defaultWorkerFile(): string {
  return workerFile(import.meta.url, 'range-worker');
}
