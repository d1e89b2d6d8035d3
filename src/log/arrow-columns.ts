/**
 * Conversions between ledgerflow's typed columns and Arrow vectors, without per-row objects.
 * @internal
 */
import {
  Bool, DataType, Dictionary as ArrowDictionary, Float64, Int32, TimestampMillisecond, Utf8,
  makeData, makeVector, vectorFromArray, type Data, type Vector,
} from 'apache-arrow';
import type { AttributeColumn } from './compiled-log.js';

const TWO_32 = 4294967296;

/** Epoch ms (f64, integral) → an Arrow timestamp[ms, UTC] vector; NaN → null. */
export function timeVector(values: Float64Array): Vector {
  const out = new BigInt64Array(values.length);
  // Write the int64 as two int32 halves: a BigInt per value would cost ~50 ns each.
  const halves = new Int32Array(out.buffer);
  let nulls: Uint8Array | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      nulls ??= allValid(values.length);
      clearBit(nulls, i);
      continue;
    }
    const hi = Math.floor(v / TWO_32);
    halves[2 * i] = v - hi * TWO_32;
    halves[2 * i + 1] = hi;
  }
  return makeVector(makeData({
    type: new TimestampMillisecond('UTC'), length: values.length, data: out, nullBitmap: nulls,
  }));
}

/** Any Arrow timestamp or date data (one chunk) → epoch ms as f64; null → NaN. */
export function timesFromData(data: Data, into: Float64Array, at: number): void {
  const unit = (data.type as { unit?: number }).unit ?? 1;
  // Arrow TimeUnit: 0 second, 1 millisecond, 2 microsecond, 3 nanosecond.
  const scale = [1000, 1, 1e-3, 1e-6][unit];
  const raw = data.values as BigInt64Array | Int32Array;
  const halves = new Int32Array(raw.buffer, raw.byteOffset, raw.length * (raw instanceof
    BigInt64Array ? 2 : 1));
  const stride = raw instanceof BigInt64Array ? 2 : 1;
  for (let i = 0; i < data.length; i++) {
    if (!isValid(data, i)) {
      into[at + i] = NaN;
      continue;
    }
    const j = (data.offset + i) * stride;
    const whole = stride === 2 ? halves[j + 1] * TWO_32 + (halves[j] >>> 0) : halves[j];
    into[at + i] = scale === 1 ? whole : Math.floor(whole * scale);
  }
}

/** Characters joined at once at most; past that each text is written on its own. */
const JOIN_CHARS = 1 << 26;

/**
 * Texts (none missing) → an Arrow Utf8 vector, their bytes written in one go: Arrow's own
 * `vectorFromArray` goes through a builder, a call and an encoder per text, which made saving
 * a log of two million case ids take seconds. All-ASCII texts (most ids and names) are joined
 * and written as Latin-1, their offsets their lengths; other texts are written one by one.
 */
export function utf8Vector(texts: string[]): Vector {
  const n = texts.length;
  const offsets = new Int32Array(n + 1);
  let chars = 0;
  for (let i = 0; i < n; i++) {
    chars += texts[i].length;
    offsets[i + 1] = chars;
  }
  let data: Uint8Array | null = null;
  if (chars <= JOIN_CHARS) {
    const joined = texts.join('');
    if (Buffer.byteLength(joined, 'utf8') === chars) data = Buffer.from(joined, 'latin1');
  }
  if (data === null) {
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      bytes += Buffer.byteLength(texts[i], 'utf8');
      offsets[i + 1] = bytes;
    }
    // Arrow's Utf8 offsets are 32-bit: a larger dictionary goes through Arrow's own builder.
    if (bytes > 0x7fffffff) return vectorFromArray(texts, new Utf8());
    const buffer = Buffer.allocUnsafe(bytes);
    for (let i = 0; i < n; i++) buffer.write(texts[i], offsets[i], 'utf8');
    data = buffer;
  }
  return makeVector(makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data }));
}

/** Dictionary codes (−1 = null) and their strings → an Arrow dictionary vector. */
export function dictionaryVector(codes: Int32Array, dictionary: string[]): Vector {
  let nulls: Uint8Array | undefined;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] < 0) {
      nulls ??= allValid(codes.length);
      clearBit(nulls, i);
    }
  }
  // 0 under the nulls, not −1: a reader that checks every index against the dictionary, null
  // or not, still accepts the file.
  const values = nulls === undefined ? codes : codes.map((c) => (c < 0 ? 0 : c));
  return makeVector(makeData({
    type: new ArrowDictionary(new Utf8(), new Int32()),
    length: codes.length,
    data: values,
    nullBitmap: nulls,
    dictionary: utf8Vector(dictionary),
  }));
}

/** A typed attribute column → an Arrow vector. */
export function attributeVector(column: AttributeColumn): Vector {
  switch (column.kind) {
    case 'string':
      return dictionaryVector(column.codes, column.dictionary);
    case 'time':
      return timeVector(column.values);
    case 'number': {
      let nulls: Uint8Array | undefined;
      column.values.forEach((v, i) => {
        if (Number.isNaN(v)) clearBit((nulls ??= allValid(column.values.length)), i);
      });
      return makeVector(makeData({
        type: new Float64(), length: column.values.length, data: column.values, nullBitmap: nulls,
      }));
    }
    case 'boolean':
      return booleanVector(column.values);
  }
}

/** -1 / 0 / 1 bytes → an Arrow boolean vector (value bits and validity bits). */
function booleanVector(values: Int8Array): Vector {
  const bits = new Uint8Array(Math.ceil(values.length / 8));
  let nulls: Uint8Array | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 1) bits[i >> 3] |= 1 << (i & 7);
    else if (v < 0) clearBit((nulls ??= allValid(values.length)), i);
  }
  return makeVector(makeData({
    type: new Bool(), length: values.length, data: bits, nullBitmap: nulls,
  }));
}

/** An Arrow vector written by {@link attributeVector} (or a compatible one) → a typed column. */
export function attributeFromVector(vector: Vector): AttributeColumn {
  const type = vector.type;
  const n = vector.length;
  if (ArrowDictionary.isDictionary(type)) {
    const last = vector.data[vector.data.length - 1];
    const dictionary = (last?.dictionary?.toArray() ?? []) as string[];
    return { kind: 'string', codes: dictionaryCodes(vector), dictionary };
  }
  if (DataType.isTimestamp(type)) {
    const values = new Float64Array(n);
    let at = 0;
    for (const data of vector.data) {
      timesFromData(data, values, at);
      at += data.length;
    }
    return { kind: 'time', values };
  }
  if (DataType.isBool(type)) {
    const values = new Int8Array(n);
    let at = 0;
    for (const data of vector.data) {
      // Bool values are bits, and slicing keeps the whole byte buffer: bit offset+i is row i.
      const bits = data.values as Uint8Array;
      for (let i = 0; i < data.length; i++) {
        const j = data.offset + i;
        values[at + i] = !isValid(data, i) ? -1 : (bits[j >> 3] >> (j & 7)) & 1;
      }
      at += data.length;
    }
    return { kind: 'boolean', values };
  }
  if (DataType.isFloat(type) || DataType.isInt(type) || DataType.isDecimal(type)) {
    const values = new Float64Array(n);
    let at = 0;
    for (const data of vector.data) {
      if (isPlainNumbers(data)) copyNumbers(data, values, at, NaN);
      else for (let i = 0; i < data.length; i++) values[at + i] = numberAt(vector, at + i);
      at += data.length;
    }
    return { kind: 'number', values };
  }
  // Anything else is kept as text so that no value is lost.
  const dict = new Map<string, number>();
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = vector.get(i);
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    const text = String(v);
    let c = dict.get(text);
    if (c === undefined) dict.set(text, (c = dict.size));
    codes[i] = c;
  }
  return { kind: 'string', codes, dictionary: [...dict.keys()] };
}

/**
 * Copies a chunk's values (int or float of at most 32 bits, or f64) into `into` from `at`,
 * with `missing` for nulls. A 20 M-row column copies in one `set` instead of 20 M `get`s.
 * Sliced chunks have their value buffers cut already, so row i is `values[i]`.
 */
function copyNumbers(
  data: Data, into: Int32Array | Float64Array, at: number, missing: number,
): void {
  const raw = data.values as Int32Array | Float64Array;
  into.set(raw.subarray(0, data.length), at);
  if (data.nullCount === 0) return;
  markNulls(data.nullBitmap as Uint8Array, data.offset, data.length, into, at, missing);
}

/**
 * Writes `missing` where the validity bitmap has a 0 bit. Whole bytes of valid rows (0xff) are
 * skipped eight rows at a time: in sparse-null columns most bytes are.
 */
function markNulls(
  bits: Uint8Array, offset: number, length: number, into: Int32Array | Float64Array,
  at: number, missing: number,
): void {
  let i = 0;
  while (i < length) {
    const j = offset + i;
    if ((j & 7) === 0 && i + 8 <= length && bits[j >> 3] === 0xff) {
      i += 8;
      continue;
    }
    if ((bits[j >> 3] & (1 << (j & 7))) === 0) into[at + i] = missing;
    i++;
  }
}

// Typed arrays `set` converts exactly: 64-bit ints (BigInt64Array), half floats (stored as
// Uint16Array) and decimals are read value by value instead.
function isPlainNumbers(data: Data): boolean {
  const type = data.type as { bitWidth?: number; precision?: number };
  if (DataType.isInt(data.type)) return (type.bitWidth ?? 64) <= 32;
  if (DataType.isFloat(data.type)) return type.precision !== 0; // 0 is HALF
  return false;
}

function numberAt(vector: Vector, i: number): number {
  const v = vector.get(i) as number | bigint | null;
  return v === null ? NaN : Number(v);
}

/**
 * The codes of a dictionary-encoded vector (−1 for null), without decoding its strings: the
 * compiled log's case column needs only codes, and decoding millions of ids costs seconds.
 */
export function dictionaryCodes(vector: Vector): Int32Array {
  const codes = new Int32Array(vector.length);
  let at = 0;
  for (const data of vector.data) {
    copyNumbers(data, codes, at, -1);
    at += data.length;
  }
  return codes;
}

/** Whether row `i` of a chunk is valid (not null). */
export function isValid(data: Data, i: number): boolean {
  const bitmap = data.nullBitmap;
  if (bitmap === undefined || bitmap === null || bitmap.length === 0) return true;
  const j = data.offset + i;
  return (bitmap[j >> 3] & (1 << (j & 7))) !== 0;
}

function allValid(length: number): Uint8Array {
  return new Uint8Array(Math.ceil(length / 8)).fill(0xff);
}

function clearBit(bits: Uint8Array, i: number): void {
  bits[i >> 3] &= ~(1 << (i & 7));
}
