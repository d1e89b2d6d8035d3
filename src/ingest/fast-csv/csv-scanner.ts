/**
 * The WASM field scanner of the columnar CSV import (assembly/csv/scan.ts, built into
 * `build/csv-scan.wasm`): one instance per range parser, over a memory of its own that holds
 * the block being read and, per field of up to {@link CsvScanner.maxRows} records, where it
 * starts, its length, its hash and its flags. The parser reads those arrays to look up
 * dictionary codes and timestamps; the byte-by-byte work is the scanner's.
 * @internal
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LedgerflowError } from '../../errors.js';

/** The layout version the JS side writes (assembly/csv/scan.ts `scanVersion`). */
const SCAN_VERSION = 1;
/** Fields per scan call: the four per-field arrays then stay within half a MB (cache). */
const FIELDS_PER_CALL = 32 * 1024;
const PAGE = 64 * 1024;
/** Pages the scanner's module allows (asconfig.json's maximumMemory). */
const MAX_PAGES = 65536;

/** Why {@link CsvScanner.scan} stopped. */
export const enum ScanStatus {
  Done = 0,
  More = 1,
}

/** Field flags (assembly/csv/scan.ts). */
export const FLAG_ESCAPED = 1;
export const FLAG_REPEAT = 2;

// The failure statuses' meanings, by status.
const FAILURES: Record<number, string> = {
  2: 'a row has more fields than the header',
  3: 'a quote never closes',
  4: 'text after a closing quote',
  5: 'a field past the size limit',
  6: 'a CR without LF',
  7: 'a row has fewer fields than the header',
  8: 'a row past the size limit',
};

interface ScanExports {
  scanRecords(block: number, pos: number, end: number, final: number, maxRows: number,
    shape: number, out: number): number;
  scanVersion(): number;
}

// src/ingest/fast-csv under vitest, dist/src/ingest/fast-csv once compiled.
const CANDIDATES = ['../../../build/csv-scan.wasm', '../../../../build/csv-scan.wasm'];
let compiled: WebAssembly.Module | null = null;

function scanModule(): WebAssembly.Module {
  if (compiled !== null) return compiled;
  for (const candidate of CANDIDATES) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) {
      compiled = new WebAssembly.Module(readFileSync(file));
      return compiled;
    }
  }
  throw new LedgerflowError('LF_ERR_ENGINE_WORKER_FAILED',
    'build/csv-scan.wasm was not found; run `npm run build:wasm` first');
}

/** What the scanner needs to know of the file. */
export interface ScanShape {
  width: number;
  delimiter: number;
  /** Per column: true when it is a text column (hashed, checked for repeats). */
  text: boolean[];
  maxFieldBytes: number;
  maxRowBytes: number;
}

/** One scanner instance and its memory. */
export class CsvScanner {
  /** Records per {@link scan} call. */
  readonly maxRows: number;
  /** Per field of the last call (`row * width + column`): start in the block, and length. */
  readonly starts: Int32Array;
  readonly lengths: Int32Array;
  /** Per field: the mixed FNV-1a hash of a text field's bytes (as ByteDictionary keys). */
  readonly hashes: Int32Array;
  /** Per field: {@link FLAG_ESCAPED}, {@link FLAG_REPEAT}. */
  readonly flags: Int32Array;
  /** After a call: records scanned, and the block position after them. */
  rows = 0;
  position = 0;

  readonly #memory: WebAssembly.Memory;
  readonly #exports: ScanExports;
  readonly #words: Int32Array;
  readonly #prevLen: Int32Array;
  readonly #shapeAt: number;
  readonly #outAt: number;
  readonly #resultAt: number;
  readonly #blockAt: number;
  #blockRoom: number;

  constructor(shape: ScanShape, blockBytes: number) {
    const width = shape.width;
    this.maxRows = Math.max(1, Math.floor(FIELDS_PER_CALL / width));
    const fields = this.maxRows * width;
    // Layout, in bytes: shape words, out addresses, result; stops; kinds; prevAt; prevLen;
    // the four per-field arrays; the block.
    const shapeAt = 0;
    const outAt = 64;
    const resultAt = 96;
    const stopsAt = 128;
    const kindsAt = stopsAt + 256;
    const prevAtAt = kindsAt + align8(width);
    const prevLenAt = prevAtAt + align8(width * 4);
    const arraysAt = prevLenAt + align8(width * 4);
    const blockAt = arraysAt + 4 * align8(fields * 4);
    const pages = Math.ceil((blockAt + blockBytes) / PAGE);
    this.#memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
    const instance = new WebAssembly.Instance(scanModule(), { env: { memory: this.#memory } });
    this.#exports = instance.exports as unknown as ScanExports;
    if (this.#exports.scanVersion() !== SCAN_VERSION) {
      throw new LedgerflowError('LF_ERR_ENGINE_WORKER_FAILED',
        `build/csv-scan.wasm has layout version ${this.#exports.scanVersion()}, expected ` +
        `${SCAN_VERSION}; rebuild it with \`npm run build:wasm\``);
    }
    const buffer = this.#memory.buffer;
    const words = new Int32Array(buffer);
    words.set([width, shape.delimiter, shape.maxFieldBytes, Math.min(shape.maxRowBytes, 2 ** 31
      - 1), stopsAt, kindsAt, prevAtAt, prevLenAt, resultAt], shapeAt / 4);
    const arrayBytes = align8(fields * 4);
    words.set([0, 1, 2, 3].map((k) => arraysAt + k * arrayBytes), outAt / 4);
    const bytes = new Uint8Array(buffer);
    bytes[stopsAt + shape.delimiter] = 1;
    bytes[stopsAt + 10] = 1;
    bytes[stopsAt + 13] = 1;
    for (let c = 0; c < width; c++) bytes[kindsAt + c] = shape.text[c] ? 0 : 1;
    this.starts = new Int32Array(buffer, arraysAt, fields);
    this.lengths = new Int32Array(buffer, arraysAt + arrayBytes, fields);
    this.hashes = new Int32Array(buffer, arraysAt + 2 * arrayBytes, fields);
    this.flags = new Int32Array(buffer, arraysAt + 3 * arrayBytes, fields);
    this.#prevLen = new Int32Array(buffer, prevLenAt, width);
    this.#words = words;
    this.#shapeAt = shapeAt;
    this.#outAt = outAt;
    this.#resultAt = resultAt;
    this.#blockAt = blockAt;
    this.#blockRoom = pages * PAGE - blockAt;
  }

  /**
   * Copies `block` into the scanner's memory as the block the next calls read; the previous
   * rows' fields are forgotten (the repeat check starts afresh).
   */
  load(block: Uint8Array): void {
    if (block.length > this.#blockRoom) {
      const more = Math.ceil((block.length - this.#blockRoom) / PAGE);
      this.#memory.grow(more);
      this.#blockRoom += more * PAGE;
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
      this.maxRows, this.#shapeAt, this.#outAt);
    this.rows = this.#words[this.#resultAt / 4];
    this.position = this.#words[this.#resultAt / 4 + 1];
    if (status === ScanStatus.Done || status === ScanStatus.More) return status;
    return FAILURES[status] ?? `scanner status ${status}`;
  }
}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
