/**
 * The byte-level CSV reader and the parallel path must give exactly what the text tokenizer
 * gave before them. Oracles: the CsvTokenizer fed the whole decoded text (the importer's old
 * path, unchanged) for rows and line numbers; the single-threaded import for whole logs; the
 * counts of SOURCES.md for the shared sepsis log (1,050 cases, 15,214 events).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateToFile } from '../src/generate/generate-to-file.js';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { CsvByteReader } from '../src/ingest/csv/csv-byte-reader.js';
import { CsvTokenizer, type CsvSizeLimits } from '../src/ingest/csv/csv-tokenizer.js';
import { importCsv } from '../src/ingest/csv/import-csv.js';
import { parseCsvInParallel } from '../src/ingest/parallel-csv/parse-parallel.js';
import { CASES_DIR, DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

const LIMITS: CsvSizeLimits = { maxFieldChars: 1e7, maxRowChars: 4e7, maxRowFields: 1e4 };
const dir = mkdtempSync(path.join(tmpdir(), 'lf-parallel-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Event =
  | [kind: 'row', line: number, fields: string[]]
  | [kind: 'bad', line: number, detail: string];

function collector(into: Event[]) {
  return {
    row: (fields: string[], count: number, line: number) => {
      into.push(['row', line, fields.slice(0, count)]);
    },
    malformed: (line: number, detail: string) => {
      into.push(['bad', line, detail]);
    },
  };
}

/** Rows the old path finds: the whole text through the tokenizer. */
function byText(bytes: Uint8Array, delimiter = ','): Event[] {
  const out: Event[] = [];
  const tokenizer = new CsvTokenizer(delimiter, collector(out), LIMITS);
  tokenizer.push(new TextDecoder().decode(bytes));
  tokenizer.end();
  return out;
}

/** Rows the byte reader finds, the bytes cut into chunks of `size`. */
function byBytes(bytes: Uint8Array, size: number, delimiter = ','): Event[] {
  const out: Event[] = [];
  const reader = new CsvByteReader(delimiter, collector(out), LIMITS);
  for (let i = 0; i < bytes.length; i += size) reader.push(bytes.subarray(i, i + size));
  reader.end();
  return out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('byte reader against the text tokenizer', () => {
  const inputs: Record<string, string> = {
    plain: 'a,b,c\n1,2,3\n4,5,6\n',
    crlf: 'a,b\r\n1,2\r\n\r\n3,4\r\n',
    crOnly: 'a,b\r1,2\r3,4',
    noFinalBreak: 'a,b\n1,2',
    trailingDelimiter: 'a,b,\n1,2,\n',
    blankLines: '\n\na,b\n\n1,2\n\n',
    quotedAcrossLines: 'a,b\n"x\ny",2\n"p""q",3\nplain,4\n',
    quoteMidField: 'a,b\nx"y,1\n',
    badQuote: 'a,b\n"x"y,1\n2,3\n',
    unclosed: 'a,b\n1,2\n"never,3\n4,5\n',
    unicode: 'name,city\nJosé,Zürich\n日本,東京\n😀,x\n',
    wrongWidth: 'a,b\n1\n1,2,3\n',
    repeated: 'id,act\nc1,A\nc1,B\nc2,A\nc1,A\nc3,A\n',
  };
  for (const [name, text] of Object.entries(inputs)) {
    it(`${name}: same rows, lines and errors for every chunk size`, () => {
      const bytes = utf8(text);
      const expected = byText(bytes);
      for (const size of [1, 2, 3, 5, 7, bytes.length || 1]) {
        expect(byBytes(bytes, size), `chunks of ${size}`).toEqual(expected);
      }
    });
  }

  it('a line longer than the carry bound still reads the same', () => {
    const long = 'x'.repeat(5 * 1024 * 1024);
    const bytes = utf8(`a,b\n${long},1\n2,3\n`);
    expect(byBytes(bytes, 1 << 20)).toEqual(byText(bytes));
  });

  it('a field over the limit fails on its line either way', () => {
    const bytes = utf8(`a,b\n1,2\n${'x'.repeat(LIMITS.maxFieldChars + 10)},1\n`);
    // The long field sits on line 3 (by hand).
    const expected = { code: 'LF_ERR_INGEST_TOO_LARGE', location: { line: 3 } };
    expect(() => byText(bytes)).toThrow(expect.objectContaining(expected));
    expect(() => byBytes(bytes, 1 << 20)).toThrow(expect.objectContaining(expected));
  });

  it.skipIf(!sharedAvailable())('shared CSVs: same rows as the tokenizer', () => {
    const files = [
      [DATA_DIR, 'sepsis-cases.csv', ';'], [DATA_DIR, 'roadtraffic-fines-100traces.csv', ','],
      ...readdirSync(CASES_DIR).filter((f) => f.endsWith('.csv')).map((f) => [CASES_DIR, f, ',']),
    ];
    for (const [folder, name, delimiter] of files) {
      const raw = readFileSync(path.join(folder, name));
      const bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
      const bytes = bom ? raw.subarray(3) : raw;
      expect(byBytes(bytes, 4096, delimiter), name).toEqual(byText(bytes, delimiter));
    }
  });
});

const SINGLE = { minBytes: Infinity };
const PARALLEL = { minBytes: 0, workers: 2, rangesPerWorker: 3 };

async function both(file: string) {
  const source = await byteSourceFromFile(file);
  const single = await importCsv(source, {}, SINGLE);
  const parallel = await importCsv(source, {}, PARALLEL);
  return { single, parallel };
}

describe('parallel parsing', () => {
  it('a generated receivables log: the same compiled log as single-threaded', async () => {
    const file = path.join(dir, 'generated.csv');
    await generateToFile(file, { invoices: 3000, seed: 7, format: 'csv' });
    const size = readFileSync(file).length;
    const parsed = await parseCsvInParallel(file, size, null, LIMITS, PARALLEL);
    expect(await parsed?.allPlain).toBe(true);
    expect(parsed?.ranges.length).toBe(6);
    const { single, parallel } = await both(file);
    expect(parallel).toEqual(single);
  });

  it.skipIf(!sharedAvailable())('shared CSVs: the same compiled log; sepsis counts', async () => {
    const files = [path.join(DATA_DIR, 'sepsis-cases.csv'),
      path.join(DATA_DIR, 'roadtraffic-fines-100traces.csv'),
      ...readdirSync(CASES_DIR).filter((f) => f.endsWith('.csv') && !f.startsWith('16-'))
        .map((f) => path.join(CASES_DIR, f))];
    for (const file of files) {
      const { single, parallel } = await both(file);
      expect(parallel, file).toEqual(single);
      if (file.endsWith('sepsis-cases.csv')) {
        // SOURCES.md: 1,050 cases, 15,214 events.
        expect(parallel.caseCount).toBe(1050);
        expect(parallel.eventCount).toBe(15214);
      }
    }
  });

  it('a file with a quote anywhere is left to the single-threaded reader', async () => {
    const file = path.join(dir, 'quoted.csv');
    writeFileSync(file, 'case,activity,time\nc1,A,2024-01-01T00:00:00Z\n' +
      'c1,"B, late",2024-01-02T00:00:00Z\n');
    const size = readFileSync(file).length;
    const parsed = await parseCsvInParallel(file, size, null, LIMITS, PARALLEL);
    expect(await parsed?.allPlain).toBe(false);
    const { single, parallel } = await both(file);
    expect(parallel).toEqual(single);
    // By hand: activities A and "B, late" (the quoted comma is text).
    expect(parallel.activities).toEqual(['A', 'B, late']);
  });

  it('a bad row is reported on the same line as single-threaded', async () => {
    const file = path.join(dir, 'bad.csv');
    const lines = ['case,activity,time'];
    for (let i = 0; i < 200; i++) {
      lines.push(`c${i % 7},A,2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`);
    }
    lines[150] = 'c1,A,not a time';
    writeFileSync(file, lines.join('\n') + '\n');
    const source = await byteSourceFromFile(file);
    // Line 151 of the file (header is line 1), counted by hand.
    const at151 = { location: { line: 151 } };
    await expect(importCsv(source, {}, PARALLEL)).rejects.toMatchObject(at151);
    await expect(importCsv(source, {}, SINGLE)).rejects.toMatchObject(at151);
  });
});
