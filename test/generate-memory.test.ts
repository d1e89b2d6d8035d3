/**
 * Writing a large generated log streams: the heap does not grow with the number of invoices.
 * 200,000 invoices make about 950,000 rows and 110 MB of CSV; held in memory as rows they
 * take over 200 MB of heap (211 MB measured with seed 99), so the bound below can fail.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToFile } from '../src/generate/index.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(tmpdir(), 'lf-generate-mem-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

// A loose bound, far below what holding the rows would need.
const HEAP_LIMIT = 150 * 1024 * 1024;

describe('generator memory', () => {
  it('keeps the heap under 150 MB while writing 200,000 invoices to CSV', async () => {
    const file = path.join(dir, 'big.csv');
    let peak = process.memoryUsage().heapUsed;
    // The writer yields to the event loop whenever the stream buffer fills, so this samples
    // the heap during the run, not only at its end.
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    try {
      const summary = await generateToFile(file, { invoices: 200_000, seed: 99 });
      expect(summary.invoices).toBe(200_000);
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    // Over 100 bytes per invoice on disk: the file really is large.
    expect((await stat(file)).size).toBeGreaterThan(200_000 * 100);
    expect(peak).toBeLessThan(HEAP_LIMIT);
  }, 120_000);
});
