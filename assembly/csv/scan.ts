// The CSV field scanner (built into build/csv-scan.wasm by `npm run build:wasm`): the loop that
// touches every byte of a CSV import. It finds where each field of each record starts and ends
// and turns each text field into a dictionary code (dictionary.ts): a field whose bytes repeat
// the previous row's field of its column takes that field's code without a lookup. Timestamp
// columns are left to the JS side (src/ingest/fast-csv/range-parser.ts) as start, length and
// flags, with empty timestamps; it reads the codes as they are. A number column (an attribute
// the JS side found to hold plain decimals of mostly distinct values, such as amounts) is read
// into doubles here (plain-decimal.ts), with no dictionary: its values would only fill one.
//
// Memory: the module imports one memory; the JS side lays out the shape and output words
// below the heap (heap.ts) and takes every other region from the heap. Per column:
//
//   stops    256 x u8    1 for the bytes that end an unquoted field (delimiter, LF, CR)
//   kinds    width x u8  0 for a text column (coded), 1 for a timestamp (bounds, and its epoch
//                        ms where iso-time.ts reads it), 2 for a number column (bounds and
//                        its value)
//   required width x u8  1 for a text column that must not be empty (case, activity)
//   prevAt   width x i32 the previous row's unquoted field of the column in this block: start
//   prevLen  width x i32 ... and length, -1 for none (the JS side fills -1 for a new block)
//   prevCode width x i32 ... and its code
//   dicts    width x DICT_BYTES, a dictionary header per text column
//   out*     per column and record of this call (`column * maxRows + row`): the code (-1 for
//            an empty text field) of a text column; start, length, flags of any other, and
//            in the f64 array a timestamp's epoch ms where iso-time.ts could read it (else
//            NaN) or a number's value (NaN when empty)
//   result   2 x i32     rows scanned, position after them
//
// Offsets of fields are relative to the block. The rules are RFC 4180 as the row importer
// reads it: `""` inside quotes is one quote, LF or CRLF ends a record, a blank line is
// skipped, every row is as wide as the header. Anything else stops the scan with a failure
// code, and the file then goes to the row importer.

import {
  DICT_BYTES, find, hashBytes, initDictionary, lookup, reserve, sameBytes,
} from "./dictionary";
import { alloc } from "./heap";
import { isoMillis } from "./iso-time";
import { plainDecimal } from "./plain-decimal";

export { seedHash } from "./dictionary";
export { alloc, heapStart } from "./heap";
export { isoMillis } from "./iso-time";
export { plainDecimal } from "./plain-decimal";

const LF: u32 = 10;
const CR: u32 = 13;
const QUOTE: u32 = 34;

/** Field flag: quoted with `""` inside (the JS side unescapes it; no hash). */
export const FLAG_ESCAPED: i32 = 1;
/** Field flag: the same bytes as the previous row's field of this column. */
export const FLAG_REPEAT: i32 = 2;

/** Stopped at the block's end or after `maxRows` rows. */
export const SCAN_DONE: i32 = 0;
/** The record at the result position continues past the (non-final) block. */
export const SCAN_MORE: i32 = 1;
// Failures, each a reason the JS side names (csv-scanner.ts).
export const FAIL_WIDE: i32 = 2;
export const FAIL_QUOTE_OPEN: i32 = 3;
export const FAIL_AFTER_QUOTE: i32 = 4;
export const FAIL_FIELD_SIZE: i32 = 5;
export const FAIL_LONE_CR: i32 = 6;
export const FAIL_NARROW: i32 = 7;
export const FAIL_ROW_SIZE: i32 = 8;
export const FAIL_EMPTY_KEY: i32 = 9;
export const FAIL_NOT_NUMBER: i32 = 10;

/** Column kinds (the kinds bytes of the shape). */
const KIND_TEXT: u8 = 0;
const KIND_NUMBER: u8 = 2;

/** Layout version the JS side checks (src/ingest/fast-csv/csv-scanner.ts). */
export function scanVersion(): i32 {
  return 7;
}

/** Sets up the dictionaries of the text columns (after the JS side wrote the shape). */
export function setup(shape: usize): void {
  const width = load<i32>(shape);
  const kinds = load<u32>(shape, 20) as usize;
  const dicts = load<u32>(shape, 40) as usize;
  for (let c = 0; c < width; c++) {
    if (load<u8>(kinds + c) == KIND_TEXT) initDictionary(dicts + <usize>c * DICT_BYTES);
  }
}

/** Makes room in text column `column`'s dictionary (see dictionary.ts `reserve`). */
export function reserveDictionary(shape: usize, column: i32, entries: i32, poolBytes: i32): void {
  reserve(<usize>load<u32>(shape, 40) + <usize>column * DICT_BYTES, entries, poolBytes);
}

/**
 * Adds another range's dictionary of text column `column` to this one, in its code order,
 * and writes at `remap` each of its codes' code here. Its entries lie at `at`: `size` hashes,
 * starts and lengths (i32 each, array after array), then the pool their starts point into.
 *
 * With `fresh` (not 0) its entries are only looked up, not added: one absent here gets the
 * next code after the `known` ones this side keeps track of, and its index in that range is
 * written at `fresh`, in code order. Returns how many were absent. For the last range merged:
 * no later range needs to find its entries, and this table then does not grow by them.
 */
export function mergeEntries(
  shape: usize, column: i32, at: usize, size: i32, remap: usize, fresh: usize, known: i32,
): i32 {
  const d = <usize>load<u32>(shape, 40) + <usize>column * DICT_BYTES;
  const words = <usize>size << 2;
  const pool = at + 3 * words;
  let absent = 0;
  for (let k: usize = 0; k < words; k += 4) {
    const h = load<u32>(at + k);
    const bytes = pool + <usize>load<i32>(at + words + k);
    const n = load<i32>(at + 2 * words + k);
    let code: i32;
    if (fresh == 0) {
      code = find(d, h, bytes, n);
    } else {
      code = lookup(d, h, bytes, n);
      if (code < 0) {
        code = known + absent;
        store<i32>(fresh + (<usize>absent << 2), <i32>(k >> 2));
        absent++;
      }
    }
    store<i32>(remap + k, code);
  }
  return absent;
}

/** Rewrites `n` codes at `codes` through the table at `remap`; -1 (no value) stays. */
export function remapCodes(codes: usize, n: i32, remap: usize): void {
  const end = codes + (<usize>n << 2);
  for (let at = codes; at < end; at += 4) {
    const code = load<i32>(at);
    store<i32>(at, code < 0 ? -1 : load<i32>(remap + (<usize>code << 2)));
  }
}

/**
 * Scans the records of `[pos, end)` of the block at `block`, at most `maxRows` of them; the
 * returned status says why it stopped. `final` says the block ends the range.
 */
export function scanRecords(
  block: usize, pos: i32, end: i32, final: bool, maxRows: i32, shape: usize, out: usize,
): i32 {
  // shape: width, delimiter, maxField, maxRow, then the addresses of stops, kinds, prevAt,
  // prevLen, result, prevCode, dicts, required, the unescape scratch and its room, the
  // unescaped length, whether naive times are UTC; out: the five per-field arrays.
  const width = load<i32>(shape);
  const delim = load<u32>(shape, 4);
  const maxField = load<i32>(shape, 8);
  const maxRow = load<i32>(shape, 12);
  const stops = load<u32>(shape, 16) as usize;
  const kinds = load<u32>(shape, 20) as usize;
  const prevAt = load<u32>(shape, 24) as usize;
  const prevLen = load<u32>(shape, 28) as usize;
  const result = load<u32>(shape, 32) as usize;
  const prevCode = load<u32>(shape, 36) as usize;
  const dicts = load<u32>(shape, 40) as usize;
  const required = load<u32>(shape, 44) as usize;
  const outCode = load<u32>(out) as usize;
  const outStart = load<u32>(out, 4) as usize;
  const outLen = load<u32>(out, 8) as usize;
  const outFlags = load<u32>(out, 12) as usize;
  const outTime = load<u32>(out, 16) as usize;
  const naiveUtc = load<i32>(shape, 60) != 0;

  // The delimiter in every lane, for the search sixteen bytes at a time (stopAt).
  const delimiters = i8x16.splat(<i8>delim);
  let rows = 0;
  let status = SCAN_DONE;
  while (pos < end && rows < maxRows) {
    // Blank lines (LF or CRLF alone) are skipped, as the row importer skips them.
    const first = <u32>load<u8>(block + pos);
    if (first == LF) {
      pos++;
      continue;
    }
    if (first == CR) {
      if (pos + 1 < end && <u32>load<u8>(block + pos + 1) == LF) {
        pos += 2;
        continue;
      }
      status = pos + 1 >= end && !final ? SCAN_MORE : FAIL_LONE_CR;
      break;
    }

    let i = pos;
    let col = 0;
    // This record's slot in each column's output.
    let field = <usize>rows << 2;
    const stride = <usize>maxRows << 2;
    let next = 0;
    for (;;) {
      if (col == width) return stop(result, rows, pos, FAIL_WIDE);
      const text = load<u8>(kinds + col) == KIND_TEXT;
      let from = i;
      let to = i;
      let flags = 0;
      if (i < end && <u32>load<u8>(block + i) == QUOTE) {
        // Quoted: up to a quote not followed by another; `""` is one quote of the text.
        from = i + 1;
        let q = from;
        for (;;) {
          while (q < end && <u32>load<u8>(block + q) != QUOTE) q++;
          if (q >= end) return stop(result, rows, pos, final ? FAIL_QUOTE_OPEN : SCAN_MORE);
          if (q + 1 < end && <u32>load<u8>(block + q + 1) == QUOTE) {
            flags = FLAG_ESCAPED;
            q += 2;
            continue;
          }
          if (q + 1 >= end && !final) return stop(result, rows, pos, SCAN_MORE);
          break;
        }
        to = q;
        i = q + 1;
        if (i < end) {
          const c = <u32>load<u8>(block + i);
          if (c != delim && c != LF && c != CR) return stop(result, rows, pos, FAIL_AFTER_QUOTE);
        }
        if (text && to > from) store<i32>(prevLen + (<usize>col << 2), -1);
      } else if (text) {
        // Flat exports repeat a case's values on each of its rows: the bytes are compared with
        // the previous row's field of the column first; when they match up to a stop byte the
        // field is that one (no hash; the JS side reuses that field's code).
        const same = load<i32>(prevLen + (<usize>col << 2));
        if (same > 0 && i + same < end && load<u8>(stops + load<u8>(block + i + same)) != 0 &&
          sameBytes(block + i, block + <usize>load<i32>(prevAt + (<usize>col << 2)), same)) {
          flags = FLAG_REPEAT;
          i += same;
        } else {
          i = stopAt(block, i, end, stops, delimiters);
          if (i > from) {
            store<i32>(prevAt + (<usize>col << 2), from);
            store<i32>(prevLen + (<usize>col << 2), i - from);
          }
        }
        to = i;
      } else {
        i = stopAt(block, i, end, stops, delimiters);
        to = i;
      }
      const length = to - from;
      if (length > maxField) return stop(result, rows, pos, FAIL_FIELD_SIZE);
      if (text) {
        const slot = prevCode + (<usize>col << 2);
        let code = -1;
        if (length == 0) {
          if (load<u8>(required + col) != 0) return stop(result, rows, pos, FAIL_EMPTY_KEY);
        } else if (flags == FLAG_REPEAT) {
          code = load<i32>(slot);
        } else if (flags == FLAG_ESCAPED) {
          const bytes = unescaped(shape, block + from, length);
          const n = load<i32>(shape, 56);
          code = find(dicts + <usize>col * DICT_BYTES, hashBytes(bytes, n), bytes, n);
        } else {
          code = find(dicts + <usize>col * DICT_BYTES, hashBytes(block + from, length),
            block + from, length);
          store<i32>(slot, code);
        }
        store<i32>(outCode + field, code);
      } else {
        store<i32>(outStart + field, from);
        store<i32>(outLen + field, length);
        store<i32>(outFlags + field, flags);
        let value: f64 = NaN;
        if (load<u8>(kinds + col) == KIND_NUMBER) {
          // Anything but a plain decimal ends the scan: the JS side reads the file again with
          // the column as text, as a column of mixed values must be.
          if (length > 0) value = flags == 0 ? plainDecimal(block + <usize>from, length) : NaN;
          if (length > 0 && isNaN(value)) return stop(result, rows, pos, FAIL_NOT_NUMBER);
        } else if (length > 0 && flags == 0) {
          value = isoMillis(block + <usize>from, length, naiveUtc);
        }
        store<f64>(outTime + (field << 1), value);
      }
      field += stride;
      col++;

      // The field's terminator: delimiter, line end, or the end of a final block.
      let lineEnd = true;
      next = end;
      if (i < end) {
        const c = <u32>load<u8>(block + i);
        next = i + 1;
        if (c == delim) {
          lineEnd = false;
        } else if (c == CR) {
          if (i + 1 < end && <u32>load<u8>(block + i + 1) == LF) next = i + 2;
          else return stop(result, rows, pos, i + 1 >= end && !final ? SCAN_MORE : FAIL_LONE_CR);
        }
      } else if (!final) {
        return stop(result, rows, pos, SCAN_MORE);
      }
      if (lineEnd) {
        if (col != width) return stop(result, rows, pos, FAIL_NARROW);
        break;
      }
      i = next;
      // A delimiter at the very end of a final block opens one more, empty field.
      if (i >= end && final) {
        if (col != width - 1) return stop(result, rows, pos, FAIL_NARROW);
        if (load<u8>(kinds + col) == KIND_TEXT) {
          if (load<u8>(required + col) != 0) return stop(result, rows, pos, FAIL_EMPTY_KEY);
          store<i32>(outCode + field, -1);
        } else {
          store<i32>(outStart + field, end);
          store<i32>(outLen + field, 0);
          store<i32>(outFlags + field, 0);
          store<f64>(outTime + (field << 1), NaN);
        }
        next = end;
        break;
      }
    }
    if (next - pos > maxRow) return stop(result, rows, pos, FAIL_ROW_SIZE);
    rows++;
    pos = next;
  }
  return stop(result, rows, pos, status);
}

/**
 * The first stop byte (delimiter, LF or CR) of `[i, end)` of the block, or `end`: sixteen
 * bytes at a time while sixteen are left (a compare per stop byte, then the mask of the lanes
 * that hold one), then a byte at a time through the stop table. `delimiters` holds the
 * delimiter in every lane.
 */
// @ts-ignore: decorator
@inline function stopAt(block: usize, i: i32, end: i32, stops: usize, delimiters: v128): i32 {
  const lfs = i8x16.splat(<i8>LF);
  const crs = i8x16.splat(<i8>CR);
  while (i + 16 <= end) {
    const bytes = v128.load(block + <usize>i);
    const hits = v128.or(v128.or(i8x16.eq(bytes, delimiters), i8x16.eq(bytes, lfs)),
      i8x16.eq(bytes, crs));
    const mask = i8x16.bitmask(hits);
    if (mask != 0) return i + ctz(mask);
    i += 16;
  }
  while (i < end && load<u8>(stops + load<u8>(block + <usize>i)) == 0) i++;
  return i;
}

/** Writes the rows scanned and the position after them; returns `status`. */
// @ts-ignore: decorator
@inline function stop(result: usize, rows: i32, pos: i32, status: i32): i32 {
  store<i32>(result, rows);
  store<i32>(result, pos, 4);
  return status;
}

/**
 * The `n` bytes at `at` with each `""` read as one quote, in the scratch region (taken anew,
 * larger, when it is too small); the unescaped length is left in the shape's word 14.
 */
function unescaped(shape: usize, at: usize, n: i32): usize {
  let scratch = <usize>load<u32>(shape, 48);
  if (n > load<i32>(shape, 52)) {
    scratch = alloc(<usize>n);
    store<u32>(shape, <u32>scratch, 48);
    store<i32>(shape, n, 52);
  }
  let w: usize = 0;
  for (let k = 0; k < n; k++) {
    const c = load<u8>(at + k);
    store<u8>(scratch + w, c);
    w++;
    if (<u32>c == QUOTE) k++;
  }
  store<i32>(shape, <i32>w, 56);
  return scratch;
}
