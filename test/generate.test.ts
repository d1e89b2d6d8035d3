import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLedgerflowError } from '../src/errors.js';
import { importLog } from '../src/ingest/import-log.js';
import {
  attributeValue, type AttributeColumn, type CompiledLog,
} from '../src/log/compiled-log.js';
import {
  ACTIVITIES, COL, LogGenerator, TEMPLATE_COLUMNS, csvLine, generateLogWithSummary,
  generateToFile, writeCsv, type EventRow,
} from '../src/generate/index.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(tmpdir(), 'lf-generate-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** A small RFC 4180 reader, written here so the check does not reuse the writer's code. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\n') {
      record.push(field.endsWith('\r') ? field.slice(0, -1) : field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

function allRows(invoices: number, seed: number, cutoff?: string): EventRow[] {
  return [...new LogGenerator({ invoices, seed, cutoff }).rows()];
}

describe('generator determinism', () => {
  it('gives identical CSV bytes for the same seed and different bytes for another', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    const c = path.join(dir, 'c.csv');
    await generateToFile(a, { invoices: 2000, seed: 42 });
    await generateToFile(b, { invoices: 2000, seed: 42 });
    await generateToFile(c, { invoices: 2000, seed: 43 });
    const [bytesA, bytesB, bytesC] = await Promise.all([readFile(a), readFile(b), readFile(c)]);
    expect(bytesA.equals(bytesB)).toBe(true);
    expect(bytesA.equals(bytesC)).toBe(false);
  });

  it('gives identical Parquet bytes for the same seed', async () => {
    const a = path.join(dir, 'a.parquet');
    const b = path.join(dir, 'b.parquet');
    await generateToFile(a, { invoices: 500, seed: 9, format: 'parquet' });
    await generateToFile(b, { invoices: 500, seed: 9, format: 'parquet' });
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
  });

  it('keeps an invoice the same whatever the number of invoices after it', () => {
    const short = allRows(10, 5);
    const long = allRows(1000, 5).slice(0, short.length);
    expect(long).toEqual(short);
  });
});

describe('generated log shape (2,000 invoices)', () => {
  const rows = allRows(2000, 1);

  it('contains every activity role', () => {
    const seen = new Set(rows.map((r) => r[COL.activity]));
    // The nine default names of the design's role table, typed out independently.
    expect([...seen].sort()).toEqual([
      'Cash Applied', 'Credit Note Issued', 'Dispute Opened', 'Dispute Resolved',
      'Dunning Letter Sent', 'Invoice Cleared', 'Invoice Created', 'Payment Received',
      'Promise To Pay',
    ]);
  });

  it('writes each invoice contiguously, starting with its creation, in time order', () => {
    const done = new Set<string>();
    let current = '';
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r[COL.invoice] !== current) {
        expect(done.has(r[COL.invoice])).toBe(false);
        done.add(current);
        current = r[COL.invoice];
        expect(r[COL.activity]).toBe(ACTIVITIES.created);
      } else {
        expect(r[COL.timestamp]).toBeGreaterThanOrEqual(rows[i - 1][COL.timestamp]);
      }
    }
    done.add(current);
    expect(done.size - 1).toBe(2000);
  });

  it('fills the role-specific columns only on their rows', () => {
    for (const r of rows) {
      const a = r[COL.activity];
      expect(r[COL.automated] !== null).toBe(a === ACTIVITIES.cashApplied);
      expect(r[COL.promisedDate] !== null).toBe(a === ACTIVITIES.promise);
      expect(r[COL.disputeReason] !== null).toBe(a === ACTIVITIES.disputeOpened);
      expect(r[COL.paymentAmount] !== null).toBe(a === ACTIVITIES.payment);
      const collectorRow = a === ACTIVITIES.dunning || a === ACTIVITIES.promise
        || a === ACTIVITIES.disputeOpened || a === ACTIVITIES.disputeResolved;
      expect(r[COL.agent] !== null).toBe(collectorRow);
    }
  });

  it('sets due dates from terms and pays each uncredited cleared invoice in full', () => {
    // Terms set the due date: Net N → due date N days after the creation date.
    let checked = 0;
    let current: EventRow[] = [];
    const check = (inv: EventRow[]) => {
      const created = inv[0];
      const createdDay = Math.floor(created[COL.timestamp] / 86_400_000);
      const terms = Number(created[COL.paymentTerms].replace('Net ', ''));
      expect([30, 45, 60]).toContain(terms);
      expect(created[COL.dueDate]).toBe((createdDay + terms) * 86_400_000);
      const cleared = inv.some((r) => r[COL.activity] === ACTIVITIES.cleared);
      const credited = inv.some((r) => r[COL.activity] === ACTIVITIES.creditNote);
      if (!cleared || credited) return;
      const paid = inv.reduce((s, r) => s + (r[COL.paymentAmount] ?? 0), 0);
      expect(paid).toBeCloseTo(created[COL.invoiceAmount], 6);
      checked++;
    };
    for (const r of rows) {
      if (current.length > 0 && r[COL.invoice] !== current[0][COL.invoice]) {
        check(current);
        current = [];
      }
      current.push(r);
    }
    check(current);
    expect(checked).toBeGreaterThan(1000);
  });

  it('writes no event after the cut-off and leaves some invoices open', () => {
    const cutoff = '2024-06-30T12:00:00Z';
    const limit = Date.UTC(2024, 5, 30, 12);
    const generator = new LogGenerator({ invoices: 2000, seed: 3, cutoff });
    let latest = -Infinity;
    const cleared = new Set<string>();
    const invoices = new Set<string>();
    for (const r of generator.rows()) {
      latest = Math.max(latest, r[COL.timestamp]);
      invoices.add(r[COL.invoice]);
      if (r[COL.activity] === ACTIVITIES.cleared) cleared.add(r[COL.invoice]);
    }
    expect(latest).toBeLessThanOrEqual(limit);
    expect(generator.summary.openAtCutoff).toBe(invoices.size - cleared.size);
    expect(invoices.size - cleared.size).toBeGreaterThan(0);
  });

  it('has stuck invoices: open, with no event for more than 60 days', () => {
    const last = new Map<string, number>();
    const cleared = new Set<string>();
    for (const r of rows) {
      last.set(r[COL.invoice], r[COL.timestamp]);
      if (r[COL.activity] === ACTIVITIES.cleared) cleared.add(r[COL.invoice]);
    }
    const cutoff = Date.UTC(2025, 0, 1); // the documented default
    const stuck = [...last].filter(([inv, t]) => !cleared.has(inv)
      && cutoff - t > 60 * 86_400_000);
    expect(stuck.length).toBeGreaterThan(0);
  });
});

describe('generated files', () => {
  it('writes the CSV rows the generator reports, under the template header', async () => {
    const file = path.join(dir, 'count.csv');
    const summary = await generateToFile(file, { invoices: 1500, seed: 11 });
    const records = parseCsv(await readFile(file, 'utf8'));
    expect(records[0]).toEqual([...TEMPLATE_COLUMNS]);
    expect(records.length - 1).toBe(summary.rows);
    expect(new Set(records.slice(1).map((r) => r[0])).size).toBe(1500);
    expect(records.every((r) => r.length === 15)).toBe(true);
    // ISO 8601 UTC with Z, and YYYY-MM-DD dates.
    for (const r of records.slice(1)) {
      expect(r[2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(r[6]).toMatch(/^\d{4}-\d\d-\d\d$/);
      if (r[12] !== '') expect(r[12]).toMatch(/^\d{4}-\d\d-\d\d$/);
      if (r[8] !== '') expect(['true', 'false']).toContain(r[8]);
    }
  });

  it('writes a Parquet file holding the same rows as the CSV', async () => {
    const csv = path.join(dir, 'same.csv');
    const pq = path.join(dir, 'same.parquet');
    const summary = await generateToFile(csv, { invoices: 300, seed: 12 });
    await generateToFile(pq, { invoices: 300, seed: 12, format: 'parquet' });
    const bytes = await readFile(pq);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const objects = await parquetReadObjects({ file });
    const records = parseCsv(await readFile(csv, 'utf8')).slice(1);
    expect(objects.length).toBe(summary.rows);
    for (let i = 0; i < records.length; i++) {
      const o = objects[i];
      const r = records[i];
      expect(o['Invoice Number']).toBe(r[0]);
      expect(o['Activity']).toBe(r[1]);
      expect((o['Timestamp'] as Date).toISOString().replace('.000Z', 'Z')).toBe(r[2]);
      expect(o['Invoice Amount']).toBe(Number(r[4]));
      expect((o['Due Date'] as Date).toISOString().slice(0, 10)).toBe(r[6]);
      expect(o['Automated'] === null ? '' : String(o['Automated'])).toBe(r[8]);
      expect(o['Payment Amount'] === null ? '' : o['Payment Amount']).toBe(
        r[14] === '' ? '' : Number(r[14]));
    }
  });

  it('quotes fields as RFC 4180 says, only where needed', () => {
    // Expected texts worked out by hand from RFC 4180 section 2 (rules 5 to 7).
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', ''])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",\r\n');
  });

  it('formats rows the same through the per-invoice fast path and the plain path', async () => {
    const fast = path.join(dir, 'fast.csv');
    const plain = path.join(dir, 'plain.csv');
    await generateToFile(fast, { invoices: 700, seed: 31 });
    await writeCsv(plain, new LogGenerator({ invoices: 700, seed: 31 }).rows());
    expect((await readFile(fast)).equals(await readFile(plain))).toBe(true);
  });

  it('rejects a bad option with an option error', () => {
    for (const bad of [{ invoices: 0, seed: 1 }, { invoices: 1.5, seed: 1 },
      { invoices: 10, seed: Number.NaN }, { invoices: 10, seed: 1, cutoff: 'soon' }]) {
      let caught: unknown;
      try { new LogGenerator(bad); } catch (err) { caught = err; }
      expect(isLedgerflowError(caught, 'LF_ERR_OPTION_INVALID')).toBe(true);
    }
  });
});

describe('generated compiled log', () => {
  it('compiles every generated row, with typed attributes', () => {
    const { log, summary } = generateLogWithSummary({ invoices: 800, seed: 21 });
    expect(log.caseCount).toBe(800);
    expect(log.eventCount).toBe(summary.rows);
    expect(log.caseAttributes.get('Invoice Amount')?.kind).toBe('number');
    expect(log.caseAttributes.get('Due Date')?.kind).toBe('time');
    expect(log.caseAttributes.get('Segment')?.kind).toBe('string');
    expect(log.eventAttributes.get('Automated')?.kind).toBe('boolean');
    expect(log.eventAttributes.get('Payment Amount')?.kind).toBe('number');
    expect(log.eventAttributes.get('Promised Date')?.kind).toBe('time');
    expect(log.resource).not.toBeNull();
    // Same rows, counted straight from the stream.
    const rows = allRows(800, 21);
    const created = rows.filter((r) => r[COL.activity] === ACTIVITIES.created).length;
    const code = log.activities.indexOf(ACTIVITIES.created);
    expect(log.activity.filter((a) => a === code).length).toBe(created);
  });

  it('equals an import of the same log written as CSV and as Parquet', async () => {
    // The import path is independent code (src/ingest): both must agree value for value.
    const direct = generateLogWithSummary({ invoices: 400, seed: 4 }).log;
    for (const format of ['csv', 'parquet'] as const) {
      const file = path.join(dir, `import.${format}`);
      await generateToFile(file, { invoices: 400, seed: 4, format });
      const imported = await importLog(file);
      expect(imported.caseIds).toEqual(direct.caseIds);
      expect(Array.from(imported.time)).toEqual(Array.from(direct.time));
      const names = (log: CompiledLog) => Array.from(log.activity, (a) => log.activities[a]);
      expect(names(imported)).toEqual(names(direct));
      for (const [table, size] of [['caseAttributes', direct.caseCount],
        ['eventAttributes', direct.eventCount]] as const) {
        expect([...imported[table].keys()].sort()).toEqual([...direct[table].keys()].sort());
        for (const [name, column] of direct[table]) {
          const other = imported[table].get(name) as AttributeColumn;
          expect(other.kind, name).toBe(column.kind);
          for (let i = 0; i < size; i++) {
            expect(attributeValue(other, i), name).toBe(attributeValue(column, i));
          }
        }
      }
    }
  });
});
