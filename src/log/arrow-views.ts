/**
 * Fast readers for the columns of a saved compiled log: no call per row, at most one pass per
 * column, and no copy where the stored values already are the in-memory ones. Int32 codes and
 * f64 numbers become views on the file's bytes, their nulls marked (−1, NaN) in place; int64
 * times are converted to f64 in place. This writes into the Arrow vectors' buffers, so it is
 * only for buffers the caller owns and discards. Anything unusual (several chunks, other units
 * or widths, sliced data) goes to the general {@link attributeFromVector}, which copies.
 * @internal
 */
import {
  DataType, Dictionary as ArrowDictionary, Precision, TimeUnit, type Data, type Vector,
} from 'apache-arrow';
import { attributeFromVector } from './arrow-columns.js';
import type { AttributeColumn } from './compiled-log.js';
import { checkChunks, checkTimeRange, timeOutside } from './log-file-checks.js';

const TWO_32 = 4294967296;
// Date's range, ±8.64e15 ms (MAX_TIME_MS in log-file-checks.ts), kept here as a local constant
// for the conversion loop.
const MAX_TIME_MS = 8.64e15;

/** How a column's bytes may be used. */
export interface ViewOptions {
  /**
   * True when the bytes belong to the caller alone (a buffer it read): then columns are used
   * in place, nulls marked and times converted where they lie. Otherwise they are copied.
   */
  ownBytes: boolean;
  /** The column's name and what its rows are (event, case), for the message of a bad time. */
  name?: string;
  rows?: string;
}

/** A column of a saved compiled log → a typed column, viewing the file's bytes if it can. */
export function columnFromVector(vector: Vector, options: ViewOptions): AttributeColumn {
  // No view of a chunk may be shorter than its rows (a header's claim, not checked by Arrow).
  checkChunks(vector, options.name ?? 'time');
  const data = vector.data.length === 1 ? vector.data[0] : null;
  if (data === null || data.offset !== 0 || !options.ownBytes) {
    const copied = attributeFromVector(vector);
    if (copied.kind === 'time') checkTimeRange(copied.values, options.name, options.rows);
    return copied;
  }
  const type = vector.type as DataType;
  const valid = data.nullCount > 0 ? data.nullBitmap as Uint8Array : null;
  if (ArrowDictionary.isDictionary(type)) {
    const indices = type.indices;
    if (indices.bitWidth !== 32 || !indices.isSigned) return attributeFromVector(vector);
    const codes = (data.values as Int32Array).subarray(0, data.length);
    // Writers leave any value under a null (ours: 0); the compiled log wants −1 there.
    if (valid !== null) fillNulls(valid, codes, -1);
    const dictionary = (data.dictionary?.toArray() ?? []) as string[];
    return { kind: 'string', codes, dictionary };
  }
  if (DataType.isTimestamp(type) && type.unit === TimeUnit.MILLISECOND) {
    return { kind: 'time', values: timesInPlace(data, options.name, options.rows) };
  }
  if (DataType.isBool(type)) return { kind: 'boolean', values: booleansFromBits(data) };
  if (DataType.isFloat(type) && type.precision === Precision.DOUBLE) {
    const values = (data.values as Float64Array).subarray(0, data.length);
    if (valid !== null) fillNulls(valid, values, NaN);
    return { kind: 'number', values };
  }
  return attributeFromVector(vector);
}

/**
 * timestamp[ms] (int64) → epoch ms as f64, NaN for nulls, converted where the int64s lie: an
 * f64 takes the same 8 bytes, and value i is read before it is overwritten. Writing into the
 * file's own pages (touched already by the read) avoids a fresh 160 MB array per 20 M events,
 * whose page faults cost as much as the conversion. Each int64 is read as two int32 halves: a
 * BigInt per value would cost ~50 ns. Epoch ms fit in 53 bits for ±285,000 years, so the f64
 * is exact. The chunk's int64 values are unusable afterwards: only for buffers the caller owns.
 *
 * Only the values buffer's own bytes are converted (a header may claim more rows than its
 * buffer holds: the bytes after it are another column's), so the result may be shorter than
 * `data.length`; the caller checks its length. A time outside JavaScript's Date range
 * (±8.64e15 ms) is refused here, in the same pass: LF_ERR_LOG_BAD_COMPILED naming `name` and
 * the row.
 */
export function timesInPlace(data: Data, name = 'time', rows = 'event'): Float64Array {
  const raw = data.values as BigInt64Array;
  const n = Math.min(data.length, raw.length);
  const halves = new Int32Array(raw.buffer, raw.byteOffset, 2 * n);
  const out = new Float64Array(raw.buffer, raw.byteOffset, n);
  // One range test per value (|t| > bound: NaN passes), thrown after the loop. Measured at
  // 20 M times, best of 11 at load 5–6: 52 ms against 44–47 without the test (with nulls 76
  // against 66). The bound is a local constant: imported from another module, it made the
  // loop 700–1,000 ms under vitest's module transform.
  const bad = data.nullCount === 0 ? convertAll(halves, out)
    : convertValid(halves, out, data.nullBitmap as Uint8Array);
  if (bad >= 0) throw timeOutside(out[bad], bad, name, rows);
  return out;
}

/** Converts every row; answers the first row outside Date's range, or −1. */
function convertAll(halves: Int32Array, out: Float64Array): number {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const t = halves[2 * i + 1] * TWO_32 + (halves[2 * i] >>> 0);
    out[i] = t;
    if (Math.abs(t) > MAX_TIME_MS) return i;
  }
  return -1;
}

/**
 * Converts the valid rows and writes NaN over the null ones, a validity byte at a time (eight
 * rows converted, eight NaNs, or mixed); answers the first row outside Date's range, or −1.
 */
function convertValid(halves: Int32Array, out: Float64Array, valid: Uint8Array): number {
  const n = out.length;
  for (let from = 0; from < n; from += 8) {
    const b = valid[from >> 3];
    const to = Math.min(from + 8, n);
    for (let i = from; i < to; i++) {
      const t = b === 0 || (b !== 0xff && (b & (1 << (i - from))) === 0) ? NaN
        : halves[2 * i + 1] * TWO_32 + (halves[2 * i] >>> 0);
      out[i] = t;
      if (Math.abs(t) > MAX_TIME_MS) return i;
    }
  }
  return -1;
}

// Row bytes (0 or 1) of the 16 four-bit patterns, packed little-endian into one u32 each.
const NIBBLES = Uint32Array.from({ length: 16 }, (_, b) =>
  (b & 1) | ((b >> 1) & 1) << 8 | ((b >> 2) & 1) << 16 | ((b >> 3) & 1) << 24);
// 0xff (−1) in the row bytes whose validity bit is 0: OR-ed over any value byte, gives −1.
const MISSING = NIBBLES.map((ones) => (~(ones * 0xff)) >>> 0);

/**
 * Arrow booleans (bits) → -1 / 0 / 1 bytes, eight rows per bitmap byte through two tables and
 * no branch: value nibble → 0/1 bytes, validity nibble → −1 over the null rows. The tables
 * assume a little-endian machine, as Arrow's own buffers here do.
 */
export function booleansFromBits(data: Data): Int8Array {
  const n = data.length;
  const bits = data.values as Uint8Array;
  const valid = data.nullCount > 0 ? data.nullBitmap as Uint8Array : null;
  // Rounded up to whole bitmap bytes so that the last byte's eight rows fit; then cut to n.
  const bytes = Math.ceil(n / 8);
  const out = new Int8Array(bytes * 8);
  const words = new Uint32Array(out.buffer);
  for (let k = 0; k < bytes; k++) {
    const b = bits[k];
    const v = valid === null ? 0xff : valid[k];
    words[2 * k] = NIBBLES[b & 15] | MISSING[v & 15];
    words[2 * k + 1] = NIBBLES[b >> 4] | MISSING[v >> 4];
  }
  return out.subarray(0, n);
}

/**
 * Writes `missing` at every row whose validity bit is 0, a bitmap byte at a time: bytes of
 * eight valid rows (0xff), most bytes of a column with few nulls, are skipped in one step.
 * Rows start at bit 0 (callers pass unsliced data).
 */
function fillNulls(valid: Uint8Array, into: Int32Array | Float64Array, missing: number): void {
  const n = into.length;
  for (let from = 0; from < n; from += 8) {
    const b = valid[from >> 3];
    if (b === 0xff) continue;
    const to = Math.min(from + 8, n);
    for (let i = from; i < to; i++) if ((b & (1 << (i - from))) === 0) into[i] = missing;
  }
}
