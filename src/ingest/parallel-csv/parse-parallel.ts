/**
 * Parallel parsing of a large plain CSV file: the file is cut into byte ranges at line breaks,
 * worker threads parse the ranges into local codes, and the importing thread gets the ranges
 * back in file order, to hand their rows to the sink exactly as a single-threaded read would.
 *
 * A cut must not fall inside a quoted field. Instead of guessing quote parity from the cut,
 * only files without any quote take this path: every worker checks each line of its range
 * (no quote, no stray CR, valid UTF-8, within the size limits), and one line that is not
 * plain sends the whole file to the single-threaded reader, which reads quotes and reports
 * every error in file order.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CsvSizeLimits } from '../csv/csv-tokenizer.js';
import { detectDelimiter } from '../csv/delimiter.js';
import type { ParsedRange } from './range-parse.js';
import type { RangeTask } from './range-worker.js';

/** When and how wide to parse in parallel. */
export interface ParallelCsvSettings {
  /**
   * Files from this size on are parsed in parallel; default env LEDGERFLOW_CSV_PARALLEL_BYTES,
   * else 64 MB.
   */
  minBytes?: number;
  /** Worker threads (0: none); default env LEDGERFLOW_CSV_WORKERS, else 0. */
  workers?: number;
  /** Ranges per worker (more balance the load, each costs a message); default 2. */
  rangesPerWorker?: number;
}

/**
 * A parallel parse under way: the ranges' results, in file order, as they come. The workers
 * stop at the first range that is not plain; `allPlain` says whether every range was.
 */
export interface ParallelParse {
  delimiter: string;
  ranges: Promise<ParsedRange>[];
  allPlain: Promise<boolean>;
}

const DEFAULT_MIN_BYTES = 64 * 1024 * 1024;
/** Bytes decoded to guess the delimiter: the first chunk the single-threaded reader sees. */
const SAMPLE_BYTES = 1 << 20;
const LF = 10;

/**
 * Parses the file at `path` (of `size` bytes) in parallel; null when it is too small or not
 * plain, in which case the caller reads it single-threaded.
 */
export async function parseCsvInParallel(
  path: string, size: number, forced: string | null, limits: CsvSizeLimits,
  settings: ParallelCsvSettings = {},
): Promise<ParallelParse | null> {
  const minBytes = settings.minBytes ?? envNumber('LEDGERFLOW_CSV_PARALLEL_BYTES') ??
    DEFAULT_MIN_BYTES;
  // Off unless asked for: on the 2-core machine measured, workers made imports slower (see
  // bench/ingest.ts), so the single-threaded byte reader stays the default.
  const workers = settings.workers ?? envNumber('LEDGERFLOW_CSV_WORKERS') ?? 0;
  if (size < minBytes || size === 0 || workers < 1) return null;
  const fd = openSync(path, 'r');
  let head: Buffer;
  let cuts: number[];
  try {
    head = readAt(fd, 0, Math.min(SAMPLE_BYTES, size));
    const parts = workers * (settings.rangesPerWorker ?? 2);
    const bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    cuts = cutPoints(fd, bom ? 3 : 0, size, parts);
  } finally {
    closeSync(fd);
  }
  let sample: string;
  try {
    sample = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return null;
  }
  const delimiter = forced ?? detectDelimiter(sample);
  const tasks: RangeTask[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    tasks.push({ path, start: cuts[k], end: cuts[k + 1], delimiter: delimiter.charCodeAt(0),
      limits: { ...limits } });
  }
  return { delimiter, ...runTasks(tasks, Math.min(workers, tasks.length)) };
}

/** A whole number from the environment (operators tune without code), else undefined. */
function envNumber(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** Byte offsets from `first` to `size`, each inner one just past a line break. */
function cutPoints(fd: number, first: number, size: number, parts: number): number[] {
  const cuts = [first];
  const step = Math.max(1, Math.floor((size - first) / parts));
  const window = Buffer.allocUnsafe(64 * 1024);
  for (let k = 1; k < parts; k++) {
    let at = Math.max(first + k * step, cuts[cuts.length - 1]);
    let found = -1;
    while (at < size && found < 0) {
      const n = readSync(fd, window, 0, Math.min(window.length, size - at), at);
      if (n === 0) break;
      const lf = window.subarray(0, n).indexOf(LF);
      if (lf >= 0) found = at + lf + 1;
      else at += n;
    }
    if (found < 0 || found >= size) break;
    if (found > cuts[cuts.length - 1]) cuts.push(found);
  }
  cuts.push(size);
  return cuts;
}

function readAt(fd: number, at: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, bytes, got, length - got, at + got);
    if (n === 0) break;
    got += n;
  }
  return bytes.subarray(0, got);
}

/**
 * Starts the tasks on `count` workers; each result as a promise, in task order. A worker that
 * fails (or a task never started after a stop) gives a range that is not plain, so the import
 * falls back to the single-threaded reader instead of failing.
 */
function runTasks(tasks: RangeTask[], count: number): Omit<ParallelParse, 'delimiter'> {
  const settle: ((range: ParsedRange) => void)[] = [];
  const ranges = tasks.map(() => new Promise<ParsedRange>((resolve) => {
    settle.push(resolve);
  }));
  const stopped: ParsedRange = {
    plain: false, lines: 0, rows: 0, rowLine: new Int32Array(0), rowStart: new Int32Array(1),
    codes: new Int32Array(0), values: [],
  };
  let next = 0;
  let plain = true;
  const run = async () => {
    let worker: Worker | null = null;
    try {
      worker = new Worker(workerFile());
      while (plain && next < tasks.length) {
        const k = next++;
        const result = await ask(worker, tasks[k]).catch(() => stopped);
        if (!result.plain) plain = false;
        settle[k](result);
      }
    } catch {
      plain = false;
    } finally {
      await worker?.terminate();
    }
  };
  const allPlain = Promise.all(Array.from({ length: count }, run)).then(() => {
    for (let k = next; k < tasks.length; k++) settle[k](stopped);
    return plain;
  });
  return { ranges, allPlain };
}

function ask(worker: Worker, task: RangeTask): Promise<ParsedRange> {
  return new Promise((resolve, reject) => {
    const done = (result: ParsedRange) => {
      worker.off('error', failed);
      resolve(result);
    };
    const failed = (err: Error) => {
      worker.off('message', done);
      reject(err);
    };
    worker.once('message', done);
    worker.once('error', failed);
    worker.postMessage(task);
  });
}

/** The worker's compiled file (tests run the TypeScript sources; workers need the JS build). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    return fileURLToPath(
      new URL('../../../dist/src/ingest/parallel-csv/range-worker.js', import.meta.url));
  }
  return fileURLToPath(new URL('./range-worker.js', import.meta.url));
}
