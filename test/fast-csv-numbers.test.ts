/**
 * Number columns of the columnar CSV import (amounts read into doubles by the WASM scanner,
 * with no dictionary) and case ids made strings only when read. Oracles: the JS reader of
 * plain decimals (`plainDecimalOfBytes`, itself held to `Number`) on random texts, columns
 * worked out by hand for the head's proposal, and the row importer (`fast: false`) for whole
 * logs, including files where the head's proposal is wrong further on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importCsv } from '../src/ingest/csv/import-csv.js';
import { CsvScanner } from '../src/ingest/fast-csv/csv-scanner.js';
import {
  lastFastCsvDecline, lastFastCsvNumbersDemoted,
} from '../src/ingest/fast-csv/import-fast.js';
import { plainNumberColumns } from '../src/ingest/fast-csv/number-columns.js';
import { plainDecimalOfBytes } from '../src/log/number-text.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lf-fast-csv-numbers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const workerFile = fileURLToPath(new URL('./fixtures/fast-csv/ts-worker.mjs', import.meta.url));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The row importer's log of `file`, and the columnar one's on each thread count. */
async function sameAsRows(
  file: string, threads: number[], settings: object = {},
): Promise<{ demoted: boolean[] }> {
  const slow = await importCsv(await byteSourceFromFile(file), {}, { fast: false });
  const demoted: boolean[] = [];
  for (const count of threads) {
    const fast = await importCsv(await byteSourceFromFile(file), {},
      { threads: count, parallelBytes: 0, workerFile, ...settings });
    expect(lastFastCsvDecline, `${path.basename(file)} on ${count}`).toBe('');
    demoted.push(lastFastCsvNumbersDemoted);
    expect(fast, `${path.basename(file)} on ${count} thread(s)`).toEqual(slow);
  }
  return { demoted };
}

describe('plain decimals read by the scanner', () => {
  const scanner = new CsvScanner({
    width: 1, delimiter: 44, text: [false], number: [true], required: [false], naiveUtc: true,
    maxFieldBytes: 1 << 20, maxRowBytes: 1 << 20,
  }, 4096);
  const both = (text: string) => {
    const bytes = Buffer.from(text, 'latin1');
    return [scanner.plainDecimalOf(bytes), plainDecimalOfBytes(bytes, 0, bytes.length)];
  };

  it('agree with the JS reader on random texts of digits, signs, dots and others', () => {
    const decimalish = fc.array(fc.constantFrom('0', '1', '5', '9', '.', '-', '+', 'e', ' ', 'x'),
      { maxLength: 30 }).map((parts) => parts.join(''));
    const numeric = fc.tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,20}$/),
      fc.option(fc.stringMatching(/^[0-9]{0,25}$/)))
      .map(([minus, whole, fraction]) => `${minus ? '-' : ''}${whole}` +
        (fraction === null ? '' : `.${fraction}`));
    fc.assert(fc.property(fc.oneof(decimalish, numeric), (text) => {
      const [wasm, js] = both(text);
      expect(Object.is(wasm, js), text).toBe(true);
    }), { numRuns: 5000 });
  });

  it('by hand: what is a plain decimal and what is not', () => {
    // Numbers: their value. Not plain decimals (NaN): an identifier with a leading zero, a
    // plus sign, an exponent, blanks, a bare dot, 2^53 as digits, 23 decimals (22 are read).
    const cases: [string, number][] = [['5182.80', 5182.8], ['-0', -0], ['12.', 12],
      ['0.5', 0.5], ['9007199254740991', 9007199254740991], ['007', NaN], ['+5', NaN],
      ['1e3', NaN], [' 5', NaN], ['.5', NaN], ['-', NaN], ['9007199254740992', NaN],
      [`0.${'1'.repeat(23)}`, NaN], [`0.${'0'.repeat(22)}1`, NaN],
      [`0.${'0'.repeat(21)}1`, 1e-22], [`0.${'1'.repeat(15)}`, 0.111111111111111]];
    for (const [text, value] of cases) expect(both(text)[0], text).toBe(value);
  });
});

describe('the head proposes number columns', () => {
  const head = (text: string) => Buffer.from(text, 'utf8');

  it('columns of plain decimals with many distinct values, not few, not mixed', () => {
    // Columns 2-5: amounts (40 distinct in 40 rows), a flag 0/1 (2 distinct: too few to be
    // worth a double a row), one with a text, one with an empty field and amounts.
    const rows = Array.from({ length: 40 }, (_, i) =>
      `c${i},A,${100 + i}.5,${i % 2},${i === 5 ? 'n/a' : i},${i === 2 ? '' : i * 3}`);
    const text = `case,act,amount,flag,mixed,sparse\n${rows.join('\n')}\n`;
    const from = text.indexOf('\n') + 1;
    expect(plainNumberColumns(head(text), from, 44, 6, [2, 3, 4, 5])).toEqual([2, 5]);
    // Only the columns asked about.
    expect(plainNumberColumns(head(text), from, 44, 6, [3, 4])).toEqual([]);
  });

  it('nothing from a sample with a quote or a row of another width', () => {
    const quoted = 'case,act,amount\nc1,A,1\nc2,"B",2\n';
    expect(plainNumberColumns(head(quoted), 16, 44, 3, [2])).toEqual([]);
    const ragged = 'case,act,amount\nc1,A,1\nc2,B\n';
    expect(plainNumberColumns(head(ragged), 16, 44, 3, [2])).toEqual([]);
    // The last line is left out unless complete; CRLF ends count as line ends.
    const crlf = 'case,act,amount\r\nc1,A,1.5\r\nc2,B,2.5\r\nc3,C,x';
    expect(plainNumberColumns(head(crlf), 17, 44, 3, [2])).toEqual([2]);
  });
});

describe('whole files', () => {
  /** Rows of one case per 3 events, an amount per case and a payment on the last event. */
  function rows(count: number, amountOf: (i: number) => string): string[] {
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const invoice = Math.floor(i / 3);
      const amount = amountOf(invoice);
      lines.push(`INV-${invoice},${['Created', 'Paid', 'Cleared'][i % 3]},` +
        `2024-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z,${amount},` +
        `${i % 3 === 2 ? amount : ''},${i % 7}`);
    }
    return lines;
  }
  const header = 'case,activity,time,amount,payment,weight';

  it('amounts read as numbers give the row importer\'s log, on 1 and 3 threads', async () => {
    const file = write('amounts.csv',
      `${header}\n${rows(30_000, (i) => `${(i * 37) % 100_000}.${i % 100}`).join('\n')}\n`);
    expect((await sameAsRows(file, [1, 3])).demoted).toEqual([false, false]);
    const log = await importCsv(await byteSourceFromFile(file), {},
      { threads: 1, parallelBytes: 0, workerFile });
    // Invoice 12: amount (12 * 37) % 100000 = 444, and .12: 444.12, one value per case.
    const amount = log.caseAttributes.get('amount') as { values: Float64Array };
    expect(amount.values[12]).toBe(444.12);
  }, 120_000);

  it('a non-number past the head: read again as text, the same log', async () => {
    // The head's sample (its first 256 KB) holds only plain decimals; row 20,000 (about
    // 1 MB in) does not. Each kind of value that is no plain decimal goes once in the amount
    // column and once in the payment column.
    const odds = ['n/a', '1e3', '007', '"4,5"', '"1""2"', '+5', '1.0000000000000000000001'];
    for (const odd of odds) {
      for (const column of ['amount', 'payment']) {
        const lines = rows(24_000, (i) => `${i}.25`);
        lines[20_000] = column === 'amount' ? `INV-x,Created,2024-01-05T10:00:00Z,${odd},,1`
          : `INV-x,Cleared,2024-01-05T10:00:00Z,5.25,${odd},1`;
        const text = `${header}\n${lines.join('\n')}\n`;
        expect(text.indexOf('INV-x')).toBeGreaterThan(70_000);
        const file = write(`late-${odds.indexOf(odd)}-${column}.csv`, text);
        // Two threads for the first kind only: each worker loads the sources (seconds).
        const threads = odd === odds[0] ? [1, 2] : [1];
        expect((await sameAsRows(file, threads)).demoted, `${odd} in ${column}`)
          .toEqual(threads.map(() => true));
      }
    }
  }, 240_000);

  it('spilled number columns read back the same, on 1 and 3 threads', async () => {
    const file = write('spilled.csv',
      `${header}\n${rows(40_000, (i) => `-${i % 9}${i}.5`).join('\n')}\n`);
    expect((await sameAsRows(file, [1, 3], { spillBytes: 0 })).demoted)
      .toEqual([false, false]);
  }, 120_000);
});

describe('case ids made when read', () => {
  it('are read through an accessor until first read, then are the row importer\'s', async () => {
    const file = write('ids.csv', 'case,activity,time\nb,A,2024-01-01\na,A,2024-01-02\n' +
      'b,B,2024-01-03\nc\u00fc,A,2024-01-04\n');
    const log = await importCsv(await byteSourceFromFile(file), {}, { threads: 1 });
    expect(typeof Object.getOwnPropertyDescriptor(log, 'caseIds')?.get).toBe('function');
    // By hand: ids in order of first appearance.
    expect(log.caseIds).toEqual(['b', 'a', 'c\u00fc']);
    expect(Object.getOwnPropertyDescriptor(log, 'caseIds')?.value).toEqual(['b', 'a', 'c\u00fc']);
  });
});
