import { existsSync } from 'node:fs';
import { TimeUnit } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { CompiledLog } from '../src/log/compiled-log.js';
import { importArrowTable } from '../src/ingest/arrow-table.js';
import { byteSourceFromBytes } from '../src/ingest/byte-source.js';
import type { ImportOptions } from '../src/ingest/import-options.js';
import { importParquet } from '../src/ingest/parquet.js';
import { importXlsx } from '../src/ingest/xlsx.js';
import {
  arrowOf, csvOf, parquetOf, xlsxOf, type EventTable,
} from './fixtures/tables/event-table.js';

const csvReady = existsSync(new URL('../src/ingest/csv/index.ts', import.meta.url));

// Invented: unsorted rows, two events of one case at the same instant (file order must hold),
// milliseconds, and an amount given on each case's first row only.
const table: EventTable = {
  caseId: ['A-2', 'A-1', 'A-1', 'A-2', 'A-1', 'A-3', 'A-2'],
  activity: [
    'Payment Received', 'Invoice Created', 'Dunning Letter Sent', 'Invoice Created',
    'Promise To Pay', 'Invoice Created', 'Cash Applied',
  ],
  time: [
    Date.UTC(2024, 9, 27, 1, 30, 0, 125), Date.UTC(2024, 2, 31, 1, 59, 59, 999),
    Date.UTC(2024, 3, 15, 9), Date.UTC(2024, 9, 1, 8), Date.UTC(2024, 3, 15, 9),
    Date.UTC(2023, 11, 31, 23, 59, 59), Date.UTC(2024, 9, 27, 1, 30, 0, 125),
  ],
  amount: [null, 1500.25, null, 80, null, 12, null],
};

/** Everything of a compiled log except the name of the format it came from. */
function comparable(log: CompiledLog): unknown {
  return { ...log, info: { ...log.info, format: 'any' } };
}

async function viaCsv(options: ImportOptions, instants = false): Promise<CompiledLog> {
  const { importCsv } = await import('../src/ingest/csv/index.js');
  const bytes = new TextEncoder().encode(csvOf(table, { instants }));
  return importCsv(byteSourceFromBytes(bytes, 'same.csv'), options);
}

describe.skipIf(!csvReady)('the same rows in CSV, Parquet, Arrow and XLSX', () => {
  // Europe/Berlin: the naive times include both DST changes of 2024.
  for (const timezone of [undefined, 'Europe/Berlin']) {
    const options: ImportOptions = { timezone, sourceName: 'same' };
    it(`compile to identical logs from wall-clock times (zone ${timezone ?? 'default'})`,
      async () => {
        const expected = comparable(await viaCsv(options));
        const parquet = await importParquet(
          byteSourceFromBytes(parquetOf(table, { unit: 'MICROS' }), 'p'), options);
        expect(comparable(parquet)).toEqual(expected);
        const arrow = await importArrowTable(
          byteSourceFromBytes(arrowOf(table, { unit: TimeUnit.NANOSECOND }), 'a'), options);
        expect(comparable(arrow)).toEqual(expected);
        const xlsx = await importXlsx(byteSourceFromBytes(await xlsxOf(table), 'x'), options);
        expect(comparable(xlsx)).toEqual(expected);
      });
  }

  it('compile to identical logs from instants', async () => {
    const options: ImportOptions = { timezone: 'Asia/Kolkata', sourceName: 'same' };
    const expected = comparable(await viaCsv(options, true));
    const parquet = await importParquet(
      byteSourceFromBytes(parquetOf(table, { zoned: true }), 'p'), options);
    expect(comparable(parquet)).toEqual(expected);
    const arrow = await importArrowTable(byteSourceFromBytes(
      arrowOf(table, { unit: TimeUnit.MICROSECOND, timezone: '+05:30', format: 'stream' }), 'a'),
    options);
    expect(comparable(arrow)).toEqual(expected);
  });
});
