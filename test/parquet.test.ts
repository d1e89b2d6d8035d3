import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { isLedgerflowError } from '../src/errors.js';
import { byteSourceFromBytes, byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importParquet } from '../src/ingest/parquet.js';
import {
  CASE08_EXPECTED, parquetOf, summarise, tableFromSimpleCsv, type EventTable,
} from './fixtures/tables/event-table.js';
import { CASES_DIR, sharedAvailable } from './helpers/shared-data.js';

const shared = sharedAvailable();

// Invented: two invoices, times chosen so that hand-worked instants are easy to check.
const invoices: EventTable = {
  caseId: ['INV-1', 'INV-1', 'INV-2'],
  activity: ['Invoice Created', 'Payment Received', 'Invoice Created'],
  time: [
    Date.UTC(2024, 7, 30, 12, 0, 0), Date.UTC(2024, 8, 2, 9, 30, 0, 250),
    Date.UTC(2024, 0, 15, 8, 0, 0),
  ],
  amount: [1200.5, null, 99],
};

async function expectCode(promise: Promise<unknown>, code: string): Promise<string> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(isLedgerflowError(err)).toBe(true);
  expect((err as { code: string }).code).toBe(code);
  return (err as Error).message;
}

describe('importParquet', () => {
  it.skipIf(!shared)('gives the hand-worked answers of case 08 over unsorted rows', async () => {
    const table = tableFromSimpleCsv(
      readFileSync(path.join(CASES_DIR, '08-start-end-unsorted.csv'), 'utf8'));
    // Row groups of 2 rows: a case is split across groups, which must not matter.
    const bytes = parquetOf(table, { rowGroupSize: 2 });
    const log = await importParquet(byteSourceFromBytes(bytes, '08.parquet'), {});
    const { times: _t, ...summary } = summarise(log);
    expect(summary).toEqual(CASE08_EXPECTED);
    expect(log.info.format).toBe('parquet');
  });

  it('reads instants (isAdjustedToUTC) exactly, whatever the import zone', async () => {
    const bytes = parquetOf(invoices, { zoned: true, unit: 'MICROS' });
    const log = await importParquet(byteSourceFromBytes(bytes, 'z.parquet'),
      { timezone: 'Europe/Berlin' });
    // Case INV-1 first (first appearance), events in time order; instants never move.
    expect(Array.from(log.time)).toEqual([
      Date.UTC(2024, 7, 30, 12, 0, 0), Date.UTC(2024, 8, 2, 9, 30, 0, 250),
      Date.UTC(2024, 0, 15, 8, 0, 0),
    ]);
  });

  it('reads wall-clock timestamps in the import zone', async () => {
    const bytes = parquetOf(invoices, { zoned: false, unit: 'NANOS' });
    const log = await importParquet(byteSourceFromBytes(bytes, 'n.parquet'),
      { timezone: 'Europe/Berlin' });
    // Berlin is UTC+2 on 30 Aug and 2 Sep 2024 (summer time) and UTC+1 on 15 Jan.
    expect(Array.from(log.time)).toEqual([
      Date.UTC(2024, 7, 30, 10, 0, 0), Date.UTC(2024, 8, 2, 7, 30, 0, 250),
      Date.UTC(2024, 0, 15, 7, 0, 0),
    ]);
    const utc = await importParquet(byteSourceFromBytes(bytes, 'n.parquet'), {});
    expect(Array.from(utc.time)).toEqual(invoices.time);
  });

  it('floors sub-millisecond times before 1970 like ISO text does', async () => {
    // -1500 µs is 1969-12-31T23:59:59.9985Z: its millisecond is .998, i.e. epoch ms -2.
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'case', data: ['a', 'a'] },
        { name: 'activity', data: ['x', 'y'] },
        { name: 'time', data: [-1500n, 2500n] },
      ],
      schema: [
        { name: 'root', num_children: 3 },
        { name: 'case', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        {
          name: 'activity', type: 'BYTE_ARRAY', converted_type: 'UTF8',
          repetition_type: 'REQUIRED',
        },
        {
          name: 'time', type: 'INT64', repetition_type: 'REQUIRED',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
        },
      ],
    });
    const log = await importParquet(byteSourceFromBytes(new Uint8Array(buffer), 'f.parquet'), {});
    expect(Array.from(log.time)).toEqual([-2, 2]);
  });

  it('keeps a numeric column as a typed attribute', async () => {
    const log = await importParquet(byteSourceFromBytes(parquetOf(invoices), 'a.parquet'), {});
    // amount is on the first event of each case only, so it is a case attribute.
    const amount = log.caseAttributes.get('amount');
    expect(amount).toEqual({ kind: 'number', values: Float64Array.from([1200.5, 99]) });
  });

  it('reads a file on disk through its path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lf-parquet-'));
    try {
      const file = path.join(dir, 'invoices.parquet');
      writeFileSync(file, parquetOf(invoices, { zoned: true }));
      const source = await byteSourceFromFile(file);
      expect(source.path).toBe(file);
      const log = await importParquet(source, {});
      expect(log.caseIds).toEqual(['INV-1', 'INV-2']);
      expect(log.eventCount).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not Parquet, naming the bytes found', async () => {
    const csv = new TextEncoder().encode('case_id,activity,timestamp\n');
    const message = await expectCode(importParquet(byteSourceFromBytes(csv, 'x.parquet'), {}),
      'LF_ERR_INGEST_BAD_PARQUET');
    expect(message).toContain('x.parquet');
    expect(message).toContain('63 61 73 65'); // "case"
  });

  it('refuses a truncated file', async () => {
    const bytes = parquetOf(invoices);
    for (const cut of [bytes.length - 1, Math.floor(bytes.length / 2), 4]) {
      await expectCode(importParquet(byteSourceFromBytes(bytes.subarray(0, cut), 't.parquet'), {}),
        'LF_ERR_INGEST_BAD_PARQUET');
    }
  });

  it('calls an empty file empty', async () => {
    await expectCode(importParquet(byteSourceFromBytes(new Uint8Array(0), 'e.parquet'), {}),
      'LF_ERR_INGEST_EMPTY_FILE');
  });
});
