/**
 * The WASM field scanner of the columnar CSV import (assembly/csv/scan.ts, built into
 * `build/csv-scan.wasm`): one instance per range parser, over a memory of its own that holds
 * the block being read, a dictionary per text column and, per column and record of the last
 * call (up to {@link CsvScanner.maxRows} records), a text field's code or a timestamp field's
 * bounds. The parser copies the codes out and reads the timestamps; the byte-by-byte work and
 * the dictionary lookups are the scanner's.
 * @internal
 */
import { LedgerflowError } from '../../errors.js';
import type { CodeArray } from '../../log/code-array.js';
import { plainDecimalOfBytes } from '../../log/number-text.js';
import { compileBuiltWasm } from '../../wasm-file.js';
import {
  decodeEntries, type DictionaryBytes, entriesAt, joinedEntries, poolEnd,
} from './byte-dictionary.js';

/** The layout version the JS side writes (assembly/csv/scan.ts `scanVersion`). */
const SCAN_VERSION = 7;
/** Fields per scan call: the four output arrays then stay within half a MB (cache). */
const FIELDS_PER_CALL = 32 * 1024;
const PAGE = 64 * 1024;
// The JS side's words, below the heap: the shape (16 words), the output arrays' addresses,
// the result, the stop-byte table.
const SHAPE_AT = 0;
const OUT_AT = 64;
const RESULT_AT = 96;
const STOPS_AT = 128;
const HEAP_AT = STOPS_AT + 256;
/** Pages of a scanner's memory: 4 GiB, the most a WASM memory has (assembly/csv/heap.ts). */
const MAX_PAGES = 65536;

/** Why {@link CsvScanner.scan} stopped. */
export const enum ScanStatus {
  Done = 0,
  More = 1,
}

/** Field flag: a quoted field with `""` inside (assembly/csv/scan.ts). */
export const FLAG_ESCAPED = 1;

/**
 * Why a scan stops at a value of a number column that is no plain decimal: the file is then
 * read again with its number columns as text (import-fast.ts).
 */
export const NOT_A_NUMBER = 'a number column holds another value';

// The failure statuses' meanings, by status.
const FAILURES: Record<number, string> = {
  2: 'a row has more fields than the header',
  3: 'a quote never closes',
  4: 'text after a closing quote',
  5: 'a field past the size limit',
  6: 'a CR without LF',
  7: 'a row has fewer fields than the header',
  8: 'a row past the size limit',
  9: 'an empty case id or activity',
  10: NOT_A_NUMBER,
};
/** Bytes of a dictionary header (assembly/csv/dictionary.ts). */
const DICT_BYTES = 48;

interface ScanExports {
  scanRecords(block: number, pos: number, end: number, final: number, maxRows: number,
    shape: number, out: number): number;
  scanVersion(): number;
  setup(shape: number): void;
  seedHash(seed: number): void;
  heapStart(at: number): void;
  alloc(bytes: number): number;
  reserveDictionary(shape: number, column: number, entries: number, poolBytes: number): void;
  mergeEntries(shape: number, column: number, at: number, size: number, remap: number,
    fresh: number, known: number): number;
  isoMillis(at: number, n: number, naiveUtc: number): number;
  plainDecimal(at: number, n: number): number;
  remapCodes(codes: number, n: number, remap: number): void;
}

// src/ingest/fast-csv under vitest, dist/src/ingest/fast-csv once compiled.
const CANDIDATES = ['../../../build/csv-scan.wasm', '../../../../build/csv-scan.wasm'];
let compiled: WebAssembly.Module | null = null;

function scanModule(): WebAssembly.Module {
  compiled ??= compileBuiltWasm(import.meta.url, CANDIDATES);
  return compiled;
}

/** What the scanner needs to know of the file. */
export interface ScanShape {
  width: number;
  delimiter: number;
  /** Per column: true when it is a text column (coded), false for a timestamp column. */
  text: boolean[];
  /**
   * Per column: true for a column of plain decimals, read into doubles (not coded; `text`
   * false). Absent: none.
   */
  number?: boolean[];
  /** Per column: true when a text column must not be empty. */
  required: boolean[];
  /** Whether a time without a zone designator is UTC (else the JS side reads it). */
  naiveUtc: boolean;
  maxFieldBytes: number;
  maxRowBytes: number;
  /** The dictionaries' hash seed (fieldHash's `seed`); every range of a file takes one. */
  hashSeed?: number;
}

/** One scanner instance and its memory. */
export class CsvScanner {
  /** Records per {@link scan} call. */
  readonly maxRows: number;
  /**
   * Per column, then record of the last call (`column * maxRows + row`): a text field's code
   * (-1 when empty); a timestamp field's start in the block, length and flags, and its epoch
   * ms where the scanner read it (NaN where the JS side must: empty, escaped, another form);
   * a number field's bounds and flags, and its value (NaN when empty).
   */
  readonly codes: Int32Array;
  readonly starts: Int32Array;
  readonly lengths: Int32Array;
  readonly flags: Int32Array;
  readonly times: Float64Array;
  /** After a call: records scanned, and the block position after them. */
  rows = 0;
  position = 0;

  readonly #memory: WebAssembly.Memory;
  readonly #exports: ScanExports;
  readonly #words: Int32Array;
  readonly #prevLen: Int32Array;
  readonly #width: number;
  readonly #text: boolean[];
  readonly #naiveUtc: boolean;
  readonly #dictsAt: number;
  #blockAt: number;
  #blockRoom: number;
  /** Per text column, its entries' numbers as last read, and how many entries there were. */
  readonly #numbers = new Map<number, { size: number; numbers: Float64Array | null }>();
  /** A region for merging other ranges' columns (see mergeColumn), and its size. */
  #scratchAt = 0;
  #scratchRoom = 0;
  /**
   * Per text column, the entries new here of the last range merged, which were not added to
   * the table (see {@link mergeColumn}): their codes follow the table's, in this order.
   */
  readonly #appendix = new Map<number, DictionaryBytes>();

  constructor(shape: ScanShape, blockBytes: number) {
    const width = shape.width;
    this.#width = width;
    this.#text = shape.text;
    this.#naiveUtc = shape.naiveUtc;
    this.maxRows = Math.max(1, Math.floor(FIELDS_PER_CALL / width));
    const fields = this.maxRows * width;
    const pages = Math.ceil((HEAP_AT + 32 * width + DICT_BYTES * width + 24 * fields +
      blockBytes + 256 * 1024) / PAGE);
    this.#memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
    const instance = new WebAssembly.Instance(scanModule(), { env: { memory: this.#memory } });
    const wasm = instance.exports as unknown as ScanExports;
    this.#exports = wasm;
    if (wasm.scanVersion() !== SCAN_VERSION) {
      throw new LedgerflowError('LF_ERR_ENGINE_WORKER_FAILED',
        `build/csv-scan.wasm has layout version ${wasm.scanVersion()}, expected ` +
        `${SCAN_VERSION}; rebuild it with \`npm run build:wasm\``);
    }
    wasm.heapStart(HEAP_AT);
    const kindsAt = this.#alloc(width);
    const requiredAt = this.#alloc(width);
    const prevAtAt = this.#alloc(width * 4);
    const prevLenAt = this.#alloc(width * 4);
    const prevCodeAt = this.#alloc(width * 4);
    this.#dictsAt = this.#alloc(width * DICT_BYTES);
    const arrays = [4, 4, 4, 4, 8].map((bytes) => this.#alloc(fields * bytes));
    this.#blockAt = this.#alloc(blockBytes);
    this.#blockRoom = blockBytes;

    const buffer = this.#memory.buffer;
    const words = new Int32Array(buffer);
    words.set([width, shape.delimiter, shape.maxFieldBytes,
      Math.min(shape.maxRowBytes, 2 ** 31 - 1), STOPS_AT, kindsAt, prevAtAt, prevLenAt,
      RESULT_AT, prevCodeAt, this.#dictsAt, requiredAt, 0, 0, 0, shape.naiveUtc ? 1 : 0],
    SHAPE_AT / 4);
    words.set(arrays, OUT_AT / 4);
    const bytes = new Uint8Array(buffer);
    bytes[STOPS_AT + shape.delimiter] = 1;
    bytes[STOPS_AT + 10] = 1;
    bytes[STOPS_AT + 13] = 1;
    for (let c = 0; c < width; c++) {
      bytes[kindsAt + c] = shape.text[c] ? 0 : shape.number?.[c] === true ? 2 : 1;
      bytes[requiredAt + c] = shape.required[c] ? 1 : 0;
    }
    wasm.setup(SHAPE_AT);
    wasm.seedHash(shape.hashSeed ?? 0);
    this.codes = new Int32Array(buffer, arrays[0], fields);
    this.starts = new Int32Array(buffer, arrays[1], fields);
    this.lengths = new Int32Array(buffer, arrays[2], fields);
    this.flags = new Int32Array(buffer, arrays[3], fields);
    this.times = new Float64Array(buffer, arrays[4], fields);
    this.#prevLen = new Int32Array(buffer, prevLenAt, width);
    this.#words = words;
  }

  /** A region of the scanner's heap; addresses past 2 GiB come from WASM as negative i32. */
  #alloc(bytes: number): number {
    return this.#exports.alloc(bytes) >>> 0;
  }

  /**
   * Copies `block` into the scanner's memory as the block the next calls read; the previous
   * rows' fields are forgotten (the repeat check starts afresh).
   */
  load(block: Uint8Array): void {
    if (block.length > this.#blockRoom) {
      // A record longer than the block: a larger region (the old one stays behind, unused).
      this.#blockRoom = block.length * 2;
      this.#blockAt = this.#alloc(this.#blockRoom);
    }
    new Uint8Array(this.#memory.buffer, this.#blockAt, block.length).set(block);
    this.#prevLen.fill(-1);
  }

  /**
   * Scans records of the loaded block from `pos` to `end`; {@link rows} and {@link position}
   * say how far it went. Returns a {@link ScanStatus}, or the failure's reason as text.
   */
  scan(pos: number, end: number, final: boolean): ScanStatus | string {
    const status = this.#exports.scanRecords(this.#blockAt, pos, end, final ? 1 : 0,
      this.maxRows, SHAPE_AT, OUT_AT);
    this.rows = this.#words[RESULT_AT / 4];
    this.position = this.#words[RESULT_AT / 4 + 1];
    if (status === ScanStatus.Done || status === ScanStatus.More) return status;
    return FAILURES[status] ?? `scanner status ${status}`;
  }

  /**
   * After `rowsSoFar` rows of `rowsExpected`: a text column whose values were often new so
   * far (more than one in eight rows: an id, or a value per case such as an amount, when
   * cases have a few events each) gets room for as many more at once.
   */
  reserveDictionaries(rowsSoFar: number, rowsExpected: number): void {
    if (rowsSoFar === 0 || rowsExpected <= rowsSoFar) return;
    const words = new Uint32Array(this.#memory.buffer, this.#dictsAt,
      (this.#width * DICT_BYTES) / 4);
    for (let column = 0; column < this.#width; column++) {
      const header = column * (DICT_BYTES / 4);
      const size = words[header + 5];
      if (this.#text[column] === false || size * 8 <= rowsSoFar) continue;
      const scale = rowsExpected / rowsSoFar;
      const entries = Math.min(Math.ceil(size * scale * 1.1), 2 ** 26);
      const poolBytes = Math.min(Math.ceil(words[header + 7] * scale * 1.1), 2 ** 30);
      this.#exports.reserveDictionary(SHAPE_AT, column, entries, poolBytes);
    }
  }

  /**
   * Adds another range's dictionary of text column `column` (entries new here get the next
   * codes, in its code order), and writes that range's first `rows` codes of the column,
   * rewritten to the codes here, into `into` from `offset` on. With `last` (no range is
   * merged into the column after this one), its new entries are not added to the table, only
   * kept aside for their texts: for a big file's case ids, the table would otherwise double,
   * in WASM memory that is not given back until the scanner is collected.
   */
  mergeColumn(
    column: number, other: DictionaryBytes, codes: CodeArray, rows: number, into: CodeArray,
    offset: number, last = false,
  ): void {
    if (rows === 0) return;
    const remapAt = this.#mergeEntries(column, other, rows * 4, last);
    const codesAt = remapAt + other.size * 4;
    // The entries' remap may have grown the memory: views are taken after it.
    const local = new Int32Array(this.#memory.buffer, codesAt, rows);
    local.set(codes.subarray(0, rows));
    this.#exports.remapCodes(codesAt, rows, remapAt);
    into.set(local, offset);
  }

  /**
   * Adds another range's dictionary of text column `column`, as {@link mergeColumn} does, for
   * codes read later (a spilled column): returns the code here of each of its codes.
   */
  remapOf(column: number, other: DictionaryBytes, last = false): Int32Array {
    if (other.size === 0) return new Int32Array(0);
    const remapAt = this.#mergeEntries(column, other, 0, last);
    return new Int32Array(this.#memory.buffer, remapAt, other.size).slice();
  }

  /**
   * Merges `other`'s entries into column `column`'s table (or, with `last`, looks them up and
   * keeps the new ones aside); returns where their remap lies in a scratch region that has
   * `extraBytes` more after it.
   */
  #mergeEntries(
    column: number, other: DictionaryBytes, extraBytes: number, last: boolean,
  ): number {
    if (this.#appendix.has(column)) throw new Error(`column ${column} was merged after its last`);
    const size = other.size;
    const poolBytes = poolEnd(other);
    const header = this.#header(column);
    // Room for all of them at once: most of a big column's entries are new to this range.
    if (!last) {
      this.#exports.reserveDictionary(SHAPE_AT, column, header[5] + size, header[7] + poolBytes);
    }
    // Its entries, its remap, the new ones' indices (with `last`) and the extra in a scratch
    // region, taken anew when too small.
    const poolRoom = align8(poolBytes);
    const bytes = size * (last ? 20 : 16) + poolRoom + extraBytes;
    if (bytes > this.#scratchRoom) {
      this.#scratchRoom = Math.max(bytes, this.#scratchRoom * 2);
      this.#scratchAt = this.#alloc(this.#scratchRoom);
    }
    const at = this.#scratchAt;
    const remapAt = at + size * 12 + poolRoom;
    const freshAt = last ? remapAt + size * 4 + extraBytes : 0;
    const buffer = this.#memory.buffer;
    const words = new Int32Array(buffer, at, size * 3);
    words.set(other.hashes.subarray(0, size));
    words.set(other.starts.subarray(0, size), size);
    words.set(other.lengths.subarray(0, size), 2 * size);
    new Uint8Array(buffer, at + size * 12, poolBytes).set(other.pool.subarray(0, poolBytes));
    const absent = this.#exports.mergeEntries(SHAPE_AT, column, at, size, remapAt, freshAt,
      header[5]);
    if (last) {
      this.#appendix.set(column,
        entriesAt(other, new Int32Array(this.#memory.buffer, freshAt, absent)));
    }
    return remapAt;
  }

  /**
   * The scanner's reading of one timestamp's bytes (NaN where it leaves them to the JS side),
   * for tests that hold it against the exact parser. Uses the block's room.
   */
  millisOf(bytes: Uint8Array): number {
    this.load(bytes);
    return this.#exports.isoMillis(this.#blockAt, bytes.length, this.#naiveUtc ? 1 : 0);
  }

  /** The scanner's reading of one plain decimal's bytes (NaN for none), for tests. */
  plainDecimalOf(bytes: Uint8Array): number {
    this.load(bytes);
    return this.#exports.plainDecimal(this.#blockAt, bytes.length);
  }

  /**
   * The texts of text column `column`'s entries from code `first` on, decoded straight from
   * the scanner's memory (only the starts and lengths are copied out), appended to `into`.
   */
  texts(column: number, first = 0, into: string[] = []): string[] {
    const buffer = this.#memory.buffer;
    const header = this.#header(column);
    const size = header[5];
    if (first < size) {
      const { starts, lengths } = this.#bounds(header);
      const pool = new Uint8Array(buffer, header[6], header[7]);
      decodeEntries({ size, hashes: new Int32Array(0), starts, lengths, pool }, first, into);
    }
    const appendix = this.#appendix.get(column);
    if (appendix !== undefined) decodeEntries(appendix, Math.max(0, first - size), into);
    return into;
  }

  /** Per entry of the dictionary with `header`: its start in the pool, and its length. */
  #bounds(header: Uint32Array): { starts: Int32Array; lengths: Int32Array } {
    const size = header[5];
    const entries = new Int32Array(this.#memory.buffer, header[3], size * 2);
    const starts = new Int32Array(size);
    const lengths = new Int32Array(size);
    for (let code = 0; code < size; code++) {
      starts[code] = entries[2 * code];
      lengths[code] = entries[2 * code + 1];
    }
    return { starts, lengths };
  }

  /** Entries of text column `column` (those kept aside by the last merge included). */
  size(column: number): number {
    return this.#header(column)[5] + (this.#appendix.get(column)?.size ?? 0);
  }

  /** Bytes of text column `column`'s entries, in all. */
  textBytes(column: number): number {
    const appendix = this.#appendix.get(column);
    return this.#header(column)[7] + (appendix === undefined ? 0 : poolEnd(appendix));
  }

  /**
   * Each entry's number when every entry of text column `column` is a plain decimal (see
   * `plainDecimalOfBytes`), read from the scanner's memory; else null, at the first other.
   */
  numbers(column: number): Float64Array | null {
    const buffer = this.#memory.buffer;
    const header = this.#header(column);
    const size = header[5];
    if (size === 0) return null;
    // Asked while the workers parse and again by the finishing step: kept while no entry
    // was added since.
    const known = this.#numbers.get(column);
    if (known !== undefined && known.size === size) return known.numbers;
    const numbers = this.#readNumbers(header);
    this.#numbers.set(column, { size, numbers });
    return numbers;
  }

  #readNumbers(header: Uint32Array): Float64Array | null {
    const buffer = this.#memory.buffer;
    const size = header[5];
    const entries = new Int32Array(buffer, header[3], size * 2);
    const pool = new Uint8Array(buffer, header[6], header[7]);
    const numbers = new Float64Array(size);
    for (let code = 0; code < size; code++) {
      const from = entries[2 * code];
      const value = plainDecimalOfBytes(pool, from, from + entries[2 * code + 1]);
      if (Number.isNaN(value)) return null;
      numbers[code] = value;
    }
    return numbers;
  }

  /**
   * Every text column's entry count now, read through one view of the headers (a file may
   * have tens of thousands of columns, asked once per call of {@link scan}).
   */
  dictionarySizes(): (column: number) => number {
    const stride = DICT_BYTES / 4;
    const words = new Uint32Array(this.#memory.buffer, this.#dictsAt, this.#width * stride);
    return (column) => words[column * stride + 5];
  }

  /** Text column `column`'s dictionary header (assembly/csv/dictionary.ts), words unsigned. */
  #header(column: number): Uint32Array {
    return new Uint32Array(this.#memory.buffer, this.#dictsAt + column * DICT_BYTES,
      DICT_BYTES / 4);
  }

  /**
   * The entries of text column `column`'s dictionary, copied out of the scanner's memory;
   * without their hashes (empty) unless `withHashes` (a merge needs them, decoding does not).
   */
  dictionary(column: number, withHashes = true): DictionaryBytes {
    const buffer = this.#memory.buffer;
    const header = this.#header(column);
    const size = header[5];
    const own: DictionaryBytes = {
      size,
      hashes: withHashes ? new Int32Array(buffer, header[2], size).slice() : new Int32Array(0),
      ...this.#bounds(header),
      pool: new Uint8Array(buffer, header[6], header[7]).slice(),
    };
    const appendix = this.#appendix.get(column);
    if (appendix === undefined) return own;
    if (withHashes) throw new Error(`column ${column}'s last merge kept no hashes`);
    return joinedEntries(own, appendix);
  }

}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
