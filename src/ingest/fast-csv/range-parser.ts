/**
 * The columnar CSV parser: bytes of whole records in, columns out, with no string per field.
 *
 * A text field becomes a dictionary code (the previous row's bytes are compared first, then a
 * byte-keyed table), a timestamp becomes epoch ms read from its digits. The parser reads the
 * files the row importer reads without surprises: RFC 4180 quoting with `""` escapes, LF or
 * CRLF line ends, blank lines skipped, every row as wide as the header. Anything else (a
 * wrong field count, an empty case id, a stray CR, a quote left open, invalid UTF-8, a field
 * past the limits) stops it with a reason, and the caller reads the file with the row
 * importer, which reports or skips such rows exactly as it always has.
 *
 * Codes are kept column by column in one array (`cells[column * capacity + row]`, -1 for an
 * empty field; unused for timestamp columns): one typed array and plain local variables in
 * the loop that touches every byte, which profiles showed several times faster than a column
 * object per field, and each column's codes contiguous for the merge.
 * @internal
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { ZoneClock } from '../time-zone.js';
import {
  ByteDictionary, decodeBytes, HASH_PRIME, HASH_START,
} from './byte-dictionary.js';
import { ColumnKind, type ParsedRange, type RangePlan, failedRange } from './range-plan.js';
import { isoMillisFromBytes } from './time-bytes.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;
/** What `#record` returns when the record goes on past the block. */
const MORE = -1;
/** What `#record` returns when the range failed. */
const FAILED = -2;

/** Parses the records of one byte range, block by block. */
export class RangeParser {
  readonly #plan: RangePlan;
  readonly #clock: ZoneClock;
  readonly #width: number;
  readonly #kinds: Int8Array;
  readonly #required: Uint8Array;
  readonly #dicts: ByteDictionary[] = [];
  #cells: Int32Array;
  /** Rows the arrays have room for; column `c`'s codes start at `c * #capacity`. */
  #capacity = 1024;
  readonly #firstRow: Int32Array;
  #time: Float64Array;
  #start: Float64Array | null;
  // The previous row's field of each column, in the current block: start, length, code.
  readonly #prevAt: Int32Array;
  readonly #prevLen: Int32Array;
  readonly #prevCode: Int32Array;
  /** 1 for the bytes that end an unquoted field: the delimiter, LF and CR. */
  readonly #stops = new Uint8Array(256);
  readonly #deferredRows: number[] = [];
  readonly #deferredWhich: number[] = [];
  readonly #deferredTexts: string[] = [];
  #rows = 0;
  #failure = '';

  constructor(plan: RangePlan) {
    this.#plan = plan;
    this.#clock = new ZoneClock(plan.timezone);
    const width = plan.width;
    this.#width = width;
    this.#kinds = Int8Array.from(plan.kinds);
    this.#required = new Uint8Array(width);
    for (const c of plan.required) this.#required[c] = 1;
    for (let c = 0; c < width; c++) this.#dicts.push(new ByteDictionary());
    this.#cells = new Int32Array(this.#capacity * width);
    this.#time = new Float64Array(1024);
    this.#firstRow = new Int32Array(width).fill(-1);
    this.#start = plan.kinds.includes(ColumnKind.StartTime) ? new Float64Array(1024) : null;
    this.#prevAt = new Int32Array(width);
    this.#prevLen = new Int32Array(width).fill(-1);
    this.#prevCode = new Int32Array(width);
    this.#stops[plan.delimiter] = 1;
    this.#stops[LF] = 1;
    this.#stops[CR] = 1;
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
    this.#prevLen.fill(-1);
    const checked = final ? block.length : block.lastIndexOf(LF) + 1;
    const ascii = isAscii(block.subarray(0, checked));
    if (!ascii && !isUtf8(block.subarray(0, checked))) {
      this.#fail('invalid UTF-8');
      return -1;
    }
    let pos = 0;
    while (pos < checked) {
      const mark = this.#deferredRows.length;
      const next = this.#record(block, pos, checked, final, ascii);
      if (next === FAILED) return -1;
      if (next === MORE) {
        // The record continues in the next block, where it is read again from its start.
        this.#deferredRows.length = mark;
        this.#deferredWhich.length = mark;
        this.#deferredTexts.length = mark;
        return pos;
      }
      pos = next;
    }
    return pos;
  }

  /** The columns read; the parser must not be used afterwards. */
  result(): ParsedRange {
    if (this.#failure !== '') return failedRange(this.#failure);
    const rows = this.#rows;
    return {
      failure: '',
      rows,
      width: this.#width,
      capacity: this.#capacity,
      cells: this.#cells,
      dictionaries: this.#dicts.map((d, c) => (this.#kinds[c] === ColumnKind.Text ? d.bytes()
        : null)),
      firstRow: Array.from(this.#firstRow),
      time: this.#time.subarray(0, rows),
      start: this.#start === null ? null : this.#start.subarray(0, rows),
      deferredRows: this.#deferredRows,
      deferredWhich: this.#deferredWhich,
      deferredTexts: this.#deferredTexts,
    };
  }

  #fail(reason: string): number {
    if (this.#failure === '') this.#failure = reason;
    return FAILED;
  }

  /**
   * Reads the record at `pos`; returns where the next one starts, {@link MORE} when it does
   * not end within `[pos, end)` and the block is not final, or {@link FAILED}.
   */
  #record(b: Buffer, pos: number, end: number, final: boolean, ascii: boolean): number {
    // Blank lines (LF or CRLF alone) are skipped, as the row importer skips them.
    const first = b[pos];
    if (first === LF) return pos + 1;
    if (first === CR) {
      if (pos + 1 < end && b[pos + 1] === LF) return pos + 2;
      return pos + 1 >= end && !final ? MORE : this.#fail('a CR without LF');
    }
    const width = this.#width;
    const plan = this.#plan;
    const delim = plan.delimiter;
    const maxField = plan.maxFieldBytes;
    const row = this.#rows;
    if (row === this.#capacity) this.#grow(row * 2);
    const cells = this.#cells;
    const capacity = this.#capacity;
    const kinds = this.#kinds;
    const prevAt = this.#prevAt;
    const prevLen = this.#prevLen;
    const dicts = this.#dicts;
    const prevCode = this.#prevCode;
    const firstRow = this.#firstRow;
    const stops = this.#stops;
    let i = pos;
    let col = 0;
    for (;;) {
      if (col === width) return this.#fail('a row has more fields than the header');
      const kind = kinds[col];
      const start = i;
      let from = i;
      let to: number;
      let escaped = false;
      let repeat = false;
      // A text field's bytes are hashed (FNV-1a, as ByteDictionary) in the loop that finds its
      // end: one pass over them instead of a scan and then a hash.
      let h = HASH_START;
      if (i < end && b[i] === QUOTE) {
        // Quoted: up to a quote not followed by another; `""` is one quote of the text.
        from = i + 1;
        let q = from;
        for (;;) {
          q = b.indexOf(QUOTE, q);
          if (q < 0 || q >= end) return final ? this.#fail('a quote never closes') : MORE;
          if (q + 1 < end && b[q + 1] === QUOTE) {
            escaped = true;
            q += 2;
            continue;
          }
          if (q + 1 >= end && !final) return MORE;
          break;
        }
        to = q;
        i = q + 1;
        if (i < end) {
          const c = b[i];
          if (c !== delim && c !== LF && c !== CR) return this.#fail('text after a closing quote');
        }
        if (kind === ColumnKind.Text && !escaped) {
          for (let k = from; k < to; k++) h = Math.imul(h ^ b[k], HASH_PRIME);
        }
      } else if (kind === ColumnKind.Text) {
        // Flat exports repeat a case's values on each of its rows: the bytes are first compared
        // with the previous row's field of this column, and when they match up to a stop byte
        // the field is that one (no scan, no hash, no lookup). Else they are scanned and hashed.
        const same = prevLen[col];
        if (same > 0 && i + same < end && stops[b[i + same]] !== 0) {
          const at = prevAt[col];
          let k = 0;
          while (k < same && b[i + k] === b[at + k]) k++;
          if (k === same) repeat = true;
        }
        if (repeat) {
          i += same;
        } else {
          while (i < end) {
            const c = b[i];
            if (stops[c] !== 0) break;
            h = Math.imul(h ^ c, HASH_PRIME);
            i++;
          }
        }
        to = i;
      } else {
        while (i < end && stops[b[i]] === 0) i++;
        to = i;
      }
      const length = to - from;
      if (length > maxField) return this.#fail('a field past the size limit');
      // The field's terminator: delimiter, line end, or the end of a final block.
      let lineEnd = true;
      let next = end;
      if (i < end) {
        const c = b[i];
        next = i + 1;
        if (c === delim) {
          lineEnd = false;
        } else if (c === CR) {
          if (i + 1 < end && b[i + 1] === LF) next = i + 2;
          else if (i + 1 >= end && !final) return MORE;
          else return this.#fail('a CR without LF');
        }
      } else if (!final) {
        return MORE;
      }

      if (length === 0) {
        if (kind !== ColumnKind.Text || this.#required[col] === 1) {
          if (!this.#empty(col, row)) return FAILED;
        } else {
          cells[col * capacity + row] = -1;
        }
      } else {
        if (firstRow[col] < 0) firstRow[col] = row;
        if (kind !== ColumnKind.Text) {
          this.#timeField(b, kind, from, to, escaped, ascii, row);
        } else if (escaped) {
          cells[col * capacity + row] = this.#dicts[col].codeOfText(unescape(b, from, to, ascii));
          prevLen[col] = -1;
        } else {
          let code: number;
          if (repeat) {
            code = prevCode[col];
          } else {
            // mixHash(h), written out: the call was left uninlined in this large function.
            code = dicts[col].find(h ^ (h >>> 15), b, from, length);
            // A quoted field may hold delimiters and line breaks: never a row's prefix to match.
            prevAt[col] = from;
            prevLen[col] = from === start ? length : -1;
            prevCode[col] = code;
          }
          cells[col * capacity + row] = code;
        }
      }
      col++;
      if (lineEnd) {
        if (col !== width) return this.#fail('a row has fewer fields than the header');
        if (next - pos > plan.maxRowBytes) return this.#fail('a row past the size limit');
        this.#rows = row + 1;
        return next;
      }
      i = next;
      // A delimiter at the very end of a final block opens one more, empty field.
      if (i >= end && final) {
        if (col !== width - 1) return this.#fail('a row has another width than the header');
        if (kinds[col] !== ColumnKind.Text || this.#required[col] === 1) {
          if (!this.#empty(col, row)) return FAILED;
        } else {
          cells[col * capacity + row] = -1;
        }
        this.#rows = row + 1;
        return end;
      }
    }
  }

  /** An empty field in a column that is not plain text; false when the range fails. */
  #empty(col: number, row: number): boolean {
    if (this.#required[col] === 1) return this.#fail('an empty case id or activity') === 0;
    if (this.#kinds[col] === ColumnKind.Time) return this.#fail('an empty timestamp') === 0;
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

  /** Makes room for `rows` rows (a caller that can estimate them saves the doublings). */
  reserve(rows: number): void {
    if (rows > this.#capacity) this.#grow(rows);
  }

  #grow(capacity: number): void {
    const rows = this.#rows;
    this.#time = grownF64(this.#time, capacity);
    if (this.#start !== null) this.#start = grownF64(this.#start, capacity);
    const cells = new Int32Array(capacity * this.#width);
    const old = this.#capacity;
    for (let c = 0; c < this.#width; c++) {
      cells.set(this.#cells.subarray(c * old, c * old + rows), c * capacity);
    }
    this.#cells = cells;
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
