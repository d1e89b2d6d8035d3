/**
 * The columnar CSV parser: bytes of whole records in, columns out, with no string per field.
 *
 * The WASM scanner (csv-scanner.ts) finds each field's bytes, hashes text fields and marks a
 * field that repeats the previous row's; this side turns them into dictionary codes (a repeat
 * reuses the previous code, else the byte-keyed table is asked) and timestamps into epoch ms
 * read from their digits. The parser reads the files the row importer reads without
 * surprises: RFC 4180 quoting with `""` escapes, LF or CRLF line ends, blank lines skipped,
 * every row as wide as the header. Anything else (a wrong field count, an empty case id, a
 * stray CR, a quote left open, invalid UTF-8, a field past the limits) stops it with a
 * reason, and the caller reads the file with the row importer, which reports or skips such
 * rows exactly as it always has.
 *
 * Codes are kept in one array per text column (-1 for an empty field), and the values of a
 * number column in one of doubles (NaN for an empty field), filled a call's rows at a time
 * from the scanner's output; each column's array can be let go of on its own once
 * the log builder has moved it. Each array is as narrow as its dictionary so far allows
 * (code-array.ts), and widened when the dictionary outgrows it. The columns the plan spills
 * keep only the rows of their current chunk; each full chunk goes to the spill file.
 * @internal
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { type CodeArray, holdsCodes, widenedCodes } from '../../log/code-array.js';
import { ZoneClock } from '../time-zone.js';
import { decodeBytes } from './byte-dictionary.js';
import { type CodeChunk, CodeSpill } from './code-spill.js';
import { CsvScanner, FLAG_ESCAPED, ScanStatus } from './csv-scanner.js';
import { ColumnKind, type ParsedRange, type RangePlan, failedRange } from './range-plan.js';
import { isoMillisFromBytes } from './time-bytes.js';

const LF = 10;
/** Rows of a spilled column written at once (at most 256 KB of codes per column). */
const CHUNK_ROWS = 65536;

/** Parses the records of one byte range, block by block. */
export class RangeParser {
  readonly #plan: RangePlan;
  readonly #clock: ZoneClock;
  readonly #width: number;
  readonly #kinds: Int8Array;
  readonly #required: Uint8Array;
  /** Per column: its codes (null for a timestamp or number column). */
  #codes: (CodeArray | null)[];
  /** Per column: a number column's values (else null). */
  #numbers: (Float64Array | null)[];
  /** Rows the arrays have room for. */
  #capacity: number;
  readonly #firstRow: Int32Array;
  #time: Float64Array;
  #start: Float64Array | null;
  /** The timestamp columns, and the number columns, in column order. */
  readonly #timeColumns: number[];
  readonly #numberColumns: number[];
  readonly #scanner: CsvScanner;
  /** The spill file, and per column its chunks (null unless the column is spilled). */
  readonly #spill: CodeSpill | null;
  readonly #spillFd: number;
  readonly #chunks: (CodeChunk[] | null)[];
  /** The range row where the current chunk of the spilled columns starts. */
  #chunkStart = 0;
  readonly #deferredRows: number[] = [];
  readonly #deferredWhich: number[] = [];
  readonly #deferredTexts: string[] = [];
  #rows = 0;
  #failure = '';

  /**
   * `blockBytes`: the largest block {@link push} will usually be given; `spillFd`: the range's
   * spill file when the plan spills columns (code-spill.ts).
   */
  constructor(plan: RangePlan, blockBytes: number, spillFd = -1) {
    this.#plan = plan;
    this.#clock = new ZoneClock(plan.timezone);
    const width = plan.width;
    this.#width = width;
    this.#kinds = Int8Array.from(plan.kinds);
    this.#required = new Uint8Array(width);
    for (const c of plan.required) this.#required[c] = 1;
    // Room for 1,024 rows at first, fewer for a wide file (64 K codes in all): a file of tens
    // of thousands of columns otherwise took hundreds of MB before its first row.
    const capacity = Math.max(16, Math.min(1024, Math.floor(65536 / width)));
    this.#capacity = capacity;
    this.#codes = plan.kinds.map((k) => (k === ColumnKind.Text ? new Int8Array(capacity)
      : null));
    this.#time = new Float64Array(capacity);
    this.#firstRow = new Int32Array(width).fill(-1);
    this.#start = plan.kinds.includes(ColumnKind.StartTime) ? new Float64Array(capacity)
      : null;
    this.#numbers = plan.kinds.map((k) => (k === ColumnKind.Number ? new Float64Array(capacity)
      : null));
    this.#timeColumns = plan.kinds.flatMap((k, c) => (k === ColumnKind.Time ||
      k === ColumnKind.StartTime ? [c] : []));
    this.#numberColumns = plan.kinds.flatMap((k, c) => (k === ColumnKind.Number ? [c] : []));
    const spilled = new Set(plan.spilled);
    this.#spill = spilled.size === 0 ? null : new CodeSpill(spillFd);
    this.#spillFd = spilled.size === 0 ? -1 : spillFd;
    this.#chunks = plan.kinds.map((_, c) => (spilled.has(c) ? [] : null));
    this.#scanner = new CsvScanner({
      width, delimiter: plan.delimiter, text: plan.kinds.map((k) => k === ColumnKind.Text),
      number: plan.kinds.map((k) => k === ColumnKind.Number),
      required: plan.kinds.map((_, c) => this.#required[c] === 1),
      naiveUtc: this.#clock.isUtc, maxFieldBytes: plan.maxFieldBytes, maxRowBytes: plan.maxRowBytes,
      hashSeed: plan.hashSeed,
    }, blockBytes);
    // A spilled column holds a chunk and one call's rows beyond it, and never grows.
    const room = CHUNK_ROWS + this.#scanner.maxRows;
    for (const c of spilled) {
      if (this.#numbers[c] !== null) this.#numbers[c] = new Float64Array(room);
      else this.#codes[c] = new Int8Array(room);
    }
  }

  /** Why the range cannot be used; empty while it can. */
  get failure(): string {
    return this.#failure;
  }

  /**
   * Reads the whole records of `block` (a Buffer); returns how many bytes were consumed (the
   * rest starts a record that continues in the next block). With `final`, the block ends the
   * range and every byte must be consumed. Returns -1 once the range has failed.
   */
  push(block: Buffer, final: boolean): number {
    if (this.#failure !== '') return -1;
    const checked = final ? block.length : block.lastIndexOf(LF) + 1;
    const ascii = isAscii(block.subarray(0, checked));
    if (!ascii && !isUtf8(block.subarray(0, checked))) {
      this.#fail('invalid UTF-8');
      return -1;
    }
    const scanner = this.#scanner;
    scanner.load(block.subarray(0, checked));
    let pos = 0;
    for (;;) {
      const status = scanner.scan(pos, checked, final);
      if (!this.#fields(block, scanner.rows, ascii)) return -1;
      pos = scanner.position;
      if (typeof status === 'string') {
        this.#fail(status);
        return -1;
      }
      // Done with room left means the call's row limit was reached: scan on.
      if (status === ScanStatus.More || pos >= checked) return pos;
    }
  }

  /**
   * The columns read; the parser must not be used afterwards. With `keepDictionaries`, the
   * range carries its scanner as the {@link ParsedRange.merger} of the other ranges.
   */
  result(keepDictionaries = false): ParsedRange {
    if (this.#failure !== '') return failedRange(this.#failure);
    const rows = this.#rows;
    this.#flushChunk();
    return {
      ...(keepDictionaries ? { merger: this.#scanner } : {}),
      failure: '',
      rows,
      width: this.#width,
      codes: this.#codes.map((codes, c) => (this.#chunks[c] === null ? codes : null)),
      numbers: this.#numbers.map((values, c) => (this.#chunks[c] === null ? values : null)),
      chunks: this.#chunks,
      spillFd: this.#spillFd,
      dictionaries: Array.from(this.#kinds, (kind, c) => (kind === ColumnKind.Text &&
        !keepDictionaries ? this.#scanner.dictionary(c) : null)),
      firstRow: Array.from(this.#firstRow),
      time: this.#time.subarray(0, rows),
      start: this.#start === null ? null : this.#start.subarray(0, rows),
      deferredRows: this.#deferredRows,
      deferredWhich: this.#deferredWhich,
      deferredTexts: this.#deferredTexts,
    };
  }

  #fail(reason: string): void {
    if (this.#failure === '') this.#failure = reason;
  }

  /**
   * Takes the `rows` records the scanner just read: their codes are copied column by column,
   * their timestamps read. False once the range fails (an empty end timestamp).
   */
  #fields(b: Buffer, rows: number, ascii: boolean): boolean {
    if (rows === 0) return true;
    const scanner = this.#scanner;
    const width = this.#width;
    const base = this.#rows;
    if (base + rows > this.#capacity) this.#grow(Math.max(this.#capacity * 2, base + rows));
    const firstRow = this.#firstRow;
    const { codes, starts, lengths, flags, maxRows } = scanner;
    const sizes = scanner.dictionarySizes();
    const chunkBase = base - this.#chunkStart;
    for (let col = 0; col < width; col++) {
      let column = this.#codes[col];
      if (column === null) continue;
      const size = sizes(col);
      if (!holdsCodes(column, size)) {
        column = widenedCodes(column, size, column.length);
        this.#codes[col] = column;
      }
      const from = col * maxRows;
      column.set(codes.subarray(from, from + rows), this.#chunks[col] === null ? base
        : chunkBase);
      if (firstRow[col] < 0) {
        for (let r = 0; r < rows; r++) {
          if (codes[from + r] >= 0) {
            firstRow[col] = base + r;
            break;
          }
        }
      }
    }
    // Numbers are copied as the scanner read them (NaN for an empty field).
    const times = scanner.times;
    for (const col of this.#numberColumns) {
      const at = col * maxRows;
      (this.#numbers[col] as Float64Array).set(times.subarray(at, at + rows),
        this.#chunks[col] === null ? base : chunkBase);
      if (firstRow[col] >= 0) continue;
      for (let r = 0; r < rows; r++) {
        if (lengths[at + r] > 0) {
          firstRow[col] = base + r;
          break;
        }
      }
    }
    // Timestamps the scanner read are copied; the rest (NaN) are empty or left to the byte
    // reader here, which knows the zone, and then to the exact parser.
    for (const col of this.#timeColumns) {
      const kind = this.#kinds[col];
      const into = kind === ColumnKind.Time ? this.#time : this.#start as Float64Array;
      const at = col * maxRows;
      into.set(times.subarray(at, at + rows), base);
      for (let r = 0; r < rows; r++) {
        const row = base + r;
        const length = lengths[at + r];
        if (firstRow[col] < 0 && length > 0) firstRow[col] = row;
        if (!Number.isNaN(into[row])) continue;
        if (length === 0) {
          if (!this.#empty(col, row)) return false;
          continue;
        }
        const from = starts[at + r];
        this.#timeField(b, kind, from, from + length, (flags[at + r] & FLAG_ESCAPED) !== 0,
          ascii, row);
      }
    }
    this.#rows = base + rows;
    if (this.#rows - this.#chunkStart >= CHUNK_ROWS) this.#flushChunk();
    return true;
  }

  /** Writes the current chunk of every spilled column to the spill file. */
  #flushChunk(): void {
    const rows = this.#rows - this.#chunkStart;
    if (this.#spill === null || rows === 0) return;
    this.#chunks.forEach((chunks, c) => {
      if (chunks === null) return;
      const held = this.#numbers[c] ?? this.#codes[c] as CodeArray;
      chunks.push((this.#spill as CodeSpill).append(held.subarray(0, rows)));
    });
    this.#chunkStart = this.#rows;
  }

  /** An empty field in a column that is not plain text; false when the range fails. */
  #empty(col: number, row: number): boolean {
    if (this.#required[col] === 1) {
      this.#fail('an empty case id or activity');
      return false;
    }
    if (this.#kinds[col] === ColumnKind.Time) {
      this.#fail('an empty timestamp');
      return false;
    }
    (this.#start as Float64Array)[row] = NaN;
    return true;
  }

  #timeField(
    b: Buffer, kind: number, from: number, to: number, escaped: boolean, ascii: boolean,
    row: number,
  ): void {
    const ms = escaped ? NaN : isoMillisFromBytes(b, from, to, this.#clock);
    const into = kind === ColumnKind.Time ? this.#time : this.#start as Float64Array;
    into[row] = ms;
    if (Number.isNaN(ms)) {
      this.#deferredRows.push(row);
      this.#deferredWhich.push(kind === ColumnKind.Time ? 0 : 1);
      this.#deferredTexts.push(escaped ? unescape(b, from, to, ascii)
        : decodeBytes(b, from, to, ascii));
    }
  }

  /**
   * Makes room for `rows` rows (a caller that can estimate them saves the doublings), and in
   * the dictionaries of mostly distinct columns for the `ownRows` this range is expected to
   * hold.
   */
  reserve(rows: number, ownRows = rows): void {
    if (rows > this.#capacity) this.#grow(rows);
    this.#scanner.reserveDictionaries(this.#rows, ownRows);
  }

  #grow(capacity: number): void {
    const rows = this.#rows;
    this.#time = grownF64(this.#time, capacity);
    if (this.#start !== null) this.#start = grownF64(this.#start, capacity);
    this.#codes = this.#codes.map((column, c) => (column === null || this.#chunks[c] !== null
      ? column : widenedCodes(column.subarray(0, rows), 0, capacity)));
    this.#numbers = this.#numbers.map((values, c) => (values === null ||
      this.#chunks[c] !== null ? values : grownF64(values, capacity)));
    this.#capacity = capacity;
  }

  /** Rows read so far. */
  get rows(): number {
    return this.#rows;
  }
}

/** The text of a quoted field's inside, each `""` read as one quote. */
function unescape(b: Buffer, from: number, to: number, ascii: boolean): string {
  return decodeBytes(b, from, to, ascii).replaceAll('""', '"');
}

function grownF64(a: Float64Array, size: number): Float64Array {
  const next = new Float64Array(size);
  next.set(a);
  return next;
}
