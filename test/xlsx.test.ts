import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { attributeValue } from '../src/log/compiled-log.js';
import { isLedgerflowError } from '../src/errors.js';
import { byteSourceFromBytes } from '../src/ingest/byte-source.js';
import { importXlsx } from '../src/ingest/xlsx.js';
import {
  CASE08_EXPECTED, summarise, tableFromSimpleCsv, xlsxOf, type EventTable,
} from './fixtures/tables/event-table.js';
import { CASES_DIR, sharedAvailable } from './helpers/shared-data.js';

const shared = sharedAvailable();

const invoices: EventTable = {
  caseId: ['INV-1', 'INV-1', 'INV-2'],
  activity: ['Invoice Created', 'Payment Received', 'Invoice Created'],
  time: [Date.UTC(2024, 7, 30, 12, 0, 0), Date.UTC(2024, 8, 2, 9, 30, 0), Date.UTC(2024, 0, 15, 8)],
};

async function expectCode(promise: Promise<unknown>, code: string): Promise<string> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(isLedgerflowError(err)).toBe(true);
  expect((err as { code: string }).code).toBe(code);
  return (err as Error).message;
}

async function bytesOf(book: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await book.xlsx.writeBuffer());
}

describe('importXlsx', () => {
  it.skipIf(!shared)('gives the hand-worked answers of case 08 from the Events sheet', async () => {
    const table = tableFromSimpleCsv(
      readFileSync(path.join(CASES_DIR, '08-start-end-unsorted.csv'), 'utf8'));
    const log = await importXlsx(byteSourceFromBytes(await xlsxOf(table), '08.xlsx'), {});
    const { times: _t, ...summary } = summarise(log);
    expect(summary).toEqual(CASE08_EXPECTED);
    expect(log.info.format).toBe('xlsx');
  });

  it('reads date cells as wall-clock times in the import zone', async () => {
    const bytes = await xlsxOf(invoices);
    const utc = await importXlsx(byteSourceFromBytes(bytes, 'd.xlsx'), {});
    expect(Array.from(utc.time)).toEqual(invoices.time);
    const berlin = await importXlsx(byteSourceFromBytes(bytes, 'd.xlsx'),
      { timezone: 'Europe/Berlin' });
    // Berlin: UTC+2 on 30 Aug and 2 Sep 2024, UTC+1 on 15 Jan 2024.
    expect(Array.from(berlin.time)).toEqual([
      Date.UTC(2024, 7, 30, 10), Date.UTC(2024, 8, 2, 7, 30), Date.UTC(2024, 0, 15, 7),
    ]);
  });

  it('without an Events sheet, takes the first sheet whose header names case and activity',
    async () => {
      const bytes = await xlsxOf(invoices, { eventsSheetName: 'Data' });
      const log = await importXlsx(byteSourceFromBytes(bytes, 's.xlsx'), {});
      expect(log.caseIds).toEqual(['INV-1', 'INV-2']);
      expect(log.eventCount).toBe(3);
    });

  it('takes a zone-offset text column, rich text, hyperlinks and cached formula results',
    async () => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Events');
      sheet.addRow(['Invoice', 'Activity', 'Timestamp', 'Note', 'Due', 'Total']);
      sheet.addRow([
        { richText: [{ text: 'INV-' }, { font: { bold: true }, text: '9' }] },
        'Invoice Created', '2024-03-31T01:30:00+01:00',
        { text: 'portal', hyperlink: 'https://example.invalid/inv/9' },
        // A formula with a cached date result; the formula itself must never be evaluated.
        { formula: 'C2+30', result: new Date(Date.UTC(2024, 3, 30)) },
        // An external reference: only its cached value may be used.
        { formula: '[other.xlsx]Sheet1!A1*2', result: 250 },
      ]);
      sheet.addRow([
        'INV-9', { formula: '"Payment "&"Received"', result: 'Payment Received' },
        '2024-03-31T03:30:00+02:00', null, null,
        { formula: 'NOW()' }, // never calculated: no cached value, so no value
      ]);
      sheet.getColumn(5).numFmt = 'dd/mm/yyyy';
      const log = await importXlsx(byteSourceFromBytes(await bytesOf(book), 'r.xlsx'),
        { timezone: 'America/Chicago' });
      expect(log.caseIds).toEqual(['INV-9']);
      expect(log.activities).toEqual(['Invoice Created', 'Payment Received']);
      // 01:30+01:00 is 00:30Z; 03:30+02:00 is 01:30Z: offsets win over the import zone.
      expect(Array.from(log.time))
        .toEqual([Date.UTC(2024, 2, 31, 0, 30), Date.UTC(2024, 2, 31, 1, 30)]);
      const note = log.caseAttributes.get('Note') ?? log.eventAttributes.get('Note');
      expect(note !== undefined && attributeValue(note, 0)).toBe('portal');
      const due = log.caseAttributes.get('Due') ?? log.eventAttributes.get('Due');
      // The wall-clock 2024-04-30 00:00 read in Chicago (UTC-5 in April) is 05:00Z.
      expect(due?.kind).toBe('time');
      expect(due !== undefined && attributeValue(due, 0)).toBe(Date.UTC(2024, 3, 30, 5));
      const total = log.eventAttributes.get('Total') ?? log.caseAttributes.get('Total');
      expect(total?.kind).toBe('number');
      expect(total !== undefined && attributeValue(total, 0)).toBe(250);
    });

  it('skips blank rows below the table', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Events');
    sheet.addRow(['case', 'activity', 'timestamp']);
    sheet.addRow(['c1', 'Invoice Created', '2024-01-02 10:00:00']);
    const blank = sheet.getRow(5);
    blank.getCell(1).numFmt = '@';
    blank.getCell(1).value = '';
    blank.commit();
    const log = await importXlsx(byteSourceFromBytes(await bytesOf(book), 'b.xlsx'), {});
    expect(log.eventCount).toBe(1);
  });

  it('refuses bytes that are not a workbook', async () => {
    const csv = new TextEncoder().encode('case_id,activity,timestamp\n');
    const message = await expectCode(importXlsx(byteSourceFromBytes(csv, 'x.xlsx'), {}),
      'LF_ERR_INGEST_BAD_XLSX');
    expect(message).toContain('x.xlsx');
    const legacy = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(await expectCode(importXlsx(byteSourceFromBytes(legacy, 'old.xls'), {}),
      'LF_ERR_INGEST_BAD_XLSX')).toContain('.xls');
  });

  it('refuses a truncated workbook', async () => {
    const bytes = await xlsxOf(invoices);
    for (const cut of [Math.floor(bytes.length / 2), 40]) {
      await expectCode(importXlsx(byteSourceFromBytes(bytes.subarray(0, cut), 't.xlsx'), {}),
        'LF_ERR_INGEST_BAD_XLSX');
    }
  });
});

describe('numbers in a spreadsheet time column', () => {
  it('reads a plain number as an Excel date serial, not as milliseconds', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Events');
    sheet.addRow(['Invoice Number', 'Activity', 'Timestamp']);
    // 45352.375 days after 1899-12-30 is 2024-03-01 09:00 (45352 = 2024-03-01, .375 = 9 h).
    sheet.addRow(['INV-1', 'Invoice Created', 45352.375]);
    sheet.addRow(['INV-1', 'Payment Received', 45362.5]);
    const log = await importXlsx(byteSourceFromBytes(await bytesOf(book), 'n.xlsx'), {});
    expect(Array.from(log.time)).toEqual([Date.UTC(2024, 2, 1, 9), Date.UTC(2024, 2, 11, 12)]);
  });
});
