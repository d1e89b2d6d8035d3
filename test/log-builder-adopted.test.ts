/**
 * The log builder's fast path for files already in case and time order adopts raw arrays as
 * compiled columns (event-columns.ts): only when their buffers are not much larger than the
 * log needs (1.25×), whatever view of them the importer hands over. Oracles: the row
 * importer's log (`fast: false`) and buffer sizes worked out from the event count.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importCsv } from '../src/ingest/csv/import-csv.js';
import { lastFastCsvDecline } from '../src/ingest/fast-csv/import-fast.js';
import type { CompiledLog } from '../src/log/compiled-log.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lf-builder-adopted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes the buffer behind `array` holds, per byte the array itself needs. */
function bufferRatio(array: ArrayBufferView): number {
  return array.buffer.byteLength / array.byteLength;
}

describe('columns adopted from a file in order', () => {
  it('keep no buffer much larger than the log (rows longer after the first block)', async () => {
    // 120,000 short rows (~40 bytes, 4.8 MB: the first 4 MiB block sets the parser's guess of
    // rows for the whole file), then 1,000 rows of ~4 KB: the guess is about twice the rows.
    // Each of the first 40,000 rows is a case of its own, so case codes are 4 bytes wide.
    const lines = ['case,activity,time,note'];
    const t0 = Date.UTC(2024, 0, 1);
    const rows = 121_000;
    for (let i = 0; i < rows; i++) {
      const c = i < 40_000 ? i : 40_000 + Math.floor(i / 50);
      const note = i < 120_000 ? '' : 'x'.repeat(4000);
      lines.push(`c${c},A${i % 3},${new Date(t0 + i * 1000).toISOString()},${note}`);
    }
    const file = path.join(dir, 'longer-later.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const fast = await importCsv(await byteSourceFromFile(file), {}, { threads: 1 });
    expect(lastFastCsvDecline).toBe('');
    const rowsLog = await importCsv(await byteSourceFromFile(file), {}, { fast: false });
    expect(plain(fast)).toEqual(plain(rowsLog));
    expect(fast.eventCount).toBe(rows);
    expect(bufferRatio(fast.time)).toBeLessThanOrEqual(1.25);
    expect(bufferRatio(fast.activity)).toBeLessThanOrEqual(1.25);
  }, 60_000);
});

/** The log's columns as plain values (NaN kept apart from null), ids read. */
function plain(log: CompiledLog): unknown {
  const { info: _info, ...rest } = log;
  return JSON.parse(JSON.stringify({ ...rest, caseIds: [...log.caseIds] }, (_key, v) => {
    if (ArrayBuffer.isView(v)) {
      return Array.from(v as Float64Array, (x) => (Number.isNaN(x) ? 'NaN' : x));
    }
    return v instanceof Map ? Object.fromEntries(v) : v;
  }));
}
