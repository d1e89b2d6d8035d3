import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateToFiles, templateXlsxBuffer } from '../src/generate/index.js';
import { importLog } from '../src/ingest/import-log.js';

// The 15 columns of the brief, typed out here rather than imported.
const COLUMNS = [
  'Invoice Number', 'Activity', 'Timestamp', 'Customer', 'Invoice Amount', 'Currency',
  'Due Date', 'Agent', 'Automated', 'Region', 'Segment', 'Payment Terms', 'Promised Date',
  'Dispute Reason', 'Payment Amount',
];

let dir: string;
let files: { xlsx: string; csv: string };
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lf-template-'));
  files = await templateToFiles(dir);
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** Cells of a worksheet row as text, the way a person reads them. */
function rowText(sheet: ExcelJS.Worksheet, n: number): string[] {
  const out: string[] = [];
  for (let c = 1; c <= COLUMNS.length; c++) {
    const v = sheet.getRow(n).getCell(c).value;
    out.push(v === null || v === undefined ? '' : String(v));
  }
  return out;
}

describe('template files', () => {
  it('writes the two files under their names', () => {
    expect(path.basename(files.xlsx)).toBe('ledgerflow-template.xlsx');
    expect(path.basename(files.csv)).toBe('ledgerflow-template.csv');
  });

  it('CSV has exactly the 15 columns in order and 3 example invoices', async () => {
    const lines = (await readFile(files.csv, 'utf8')).split('\r\n').filter((l) => l !== '');
    expect(lines[0].split(',')).toEqual(COLUMNS);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.every((r) => r.length === 15)).toBe(true);
    expect(new Set(rows.map((r) => r[0])).size).toBe(3);
    // Written by hand in template.ts: 4 + 8 + 7 events.
    expect(rows.length).toBe(19);
    // Example 2 keeps its promise: paid 2024-04-23, promised 2024-04-20 + 3 days grace.
    const promise = rows.find((r) => r[1] === 'Promise To Pay');
    expect(promise?.[12]).toBe('2024-04-20');
  });

  it('XLSX has an Events sheet with the same header and data as the CSV', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(files.xlsx);
    const events = book.getWorksheet('Events');
    expect(events).toBeDefined();
    const sheet = events as ExcelJS.Worksheet;
    expect(rowText(sheet, 1)).toEqual(COLUMNS);
    expect(sheet.getRow(1).cellCount).toBe(15);
    const csv = (await readFile(files.csv, 'utf8')).split('\r\n').filter((l) => l !== '');
    expect(sheet.actualRowCount).toBe(csv.length);
    for (let i = 1; i < csv.length; i++) {
      const fromCsv = csv[i].split(',');
      const fromXlsx = rowText(sheet, i + 1);
      // Amounts are numbers in the workbook: compare them as numbers.
      for (const c of [4, 14]) {
        if (fromCsv[c] !== '') {
          expect(Number(fromXlsx[c])).toBe(Number(fromCsv[c]));
          fromXlsx[c] = fromCsv[c];
        }
      }
      expect(fromXlsx).toEqual(fromCsv);
    }
    expect(typeof sheet.getRow(2).getCell(5).value).toBe('number');
  });

  it('XLSX has an Instructions sheet with a text for each column', async () => {
    const book = new ExcelJS.Workbook();
    // ExcelJS types its argument as the older, non-generic Buffer.
    const bytes = await templateXlsxBuffer();
    await book.xlsx.load(bytes as unknown as Parameters<typeof book.xlsx.load>[0]);
    const help = book.getWorksheet('Instructions') as ExcelJS.Worksheet;
    expect(help).toBeDefined();
    const named: string[] = [];
    help.eachRow((row, n) => {
      if (n === 1) return;
      named.push(String(row.getCell(1).value));
      expect(String(row.getCell(2).value).length).toBeGreaterThan(10);
    });
    expect(named).toEqual(COLUMNS);
  });

  it('imports as 3 invoices and 19 events from both files', async () => {
    for (const file of [files.csv, files.xlsx]) {
      const log = await importLog(file);
      expect(log.caseCount).toBe(3);
      expect(log.eventCount).toBe(19);
      // First event of the first example: 2024-03-01T09:15:00Z, by hand.
      expect(log.time[0]).toBe(Date.UTC(2024, 2, 1, 9, 15));
      expect(log.caseAttributes.get('Invoice Amount')?.kind).toBe('number');
    }
  });
});
