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
 * @internal
 */
import { isUtf8 } from 'node:buffer';
import { ZoneClock } from '../time-zone.js';
import { ByteDictionary, decodeBytes } from './byte-dictionary.js';
import { ColumnKind, type ParsedRange, type RangePlan, failedRange } from './range-plan.js';
import { isoMillisFromBytes } from './time-bytes.js';
import { isAscii } from '../csv/utf8-stream.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Parses the records of one byte range, block by block. */
export class RangeParser {
  readonly #plan: RangePlan;
  readonly #clock: ZoneClock;
  readonly #kinds: Int8Array;
  readonly #required: Uint8Array;
  readonly #dicts: (ByteDictionary | null)[] = [];
  #codes: (Int32Array | null)[] = [];
  readonly #firstRow: number[] = [];
  #time: Float64Array = new Float64Array(1024);
  #start: Float64Array | null;
  // The previous row's field of each column, in the current block: start, length, code.
  readonly #prevAt: Int32Array;
  readonly #prevLen: Int32Array;
  readonly #prevCode: Int32Array;
  readonly #deferredRows: number[] = [];
  readonly #deferredWhich: number[] = [];
  readonly #deferredTexts: string[] = [];
  #rows = 0;
  #failure = '';

  constructor(plan: RangePlan) {
    this.#plan = plan;
    this.#clock = new ZoneClock(plan.timezone);
    const width = plan.width;
    this.#kinds = Int8Array.from(plan.kinds);
    this.#required = new Uint8Array(width);
    for (const c of plan.required) this.#required[c] = 1;
    for (let c = 0; c < width; c++) {
      const text = plan.kinds[c] === ColumnKind.Text;
      this.#dicts.push(text ? new ByteDictionary() : null);
      this.#codes.push(text ? new Int32Array(1024) : null);
      this.#firstRow.push(-1);
    }
    this.#start = plan.kinds.includes(ColumnKind.StartTime) ? new Float64Array(1024) : null;
    this.#prevAt = new Int32Array(width);
    this.#prevLen = new Int32Array(width).fill(-1);
    this.#prevCode = new Int32Array(width);
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
    const lastLf = block.lastIndexOf(LF);
    const checked = final ? block.length : lastLf + 1;
    const ascii = isAscii(block.subarray(0, checked));
    if (!ascii && !isUtf8(block.subarray(0, checked))) return this.#fail('invalid UTF-8');
    const end = final ? block.length : checked;
    let pos = 0;
    while (pos < end) {
      const mark = this.#deferredRows.length;
      const next = this.#record(block, pos, end, final, ascii);
      if (next < 0) {
        if (this.#failure !== '') return -1;
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
      codes: this.#codes.map((c) => (c === null ? null : c.slice(0, rows))),
      dictionaries: this.#dicts.map((d) => (d === null ? null : d.values)),
      firstRow: this.#firstRow,
      time: this.#time.slice(0, rows),
      start: this.#start === null ? null : this.#start.slice(0, rows),
      deferredRows: this.#deferredRows,
      deferredWhich: this.#deferredWhich,
      deferredTexts: this.#deferredTexts,
    };
  }

  #fail(reason: string): number {
    if (this.#failure === '') this.#failure = reason;
    return -1;
  }

  /**
   * Reads the record at `pos`; returns where the next one starts, or -1 when it does not end
   * within `[pos, end)` (and the block is not final) or the range failed.
   */
  #record(b: Buffer, pos: number, end: number, final: boolean, ascii: boolean): number {
    // Blank lines (LF or CRLF alone) are skipped, as the row importer skips them.
    const first = b[pos];
    if (first === LF) return pos + 1;
    if (first === CR) {
      if (pos + 1 < end && b[pos + 1] === LF) return pos + 2;
      return pos + 1 >= end && !final ? -1 : this.#fail('a CR without LF');
    }
    const plan = this.#plan;
    const width = plan.width;
    const delim = plan.delimiter;
    const maxField = plan.maxFieldBytes;
    const row = this.#rows;
    if (row === this.#time.length) this.#grow();
    let i = pos;
    let col = 0;
    for (;;) {
      if (col === width) return this.#fail('a row has more fields than the header');
      let from = i;
      let to: number;
      let escaped = false;
      if (i < end && b[i] === QUOTE) {
        // Quoted: up to a quote not followed by another; `""` is one quote of the text.
        from = i + 1;
        let q = from;
        for (;;) {
          q = b.indexOf(QUOTE, q);
          if (q < 0 || q >= end) return final ? this.#fail('a quote never closes') : -1;
          if (q + 1 < end && b[q + 1] === QUOTE) {
            escaped = true;
            q += 2;
            continue;
          }
          if (q + 1 >= end && !final) return -1;
          break;
        }
        to = q;
        i = q + 1;
        if (i < end) {
          const c = b[i];
          if (c !== delim && c !== LF && c !== CR) return this.#fail('text after a closing quote');
        }
      } else {
        while (i < end) {
          const c = b[i];
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
        to = i;
      }
      if (to - from > maxField) return this.#fail('a field past the size limit');
      // The field's terminator: delimiter, line end, or the end of a final block.
      if (i >= end && !final) return -1;
      let lineEnd = i >= end;
      let next = i + 1;
      if (!lineEnd) {
        const c = b[i];
        if (c === LF) {
          lineEnd = true;
        } else if (c === CR) {
          if (i + 1 < end && b[i + 1] === LF) {
            lineEnd = true;
            next = i + 2;
          } else if (i + 1 >= end && !final) {
            return -1;
          } else {
            return this.#fail('a CR without LF');
          }
        }
      } else {
        next = end;
      }
      this.#field(b, col, from, to, escaped, ascii, row);
      if (this.#failure !== '') return -1;
      col++;
      if (lineEnd) {
        if (col !== width) return this.#fail('a row has fewer fields than the header');
        if (next - pos > plan.maxRowBytes) return this.#fail('a row past the size limit');
        this.#rows = row + 1;
        return next;
      }
      i = next;
      // A delimiter at the very end of a final block opens one more, empty field.
      if (i >= end) {
        if (col === width) return this.#fail('a row has more fields than the header');
        this.#field(b, col, i, i, false, ascii, row);
        if (this.#failure !== '') return -1;
        col++;
        if (col !== width) return this.#fail('a row has fewer fields than the header');
        this.#rows = row + 1;
        return end;
      }
    }
  }

  /** Stores field `col` of `row`: `b[from, to)`, with `""` pairs when `escaped`. */
  #field(
    b: Buffer, col: number, from: number, to: number, escaped: boolean, ascii: boolean,
    row: number,
  ): void {
    const kind = this.#kinds[col];
    if (from === to) {
      if (this.#required[col] === 1) {
        this.#fail('an empty case id or activity');
      } else if (kind === ColumnKind.Text) {
        (this.#codes[col] as Int32Array)[row] = -1;
      } else if (kind === ColumnKind.Time) {
        this.#fail('an empty timestamp');
      } else {
        (this.#start as Float64Array)[row] = NaN;
      }
      return;
    }
    if (this.#firstRow[col] < 0) this.#firstRow[col] = row;
    if (kind === ColumnKind.Text) {
      const codes = this.#codes[col] as Int32Array;
      const length = to - from;
      if (!escaped && this.#prevLen[col] === length &&
        same(b, from, this.#prevAt[col], length)) {
        codes[row] = this.#prevCode[col];
        return;
      }
      const dict = this.#dicts[col] as ByteDictionary;
      const code = escaped ? dict.codeOfText(unescape(b, from, to, ascii))
        : dict.code(b, from, to, ascii);
      codes[row] = code;
      if (!escaped) {
        this.#prevAt[col] = from;
        this.#prevLen[col] = length;
        this.#prevCode[col] = code;
      } else {
        this.#prevLen[col] = -1;
      }
      return;
    }
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

  #grow(): void {
    const size = this.#time.length * 2;
    this.#time = grownF64(this.#time, size);
    if (this.#start !== null) this.#start = grownF64(this.#start, size);
    this.#codes = this.#codes.map((c) => {
      if (c === null) return null;
      const next = new Int32Array(size);
      next.set(c);
      return next;
    });
  }
}

function same(b: Uint8Array, at: number, prev: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (b[at + k] !== b[prev + k]) return false;
  return true;
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
