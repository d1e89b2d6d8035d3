/**
 * The ledgerflow data template: the 15 columns, three example invoices that show every role,
 * and a short instruction per column. Served as XLSX (sheets `Events` and `Instructions`) and
 * written as CSV with the same data.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { LedgerflowError } from '../errors.js';
import { parseIsoTimestamp } from '../ingest/timestamp.js';
import {
  ACTIVITIES as A, COL, TEMPLATE_COLUMNS, rowToText, type Activity, type EventRow,
} from './columns.js';
import { csvLine } from './csv-writer.js';

/** File names {@link templateToFiles} writes. */
export const TEMPLATE_FILES = {
  xlsx: 'ledgerflow-template.xlsx',
  csv: 'ledgerflow-template.csv',
} as const;

/** What to write in each column, in column order. */
export const COLUMN_INSTRUCTIONS: Readonly<Record<(typeof TEMPLATE_COLUMNS)[number], string>> = {
  'Invoice Number': 'Required. The invoice id; every row of one invoice carries the same number.',
  'Activity': 'Required. What happened, one of: ' + Object.values(A).join(', ')
    + '. Other names work too once mapped to these roles.',
  'Timestamp': 'Required. When it happened, ISO 8601 in UTC, e.g. 2024-03-01T09:15:00Z.',
  'Customer': 'The customer billed; repeat it on every row of the invoice.',
  'Invoice Amount': 'The invoice total, a plain number with a dot for decimals; every row.',
  'Currency': 'ISO 4217 code of the invoice currency (USD, EUR…); every row.',
  'Due Date': 'The payment due date, YYYY-MM-DD; every row.',
  'Agent': 'The collector who sent the reminder, took the promise or handled the dispute.',
  'Automated': 'On Cash Applied rows: true if the payment was matched automatically, else false.',
  'Region': 'The customer\'s sales region (EMEA, NA, APAC, LATAM…); every row.',
  'Segment': 'The customer segment (Enterprise, Mid-Market, SMB…); every row.',
  'Payment Terms': 'The agreed terms, e.g. Net 30; every row.',
  'Promised Date': 'On Promise To Pay rows: the date the customer promised to pay, YYYY-MM-DD.',
  'Dispute Reason': 'On Dispute Opened rows: why the customer disputes the invoice.',
  'Payment Amount': 'On Payment Received rows: the amount received (one row per part).',
};

interface Invoice {
  number: string;
  customer: string;
  amount: number;
  currency: string;
  due: string;
  region: string;
  segment: string;
  terms: string;
  collector: string;
}

type Extra = { agent?: boolean; automated?: boolean; promised?: string; reason?: string;
  paid?: number };

const ms = (iso: string): number => parseIsoTimestamp(iso);

function rowsOf(inv: Invoice, events: [string, Activity, Extra?][]): EventRow[] {
  return events.map(([time, activity, x = {}]) => [
    inv.number, activity, ms(time), inv.customer, inv.amount, inv.currency, ms(inv.due),
    x.agent === true ? inv.collector : null, x.automated ?? null, inv.region, inv.segment,
    inv.terms, x.promised === undefined ? null : ms(x.promised), x.reason ?? null,
    x.paid ?? null,
  ]);
}

/** The example rows: paid on time; dunned, promised and paid in two parts; disputed. */
export function templateRows(): EventRow[] {
  const onTime: Invoice = {
    number: 'INV-2024-0001', customer: 'Customer 0001', amount: 12500, currency: 'USD',
    due: '2024-03-31', region: 'NA', segment: 'Enterprise', terms: 'Net 30',
    collector: 'Emily Carter',
  };
  const promised: Invoice = {
    number: 'INV-2024-0002', customer: 'Customer 0002', amount: 3480, currency: 'EUR',
    due: '2024-04-03', region: 'EMEA', segment: 'SMB', terms: 'Net 30',
    collector: 'Anna Keller',
  };
  const disputed: Invoice = {
    number: 'INV-2024-0003', customer: 'Customer 0003', amount: 8200, currency: 'AUD',
    due: '2024-04-19', region: 'APAC', segment: 'Mid-Market', terms: 'Net 45',
    collector: 'Priya Sharma',
  };
  return [
    ...rowsOf(onTime, [
      ['2024-03-01T09:15:00Z', A.created],
      ['2024-03-28T14:02:00Z', A.payment, { paid: 12500 }],
      ['2024-03-28T14:20:00Z', A.cashApplied, { automated: true }],
      ['2024-03-28T15:00:00Z', A.cleared],
    ]),
    ...rowsOf(promised, [
      ['2024-03-04T10:30:00Z', A.created],
      ['2024-04-10T06:00:00Z', A.dunning, { agent: true }],
      ['2024-04-12T11:20:00Z', A.promise, { agent: true, promised: '2024-04-20' }],
      ['2024-04-19T09:45:00Z', A.payment, { paid: 1500 }],
      ['2024-04-22T13:10:00Z', A.cashApplied, { automated: false }],
      ['2024-04-23T10:05:00Z', A.payment, { paid: 1980 }],
      ['2024-04-23T10:30:00Z', A.cashApplied, { automated: true }],
      ['2024-04-23T11:00:00Z', A.cleared],
    ]),
    ...rowsOf(disputed, [
      ['2024-03-05T08:00:00Z', A.created],
      ['2024-03-12T09:30:00Z', A.disputeOpened, { agent: true, reason: 'Pricing Error' }],
      ['2024-03-20T16:00:00Z', A.disputeResolved, { agent: true }],
      ['2024-03-22T10:00:00Z', A.creditNote],
      ['2024-04-15T11:00:00Z', A.payment, { paid: 7380 }],
      ['2024-04-15T11:05:00Z', A.cashApplied, { automated: true }],
      ['2024-04-15T12:00:00Z', A.cleared],
    ]),
  ];
}

/** The template as CSV text (header and example rows, CRLF line ends). */
export function templateCsv(): string {
  return csvLine(TEMPLATE_COLUMNS) + templateRows().map((r) => csvLine(rowToText(r))).join('');
}

// A fixed date keeps the workbook's bytes the same from one run to the next.
const WORKBOOK_DATE = new Date(Date.UTC(2024, 0, 1));

/** The template as an XLSX workbook (sheets `Events` and `Instructions`). */
export async function templateXlsxBuffer(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'ledgerflow';
  book.created = WORKBOOK_DATE;
  book.modified = WORKBOOK_DATE;

  const events = book.addWorksheet('Events', { views: [{ state: 'frozen', ySplit: 1 }] });
  events.addRow([...TEMPLATE_COLUMNS]);
  for (const row of templateRows()) {
    const text = rowToText(row);
    // Amounts stay numbers and the flag a boolean; times and dates are ISO text, which reads
    // back exactly, whatever zone the spreadsheet program runs in.
    events.addRow(text.map((cell, i) => {
      if (cell === '') return null;
      if (i === COL.invoiceAmount || i === COL.paymentAmount) return row[i];
      if (i === COL.automated) return row[i];
      return cell;
    }));
  }
  events.getRow(1).font = { bold: true };
  events.columns.forEach((column, i) => {
    column.width = Math.max(12, TEMPLATE_COLUMNS[i].length + 2, i === COL.timestamp ? 22 : 0);
  });

  const help = book.addWorksheet('Instructions');
  help.addRow(['Column', 'What to write']);
  help.getRow(1).font = { bold: true };
  for (const name of TEMPLATE_COLUMNS) help.addRow([name, COLUMN_INSTRUCTIONS[name]]);
  help.getColumn(1).width = 18;
  help.getColumn(2).width = 100;

  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Writes `ledgerflow-template.xlsx` and `ledgerflow-template.csv` into `dir`. */
export async function templateToFiles(dir: string): Promise<{ xlsx: string; csv: string }> {
  const xlsx = path.join(dir, TEMPLATE_FILES.xlsx);
  const csv = path.join(dir, TEMPLATE_FILES.csv);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(xlsx, await templateXlsxBuffer());
    await writeFile(csv, templateCsv());
  } catch (err) {
    if (err instanceof LedgerflowError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new LedgerflowError('LF_ERR_OUTPUT_WRITE_FAILED',
      `${message}; check that the folder exists and is writable`, { file: dir }, err);
  }
  return { xlsx, csv };
}
