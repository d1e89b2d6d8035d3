/**
 * The byte-level CSV reader must give exactly what the text tokenizer gave before it. Oracle:
 * the CsvTokenizer fed the whole decoded text (the importer's old path, unchanged) for rows,
 * line numbers and errors. (Parsing on several threads is tested in fast-csv.test.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvByteReader } from '../src/ingest/csv/csv-byte-reader.js';
import { CsvTokenizer, type CsvSizeLimits } from '../src/ingest/csv/csv-tokenizer.js';
import { CASES_DIR, DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

const LIMITS: CsvSizeLimits = { maxFieldChars: 1e7, maxRowChars: 4e7, maxRowFields: 1e4 };

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
