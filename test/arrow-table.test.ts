import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  makeData, makeVector, Table, tableToIPC, Timestamp, TimeUnit, Utf8, vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { isLedgerflowError } from '../src/errors.js';
import { importArrowTable } from '../src/ingest/arrow-table.js';
import { byteSourceFromBytes, byteSourceFromFile } from '../src/ingest/byte-source.js';
import {
  arrowOf, CASE08_EXPECTED, summarise, tableFromSimpleCsv, type EventTable,
} from './fixtures/tables/event-table.js';
import { CASES_DIR, sharedAvailable } from './helpers/shared-data.js';

const shared = sharedAvailable();

// Invented: whole seconds, so that every unit holds the times exactly.
const invoices: EventTable = {
  caseId: ['INV-7', 'INV-7', 'INV-8', 'INV-8'],
  activity: ['Invoice Created', 'Dunning Letter Sent', 'Invoice Created', 'Invoice Cleared'],
  time: [
    Date.UTC(2024, 2, 31, 0, 30, 0), Date.UTC(2024, 3, 14, 9, 0, 0),
    Date.UTC(1969, 11, 31, 23, 0, 0), Date.UTC(2262, 3, 1, 0, 0, 0),
  ],
};

async function expectCode(promise: Promise<unknown>, code: string): Promise<string> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(isLedgerflowError(err)).toBe(true);
  expect((err as { code: string }).code).toBe(code);
  return (err as Error).message;
}

describe('importArrowTable', () => {
  it.skipIf(!shared)('gives the hand-worked answers of case 08 (file and stream)', async () => {
    const table = tableFromSimpleCsv(
      readFileSync(path.join(CASES_DIR, '08-start-end-unsorted.csv'), 'utf8'));
    for (const format of ['file', 'stream'] as const) {
      const bytes = arrowOf(table, { format, unit: TimeUnit.MICROSECOND });
      const log = await importArrowTable(byteSourceFromBytes(bytes, `08.${format}`), {});
      const { times: _t, ...summary } = summarise(log);
      expect(summary).toEqual(CASE08_EXPECTED);
      expect(log.info.format).toBe('arrow');
    }
  });

  it('reads timestamps of every unit, with a zone, as exact epoch ms', async () => {
    // 2262-04-01 lies just inside the int64-nanosecond range, which ends on 2262-04-11.
    for (const unit of [TimeUnit.SECOND, TimeUnit.MILLISECOND, TimeUnit.MICROSECOND,
      TimeUnit.NANOSECOND]) {
      const bytes = arrowOf(invoices, { unit, timezone: 'America/New_York' });
      const log = await importArrowTable(byteSourceFromBytes(bytes, 'u.arrow'),
        { timezone: 'Asia/Tokyo' });
      // Zoned values are instants: neither the column's zone nor the import zone moves them.
      expect(Array.from(log.time)).toEqual(invoices.time);
    }
  });

  it('reads zone-less timestamps as wall-clock times in the import zone', async () => {
    const bytes = arrowOf(invoices, { unit: TimeUnit.NANOSECOND, timezone: null });
    const log = await importArrowTable(byteSourceFromBytes(bytes, 'n.arrow'),
      { timezone: 'Asia/Tokyo' });
    // Tokyo is UTC+9 all year (no summer time): every instant is 9 h before the wall clock.
    expect(Array.from(log.time)).toEqual(invoices.time.map((t) => t - 9 * 3_600_000));
  });

  it('floors sub-millisecond times before 1970', async () => {
    // -1 ns is 1969-12-31T23:59:59.999999999Z: millisecond .999, i.e. epoch ms -1;
    // 1_999_999 ns is 1.999999 ms: epoch ms 1.
    const raw = BigInt64Array.from([-1n, 1_999_999n]);
    const type = new Timestamp(TimeUnit.NANOSECOND, 'UTC');
    const table = new Table({
      case: vectorFromArray(['a', 'a'], new Utf8()),
      activity: vectorFromArray(['x', 'y'], new Utf8()),
      time: makeVector(makeData({ type, length: 2, nullCount: 0, data: raw })),
    });
    const log = await importArrowTable(byteSourceFromBytes(tableToIPC(table), 'f.arrow'), {});
    expect(Array.from(log.time)).toEqual([-1, 1]);
  });

  it('reads a file on disk through its path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lf-arrow-'));
    try {
      const file = path.join(dir, 'invoices.arrow');
      writeFileSync(file, arrowOf(invoices, { format: 'file' }));
      const log = await importArrowTable(await byteSourceFromFile(file), {});
      expect(log.caseIds).toEqual(['INV-7', 'INV-8']);
      expect(Array.from(log.time)).toEqual(invoices.time);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bytes that are not Arrow IPC', async () => {
    const csv = new TextEncoder().encode('case_id,activity,timestamp\n');
    const message = await expectCode(
      importArrowTable(byteSourceFromBytes(csv, 'x.arrow'), {}), 'LF_ERR_INGEST_BAD_ARROW');
    expect(message).toContain('ARROW1');
    expect(message).toContain('x.arrow');
  });

  it('refuses a truncated file or stream', async () => {
    for (const format of ['file', 'stream'] as const) {
      const bytes = arrowOf(invoices, { format });
      const cuts = [Math.floor(bytes.length / 2), 12];
      // A stream cut exactly between messages reads as a shorter stream; a file has a footer.
      if (format === 'file') cuts.push(bytes.length - 1);
      for (const cut of cuts) {
        await expectCode(
          importArrowTable(byteSourceFromBytes(bytes.subarray(0, cut), 't.arrow'), {}),
          'LF_ERR_INGEST_BAD_ARROW');
      }
    }
  });
});
