/**
 * Worker thread: reads byte range [start, end) of a file and parses it with `parseRange`,
 * sending the typed arrays back as transfers (no copy).
 * @internal
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { CsvSizeLimits } from '../csv/csv-tokenizer.js';
import { parseRange } from './range-parse.js';

/** What the importing thread asks a worker to parse. */
export interface RangeTask {
  path: string;
  start: number;
  end: number;
  delimiter: number;
  limits: CsvSizeLimits;
}

parentPort?.on('message', (task: RangeTask) => {
  const bytes = Buffer.allocUnsafe(task.end - task.start);
  const fd = openSync(task.path, 'r');
  try {
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, task.start + got);
      if (n === 0) break;
      got += n;
    }
  } finally {
    closeSync(fd);
  }
  const parsed = parseRange(bytes, task.delimiter, task.limits);
  parentPort?.postMessage(parsed,
    [parsed.rowLine.buffer, parsed.rowStart.buffer, parsed.codes.buffer] as ArrayBuffer[]);
});
