/**
 * Turns one column's field bytes into strings, reusing the string of bytes seen before.
 *
 * Profiles of CSV imports showed a new string per field, then a hash of that new string in a
 * dictionary, as the top costs. Event logs repeat: a case id on every row of its case, an
 * activity or a region from a short list. Here a repeated value is found from its bytes (the
 * previous row's value first, then a hash table of the column's values) and the same string
 * object comes back, so no string is made and the dictionary's own lookup finds the string's
 * hash already computed. Columns whose values rarely repeat (timestamps, amounts) stop using
 * the table after a trial, and their bytes are decoded directly.
 * @internal
 */

/** Lookups (not found as the previous value) before deciding whether the table pays. */
const TRIAL = 2048;
/** Past this many distinct values the table is dropped: the column is an identifier. */
const MAX_ENTRIES = 1 << 16;
/** Values longer than this are decoded directly: long texts seldom repeat. */
const MAX_BYTES = 256;

/** The strings of one column. */
export class FieldStrings {
  // The previous value's bytes and string.
  #lastBytes = new Uint8Array(64);
  #lastLength = -1;
  #lastString = '';
  // Open-addressing table: slot → entry + 1; entries hold hash, bytes (in the pool), string.
  #slots: Int32Array | null = new Int32Array(256);
  #hashes = new Int32Array(64);
  #starts = new Int32Array(64);
  #lengths = new Int32Array(64);
  #strings: string[] = [];
  #pool = new Uint8Array(4096);
  #poolUsed = 0;
  #lookups = 0;
  #misses = 0;
  #useLast = true;
  #calls = 0;
  #lastHits = 0;

  /** True while the column keeps its hash table (its values repeat). */
  get cachesValues(): boolean {
    return this.#slots !== null;
  }

  /**
   * The string of `bytes[start, end)` (valid UTF-8); `ascii` says that no byte is over 127,
   * which allows the cheaper Latin-1 decoding.
   */
  get(bytes: Buffer, start: number, end: number, ascii: boolean): string {
    const length = end - start;
    if (!this.#useLast) {
      return this.#slots !== null && length <= MAX_BYTES
        ? this.#lookup(bytes, start, end, ascii) : decode(bytes, start, end, ascii);
    }
    this.#calls++;
    if (length === this.#lastLength && sameBytes(bytes, start, this.#lastBytes, 0, length)) {
      this.#lastHits++;
      return this.#lastString;
    }
    // A column whose rows seldom repeat the previous value stops comparing with it.
    if (this.#calls >= TRIAL && this.#lastHits * 8 < this.#calls) this.#useLast = false;
    let value: string;
    if (this.#slots !== null && length <= MAX_BYTES) value = this.#lookup(bytes, start, end, ascii);
    else value = decode(bytes, start, end, ascii);
    if (length <= MAX_BYTES) {
      if (length > this.#lastBytes.length) this.#lastBytes = new Uint8Array(MAX_BYTES);
      copyBytes(bytes, start, this.#lastBytes, 0, length);
      this.#lastLength = length;
    } else {
      this.#lastLength = -1;
    }
    this.#lastString = value;
    return value;
  }

  #lookup(bytes: Buffer, start: number, end: number, ascii: boolean): string {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    const slots = this.#slots as Int32Array;
    const mask = slots.length - 1;
    const length = end - start;
    let slot = h & mask;
    this.#lookups++;
    for (;;) {
      const entry = slots[slot] - 1;
      if (entry < 0) break;
      if (this.#hashes[entry] === h && this.#lengths[entry] === length &&
        sameBytes(bytes, start, this.#pool, this.#starts[entry], length)) {
        return this.#strings[entry];
      }
      slot = (slot + 1) & mask;
    }
    const value = decode(bytes, start, end, ascii);
    this.#misses++;
    if (this.#lookups >= TRIAL && this.#misses * 2 > this.#lookups) {
      this.#dropTable();
      return value;
    }
    const entry = this.#strings.length;
    if (entry >= MAX_ENTRIES) {
      this.#dropTable();
      return value;
    }
    this.#add(entry, h, bytes, start, length, value);
    slots[slot] = entry + 1;
    if ((entry + 1) * 2 > slots.length) this.#rehash();
    return value;
  }

  #add(entry: number, h: number, bytes: Buffer, start: number, length: number, value: string) {
    if (entry === this.#hashes.length) {
      this.#hashes = grownInt32(this.#hashes);
      this.#starts = grownInt32(this.#starts);
      this.#lengths = grownInt32(this.#lengths);
    }
    if (this.#poolUsed + length > this.#pool.length) {
      const pool = new Uint8Array(Math.max(this.#pool.length * 2, this.#poolUsed + length));
      pool.set(this.#pool.subarray(0, this.#poolUsed));
      this.#pool = pool;
    }
    copyBytes(bytes, start, this.#pool, this.#poolUsed, length);
    this.#hashes[entry] = h;
    this.#starts[entry] = this.#poolUsed;
    this.#lengths[entry] = length;
    this.#strings.push(value);
    this.#poolUsed += length;
  }

  #rehash(): void {
    const slots = new Int32Array((this.#slots as Int32Array).length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.#strings.length; entry++) {
      let slot = this.#hashes[entry] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.#slots = slots;
  }

  #dropTable(): void {
    this.#slots = null;
    this.#strings = [];
    this.#pool = new Uint8Array(0);
  }
}

/** Node's own slicers, without `toString`'s argument handling (the bytes are checked). */
interface Slicing {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** The text of `bytes[start, end)`, which are valid UTF-8 (ASCII when `ascii`). */
export function decode(bytes: Buffer, start: number, end: number, ascii: boolean): string {
  if (start === end) return '';
  const slicing = bytes as unknown as Slicing;
  return ascii ? slicing.latin1Slice(start, end) : slicing.utf8Slice(start, end);
}

function copyBytes(from: Uint8Array, at: number, to: Uint8Array, into: number, n: number): void {
  // A loop: a subarray per short field would allocate an object each time.
  for (let k = 0; k < n; k++) to[into + k] = from[at + k];
}

function sameBytes(a: Uint8Array, from: number, b: Uint8Array, at: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[from + k] !== b[at + k]) return false;
  return true;
}

function grownInt32(a: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}
