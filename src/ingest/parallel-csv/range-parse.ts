/**
 * Parses one byte range of a plain CSV file (every line plain, see `splitPlainLine`) into
 * columns of local codes: what a worker sends back to the importing thread.
 *
 * Each field position has a local list of strings; a row's field is an index into it. The list
 * may hold a text twice (columns whose values rarely repeat are not hashed): codes only need to
 * lead back to the text, the log's own dictionaries are built on the importing thread, in file
 * order, so codes of the compiled log are those of the single-threaded import.
 * @internal
 */
import type { CsvSizeLimits } from '../csv/csv-tokenizer.js';
import { FieldStrings } from '../csv/field-strings.js';
import { splitPlainLine } from '../csv/plain-line.js';
import { isAscii } from '../csv/utf8-stream.js';

const LF = 10;

/** The rows of one range. */
export interface ParsedRange {
  /** False when a line is not plain or the bytes are no UTF-8: import single-threaded. */
  plain: boolean;
  /** Lines (LF-terminated or last) in the range, blank ones included. */
  lines: number;
  rows: number;
  /** Per row: its line, 0-based from the range's first line. */
  rowLine: Int32Array;
  /** Per row: where its codes start in `codes` (rows + 1 entries). */
  rowStart: Int32Array;
  codes: Int32Array;
  /** Per field position: the texts its codes point at. */
  values: string[][];
}

/** Parses `bytes` (whole lines; the last may lack its LF). */
export function parseRange(bytes: Buffer, delimiter: number, limits: CsvSizeLimits): ParsedRange {
  const none: ParsedRange = {
    plain: false, lines: 0, rows: 0, rowLine: new Int32Array(0), rowStart: new Int32Array(1),
    codes: new Int32Array(0), values: [],
  };
  if (!isAscii(bytes) && !validUtf8(bytes)) return none;
  const columns: FieldStrings[] = [];
  const fields: string[] = [];
  const coders: RangeColumn[] = [];
  let rowLine = new Int32Array(1024);
  let rowStart = new Int32Array(1025);
  let codes = new Int32Array(16 * 1024);
  let rows = 0;
  let used = 0;
  let line = 0;
  let pos = 0;
  const n = bytes.length;
  while (pos < n) {
    let lf = bytes.indexOf(LF, pos);
    if (lf < 0) lf = n;
    const count = splitPlainLine(bytes, pos, lf, delimiter, limits, columns, fields);
    if (count < 0) return none;
    if (count > 0) {
      if (rows + 1 >= rowLine.length) {
        rowLine = grow(rowLine, rowLine.length * 2);
        rowStart = grow(rowStart, rowLine.length + 1);
      }
      if (used + count > codes.length) {
        codes = grow(codes, Math.max(codes.length * 2, used + count));
      }
      for (let k = 0; k < count; k++) {
        const coder = coders[k] ?? (coders[k] = new RangeColumn(columns[k]));
        codes[used + k] = coder.code(fields[k]);
      }
      rowLine[rows] = line;
      rowStart[rows] = used;
      used += count;
      rows++;
    }
    line++;
    pos = lf + 1;
  }
  rowStart[rows] = used;
  return {
    plain: true, lines: line, rows, rowLine: rowLine.slice(0, rows),
    rowStart: rowStart.slice(0, rows + 1), codes: codes.slice(0, used),
    values: coders.map((c) => c.values),
  };
}

/** Local codes of one field position. */
class RangeColumn {
  readonly values: string[] = [];
  readonly #strings: FieldStrings | undefined;
  readonly #codes = new Map<string, number>();
  #last: string | null = null;
  #lastCode = -1;

  constructor(strings: FieldStrings | undefined) {
    this.#strings = strings;
  }

  code(value: string): number {
    if (value === this.#last) return this.#lastCode;
    // Columns whose strings are shared (they repeat) are hashed; others just appended.
    const hashed = this.#strings !== undefined && this.#strings.cachesValues;
    let code = hashed ? this.#codes.get(value) : undefined;
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      if (hashed) this.#codes.set(value, code);
    }
    this.#last = value;
    this.#lastCode = code;
    return code;
  }
}

function validUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function grow(a: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(length);
  next.set(a);
  return next;
}
