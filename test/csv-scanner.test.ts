/**
 * The WASM field scanner behind the columnar CSV import, on random files built to hit its
 * edges: quoted fields holding delimiters, line breaks and `""`, CRLF and LF mixed, blank
 * lines, empty fields, repeated values (the repeat check), multi-byte UTF-8, a last record
 * without a line end, and now and then a broken row (a quote left open, a stray CR, a wrong
 * width, an empty case id) that must send the file to the row importer.
 *
 * Oracles: the row importer (`fast: false`), which reads the same text its own way, for the
 * whole import; and the parser itself fed the file in one block, for the same file fed in
 * blocks of a few bytes (every record then crosses blocks, and blocks grow for long ones).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importCsv } from '../src/ingest/csv/import-csv.js';
import { lastFastCsvDecline } from '../src/ingest/fast-csv/import-fast.js';
import {
  ColumnKind, type DictionaryMerger, type RangePlan,
} from '../src/ingest/fast-csv/range-plan.js';
import type { CodeArray } from '../src/log/code-array.js';
import { parseFileRange } from '../src/ingest/fast-csv/read-range.js';
import {
  decodeEntries, type DictionaryBytes, fieldHash,
} from '../src/ingest/fast-csv/byte-dictionary.js';
import { isScannerFull, isScannerStop } from '../src/ingest/fast-csv/scanner-stop.js';
import {
  checkRowImportRoom, checkStringBudget, fitsStringBudget,
} from '../src/ingest/fast-csv/string-budget.js';
import { isLedgerflowError } from '../src/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lf-csv-scanner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

const HEADER = 'case,activity,time,note,amount';

const caseId = fc.constantFrom('c1', 'c2', 'c3', '"c4"', 'ü5', '"c,6"');
const activity = fc.constantFrom('A', 'B', 'Zahlung ü', '"B ""q"""', '"two\nlines"', '"x,y"');
const time = fc.constantFrom('2024-01-01T10:00:00Z', '2024-01-02 11:00:00.5',
  '2024-03-31T02:30:00+02:00', '2024-01-05', '"2024-01-06T00:00:00Z"', '2024-02-30');
const note = fc.oneof(
  fc.constantFrom('', 'x', 'same', 'same', '"a""b"', '"\r\n"', '€uro', '""', '"q,"'),
  fc.stringMatching(/^[a-z]{0,12}$/),
);
const amount = fc.constantFrom('', '10.50', '10.50', '7', '-3', '1e3');
const row = fc.tuple(caseId, activity, time, note, amount).map((f) => f.join(','));
// Now and then a row that the columnar path must refuse (and the row importer judge).
const broken = fc.constantFrom('c1,A,2024-01-01,"open,1', 'c1,A\r,2024-01-01,,', 'c1,A',
  ',A,2024-01-01,,', 'c1,A,2024-01-01,,,extra', 'c1,"A"x,2024-01-01,,', 'c1,,2024-01-01,,');
const line = fc.oneof({ weight: 30, arbitrary: row }, { weight: 1, arbitrary: broken },
  { weight: 1, arbitrary: fc.constant('') });
const file = fc.record({
  lines: fc.array(line, { minLength: 1, maxLength: 40 }),
  crlf: fc.boolean(),
  finalBreak: fc.boolean(),
});

function textOf(f: { lines: string[]; crlf: boolean; finalBreak: boolean }): string {
  const eol = f.crlf ? '\r\n' : '\n';
  return HEADER + eol + f.lines.join(eol) + (f.finalBreak ? eol : '');
}

function write(text: string): string {
  const target = path.join(dir, `f${fileCount++}.csv`);
  writeFileSync(target, text);
  return target;
}

async function outcome(target: string, settings: object): Promise<unknown> {
  try {
    return { log: await importCsv(await byteSourceFromFile(target), {}, settings) };
  } catch (err) {
    const e = err as { code: unknown; location: unknown };
    return { error: { code: e.code, location: e.location } };
  }
}

const PLAN: RangePlan = {
  delimiter: 44, width: 5,
  kinds: [ColumnKind.Text, ColumnKind.Text, ColumnKind.Time, ColumnKind.Text, ColumnKind.Text],
  required: [0, 1], caseColumn: 0, timezone: 'UTC', maxFieldBytes: 1 << 20, maxRowBytes: 1 << 22,
  spilled: [], spillDir: '',
};

/** The parsed range with its dictionaries as texts, comparable across block sizes. */
function parsed(target: string, size: number, blockBytes: number): unknown {
  const start = HEADER.length + 1;
  const range = parseFileRange(target, start, size, PLAN, size - start, blockBytes);
  if (range.failure !== '') return { failure: true };
  const columns = Array.from({ length: PLAN.width }, (_, c) => {
    const column = range.codes[c];
    const codes = column === null ? null : Array.from(column.subarray(0, range.rows));
    const entries = range.dictionaries[c];
    return { codes, texts: entries === null ? null : decodeEntries(entries) };
  });
  return {
    rows: range.rows, columns, firstRow: range.firstRow, time: Array.from(range.time),
    deferred: [range.deferredRows, range.deferredWhich, range.deferredTexts],
  };
}

describe('the WASM field scanner', () => {
  it('random files: the same log or the same error as the row importer', async () => {
    let taken = 0;
    await fc.assert(fc.asyncProperty(file, async (f) => {
      const target = write(textOf(f));
      const slow = await outcome(target, { fast: false });
      const fast = await outcome(target, { threads: 1 });
      if (lastFastCsvDecline === '') taken++;
      expect(fast).toEqual(slow);
    }), { numRuns: 300, seed: 7 });
    // Most random files are clean: the columnar path must have read them, not declined.
    expect(taken).toBeGreaterThan(100);
  });

  it('fields of 0 to 40 bytes, stop bytes at every place of a 16-byte step, any delimiter',
    async () => {
      // The scanner looks for the delimiter, LF and CR sixteen bytes at a time while sixteen
      // are left, then a byte at a time: every field length crosses both, and both line ends.
      for (const delimiter of [',', ';', '\t', '|']) {
        const lines: string[] = [];
        for (let n = 0; n <= 40; n++) {
          const text = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEF'.slice(0, n);
          const time = `2024-01-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00Z`;
          lines.push([`c${n % 5}`, `A${n % 3}`, time, text, n % 2 === 0 ? `${n}.5` : '']
            .join(delimiter));
        }
        for (const eol of ['\n', '\r\n']) {
          const header = HEADER.replaceAll(',', delimiter);
          const target = write(header + eol + lines.join(eol) + eol);
          const slow = await outcome(target, { fast: false });
          const fast = await outcome(target, { threads: 1 });
          expect(lastFastCsvDecline, `${JSON.stringify(delimiter)} ${JSON.stringify(eol)}`)
            .toBe('');
          expect(fast).toEqual(slow);
        }
      }
    });

  it('the last range merged is looked up, not added: its new texts follow, kept aside', () => {
    // Two ranges of one file: the first holds cases a1, a2; the second a2, b1, b2, a1.
    const first = 'a1,A,2024-01-01,,\na2,A,2024-01-02,,\n';
    const second = 'a2,B,2024-01-03,,\nb1,A,2024-01-04,,\nb2,A,2024-01-05,,\na1,C,2024-01-06,,\n';
    const target = write(`${HEADER}\n${first}${second}`);
    const start = HEADER.length + 1;
    const cut = start + first.length;
    const end = cut + second.length;
    const one = parseFileRange(target, start, cut, PLAN, end - start, 1 << 16, true);
    const two = parseFileRange(target, cut, end, PLAN);
    const merger = one.merger as DictionaryMerger;
    const into = new Int32Array(6);
    merger.mergeColumn(0, two.dictionaries[0] as DictionaryBytes, two.codes[0] as CodeArray, 4,
      into, 2, true);
    // By hand: a2 and a1 keep the first range's codes 1 and 0; b1 and b2 take 2 and 3.
    expect(Array.from(into.subarray(2))).toEqual([1, 2, 3, 0]);
    expect(merger.size(0)).toBe(4);
    expect(merger.textBytes(0)).toBe(8);
    expect(merger.texts(0)).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(merger.texts(0, 2, ['x', 'y'])).toEqual(['x', 'y', 'b1', 'b2']);
    expect(decodeEntries(merger.dictionary(0, false))).toEqual(['a1', 'a2', 'b1', 'b2']);
    // Nothing may be merged into the column after its last range.
    expect(() => merger.remapOf(0, two.dictionaries[0] as DictionaryBytes, false))
      .toThrow(/after its last/);
  });

  it('random files cut into blocks of a few bytes read as in one block', () => {
    fc.assert(fc.property(file, fc.integer({ min: 1, max: 48 }), (f, blockBytes) => {
      const text = HEADER + '\n' + f.lines.join(f.crlf ? '\r\n' : '\n') + '\n';
      const target = write(text);
      const size = Buffer.byteLength(text);
      expect(parsed(target, size, blockBytes)).toEqual(parsed(target, size, 1 << 20));
    }), { numRuns: 400, seed: 11 });
  });

  it('the scanner hashes each value as fieldHash does, whatever block it ends in', () => {
    // Values of 0 to 40 bytes, ASCII or not, unquoted or quoted, so that the eight-byte scan,
    // its last partial word and the byte-at-a-time tail before a block's end all take part.
    const value = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '0', 'é', '€', ' '),
      maxLength: 40 });
    fc.assert(fc.property(fc.array(fc.tuple(value, fc.boolean()), { minLength: 1,
      maxLength: 30 }), fc.integer({ min: 9, max: 64 }), (values, blockBytes) => {
      const lines = values.map(([v, quoted]) => `c1,A,2024-01-01,${quoted ? `"${v}"` : v},`);
      const text = `${HEADER}\n${lines.join('\n')}\n`;
      const target = write(text);
      const range = parseFileRange(target, HEADER.length + 1, Buffer.byteLength(text), PLAN,
        Buffer.byteLength(text), blockBytes);
      expect(range.failure).toBe('');
      const notes = range.dictionaries[3];
      if (notes === null) throw new Error('the note column has no dictionary');
      for (let code = 0; code < notes.size; code++) {
        const from = notes.starts[code];
        expect(notes.hashes[code]).toBe(fieldHash(notes.pool, from, from + notes.lengths[code]));
      }
      // And every value found its own code: the texts are the distinct values, in order.
      const distinct = [...new Set(values.map(([v]) => v).filter((v) => v !== ''))];
      expect(decodeEntries(notes)).toEqual(distinct);
    }), { numRuns: 300, seed: 5 });
  });

  it('a file of 3,000 columns reads as the row importer reads it', async () => {
    // Wide files start with small arrays per column (range-parser.ts) and small dictionaries
    // (dictionary.ts); every seventh attribute has values, the others stay empty.
    const width = 3000;
    const names = ['case', 'activity', 'time'];
    for (let c = 3; c < width; c++) names.push(`a${c}`);
    const lines = [names.join(',')];
    for (let r = 0; r < 40; r++) {
      const fields = [`c${r % 7}`, `A${r % 3}`, `2024-01-${String(1 + (r % 28)).padStart(2, '0')}`];
      for (let c = 3; c < width; c++) fields.push(c % 7 === 0 ? `v${(r * c) % 11}` : '');
      lines.push(fields.join(','));
    }
    const target = write(`${lines.join('\n')}\n`);
    const slow = await outcome(target, { fast: false });
    const fast = await outcome(target, { threads: 1 });
    expect(lastFastCsvDecline).toBe('');
    expect(fast).toEqual(slow);
  });

  it('a value that repeats the previous row only up to a prefix is its own value', () => {
    // By hand: "same" then "samex": the repeat check matches four bytes, but the next byte
    // is no delimiter, so "samex" is a new code (1), and "same" again is code 0.
    const rows = ['same', 'samex', 'same'].map((note) => `c1,A,2024-01-01,${note},\n`);
    const text = `${HEADER}\n${rows.join('')}`;
    const target = write(text);
    const range = parseFileRange(target, HEADER.length + 1, Buffer.byteLength(text), PLAN);
    const note = (range.codes[3] as Int32Array).subarray(0, 3);
    expect(Array.from(note)).toEqual([0, 1, 0]);
    expect(decodeEntries(range.dictionaries[3] as never)).toEqual(['same', 'samex']);
  });

  it('the scanner\'s heap stops short of 4 GiB with a trap the import turns into a decline', () => {
    // The built module itself: its bump allocator refuses a region past the end of the most
    // memory WASM has by trapping, and isScannerStop recognises that trap.
    const module = new WebAssembly.Module(readFileSync(new URL('../build/csv-scan.wasm',
      import.meta.url)));
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const wasm = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as {
      heapStart(at: number): void; alloc(bytes: number): number;
    };
    wasm.heapStart(1024);
    expect(wasm.alloc(4096)).toBe(1024);
    let stop: unknown = null;
    try {
      wasm.alloc(0xffff0000 - 1024);
    } catch (err) {
      stop = err;
    }
    expect(isScannerStop(stop)).toBe(true);
    expect(isScannerStop(new Error('another failure'))).toBe(false);
    // That trap is the scanner being full; an access out of bounds would be a fault instead.
    expect(isScannerFull(stop as Error)).toBe(true);
    const Trap = (stop as Error).constructor as ErrorConstructor;
    expect(isScannerFull(new Trap('memory access out of bounds'))).toBe(false);
    // A RangeError comes from JavaScript (memory not reserved, an invalid length): not full.
    expect(isScannerFull(new RangeError('Array buffer allocation failed'))).toBe(false);
    expect(isScannerFull(new RangeError('Invalid typed array length: -1'))).toBe(false);
  });

  it('a memory that cannot be reserved is a stop, not the scanner being full', () => {
    // The RangeError WebAssembly.Memory throws when it cannot reserve (a process limited to
    // 8 GB of address space: every CSV, two rows included, was refused as too large). Here
    // the same constructor is asked for one page past the most WASM has.
    let refused: unknown = null;
    try {
      void new WebAssembly.Memory({ initial: 65537, maximum: 65537, shared: true });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(RangeError);
    expect(isScannerStop(refused)).toBe(true);
    expect(isScannerFull(refused as Error)).toBe(false);
  });
});

describe('the budget for the strings an import makes', () => {
  it('refuses, with a typed error, texts that would not fit in what the heap has left', () => {
    // By hand: 1,000 texts of 10 bytes need 1,000 x 48 + 10,000 = 58,000 bytes; 80 % of a
    // 72,500-byte heap left (58,000) holds them, 80 % of 72,000 (57,600) does not.
    expect(() => checkStringBudget('f.csv', 1000, 10_000, 72_500)).not.toThrow();
    expect(fitsStringBudget(1000, 10_000, 0.25, 232_000)).toBe(true);
    expect(fitsStringBudget(1000, 10_000, 0.25, 231_000)).toBe(false);
    let refused: unknown = null;
    try {
      checkStringBudget('f.csv', 1000, 10_000, 72_000);
    } catch (err) {
      refused = err;
    }
    expect(isLedgerflowError(refused, 'LF_ERR_INGEST_TOO_LARGE')).toBe(true);
    expect((refused as Error).message).toContain('--max-old-space-size');
  });

  it('a file that outgrew the scanner goes to the row importer only if the heap has room', () => {
    // By hand: the scanner holds 0xffff0000 = 4,294,901,760 bytes of text; the row importer
    // may take them when 80 % of the heap left is at least that: 5,368,627,200 bytes.
    expect(() => checkRowImportRoom('f.csv', 5_368_627_200)).not.toThrow();
    let refused: unknown = null;
    try {
      checkRowImportRoom('f.csv', 5_368_627_199);
    } catch (err) {
      refused = err;
    }
    expect(isLedgerflowError(refused, 'LF_ERR_INGEST_TOO_LARGE')).toBe(true);
  });
});
