/**
 * A range's dictionary as bytes, and the JS twin of the scanner's WASM dictionaries
 * (assembly/csv/dictionary.ts). The scanner codes fields by their bytes (a value seen before
 * costs a hash and a byte comparison, never a string; codes follow first appearance, as
 * `Dictionary` gives them for strings) and hands each range's entries over as
 * {@link DictionaryBytes}: one pool of bytes plus per-entry hash, start and length, which a
 * worker transfers. Here is what reads them: {@link decodeEntries} (each text decoded once),
 * {@link entryNumbers} (amounts typed from their bytes), {@link entriesAt} and
 * {@link joinedEntries} (a subset, and two dictionaries end to end, for a merge that keeps a
 * range's new entries aside), and {@link ByteDictionary}, the same table in JS: the
 * reference the tests hold the scanner's codes by first appearance and its merges to.
 * @internal
 */
import { isAscii } from 'node:buffer';
import { plainDecimalOfBytes } from '../../log/number-text.js';

const EMPTY_SLOTS = 1024;
const FIRST_ENTRIES = 256;
/** Bytes decoded at once by decodeEntries: far below V8's longest string, small enough to keep. */
const DECODE_WINDOW = 1 << 20;
/** FNV-1a's offset basis and prime: the WASM scanner (assembly/csv/scan.ts) hashes alike. */
const HASH_START = 0x811c9dc5 | 0;
const HASH_PRIME = 0x01000193;

/** A dictionary's entries as bytes, in code order: what a range hands to the merge. */
export interface DictionaryBytes {
  /** Entries. */
  size: number;
  /** Per code: the mixed hash of its bytes (see {@link mixHash}). */
  hashes: Int32Array;
  /** Per code: where its bytes start in `pool`, and how many there are. */
  starts: Int32Array;
  lengths: Int32Array;
  /** The entries' bytes, valid UTF-8 each, back to back in code order. */
  pool: Uint8Array;
}

/**
 * The table's hash of a hashing state: murmur3's 32-bit finalizer, so that every bit of the
 * state reaches the low bits that pick a slot.
 */
function mixHash(raw: number): number {
  let h = raw ^ (raw >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * The dictionaries' hash of `bytes[start, end)`: FNV-1a steps over little-endian words of
 * four bytes, each product's high half folded into its low half (so that a difference in a
 * word's high byte reaches the next product's low bits), then over the last bytes one at a
 * time, mixed; `seed`, mixed, changes the first state (0 leaves it). The WASM scanner,
 * seeded alike (`seedHash`), hashes the fields it reads alike (assembly/csv/dictionary.ts
 * `hashBytes`); the two must stay alike.
 */
export function fieldHash(bytes: Uint8Array, start: number, end: number, seed = 0): number {
  let h = HASH_START ^ mixHash(seed);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const word = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    h = Math.imul(h ^ word, HASH_PRIME);
    h ^= h >>> 16;
  }
  for (; i < end; i++) h = Math.imul(h ^ bytes[i], HASH_PRIME);
  return mixHash(h);
}

/** The local dictionary of one column of one byte range, or the merged one of a file. */
export class ByteDictionary {
  // slot → code + 1 (0 is free); per code: its hash, and where its bytes sit in the pool.
  #slots: Int32Array;
  #hashes: Int32Array;
  #starts: Int32Array;
  #lengths: Int32Array;
  #pool: Uint8Array;
  #poolUsed = 0;
  #size = 0;

  /** An empty dictionary, or one continuing `from` (its arrays are taken over, not copied). */
  constructor(from?: DictionaryBytes) {
    if (from === undefined) {
      this.#slots = new Int32Array(EMPTY_SLOTS);
      this.#hashes = new Int32Array(FIRST_ENTRIES);
      this.#starts = new Int32Array(FIRST_ENTRIES);
      this.#lengths = new Int32Array(FIRST_ENTRIES);
      this.#pool = new Uint8Array(16 * 1024);
      return;
    }
    this.#hashes = from.hashes;
    this.#starts = from.starts;
    this.#lengths = from.lengths;
    this.#pool = from.pool;
    this.#size = from.size;
    this.#poolUsed = poolEnd(from);
    let slots = EMPTY_SLOTS;
    while (this.#size * 2 > slots) slots *= 2;
    this.#slots = new Int32Array(slots);
    this.#reslot();
  }

  /** Entries so far. */
  get size(): number {
    return this.#size;
  }

  /** The code of the bytes `bytes[start, end)` (valid UTF-8). */
  code(bytes: Uint8Array, start: number, end: number): number {
    return this.find(fieldHash(bytes, start, end), bytes, start, end - start);
  }

  /** Adds a text that was unescaped into a string first (a quoted field with `""`). */
  codeOfText(text: string): number {
    const bytes = Buffer.from(text, 'utf8');
    return this.code(bytes, 0, bytes.length);
  }

  /**
   * The code of `length` bytes at `bytes[start]` whose mixed hash is `h` (the caller hashed
   * them while scanning), added as a new entry when absent.
   */
  find(h: number, bytes: Uint8Array, start: number, length: number): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    const hashes = this.#hashes;
    const lengths = this.#lengths;
    let slot = h & mask;
    for (;;) {
      const code = slots[slot] - 1;
      if (code < 0) break;
      if (hashes[code] === h && lengths[code] === length &&
        sameBytes(bytes, start, this.#pool, this.#starts[code], length)) {
        return code;
      }
      slot = (slot + 1) & mask;
    }
    const code = this.#size;
    this.#add(code, h, bytes, start, length);
    slots[slot] = code + 1;
    this.#size = code + 1;
    if ((code + 1) * 2 > slots.length) this.#grow();
    return code;
  }

  /**
   * Adds the entries of another range's dictionary, in its code order, and returns their
   * codes here (a remap from its codes to this dictionary's): entries new here get the next
   * codes, so codes stay in order of first appearance across the ranges in file order.
   */
  merge(other: DictionaryBytes): Int32Array {
    const remap = new Int32Array(other.size);
    const { hashes, starts, lengths, pool } = other;
    for (let code = 0; code < other.size; code++) {
      remap[code] = this.find(hashes[code], pool, starts[code], lengths[code]);
    }
    return remap;
  }

  /** The entries as bytes (the arrays themselves, to transfer or merge; not copies). */
  bytes(): DictionaryBytes {
    return {
      size: this.#size, hashes: this.#hashes, starts: this.#starts, lengths: this.#lengths,
      pool: this.#pool,
    };
  }

  /** Every entry's text, in code order, each decoded once; `known` holds the first ones. */
  values(known: string[] = []): string[] {
    return decodeEntries(this.bytes(), known.length, known);
  }

  #add(code: number, h: number, bytes: Uint8Array, start: number, length: number): void {
    if (code === this.#hashes.length) {
      this.#hashes = grown(this.#hashes);
      this.#starts = grown(this.#starts);
      this.#lengths = grown(this.#lengths);
    }
    if (this.#poolUsed + length > this.#pool.length) {
      const pool = new Uint8Array(Math.max(this.#pool.length * 2, this.#poolUsed + length));
      pool.set(this.#pool.subarray(0, this.#poolUsed));
      this.#pool = pool;
    }
    const pool = this.#pool;
    const at = this.#poolUsed;
    // A short loop beats `set(subarray)` for the few bytes most fields have.
    if (length < 32) {
      for (let k = 0; k < length; k++) pool[at + k] = bytes[start + k];
    } else {
      pool.set(bytes.subarray(start, start + length), at);
    }
    this.#hashes[code] = h;
    this.#starts[code] = at;
    this.#lengths[code] = length;
    this.#poolUsed += length;
  }

  #grow(): void {
    this.#slots = new Int32Array(this.#slots.length * 2);
    this.#reslot();
  }

  #reslot(): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let code = 0; code < this.#size; code++) {
      let slot = this.#hashes[code] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = code + 1;
    }
  }
}

/** Node's own slicers, without `toString`'s argument handling (the bytes are checked). */
interface Slicing {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/**
 * The texts of `entries` from code `first` on, in code order, appended to `into`. An all-ASCII
 * pool is read as Latin-1 a window at a time, each entry a substring of its window: one call
 * into Node per window instead of one per entry (most entries are a few bytes).
 */
export function decodeEntries(
  entries: DictionaryBytes, first = 0, into: string[] = [],
): string[] {
  const { size, starts, lengths } = entries;
  const used = poolEnd(entries);
  const pool = entries.pool;
  const buffer = Buffer.from(pool.buffer, pool.byteOffset, used) as unknown as Slicing;
  const ascii = isAscii(pool.subarray(first < size ? starts[first] : used, used));
  if (!ascii) {
    for (let code = first; code < size; code++) {
      const from = starts[code];
      const to = from + lengths[code];
      into.push(from === to ? '' : buffer.utf8Slice(from, to));
    }
    return into;
  }
  let window = '';
  let windowStart = 0;
  let windowEnd = 0;
  for (let code = first; code < size; code++) {
    const from = starts[code];
    const to = from + lengths[code];
    if (to > windowEnd) {
      windowStart = from;
      windowEnd = Math.min(used, Math.max(to, from + DECODE_WINDOW));
      window = buffer.latin1Slice(windowStart, windowEnd);
    }
    into.push(window.substring(from - windowStart, to - windowStart));
  }
  return into;
}

const numbersOfEntries = new WeakMap<DictionaryBytes, Float64Array | null>();

/**
 * Each entry's number when every entry is a plain decimal (see {@link plainDecimalOfBytes}),
 * so that a column of amounts is typed without making a string per distinct amount; else
 * null (stopping at the first other entry, usually the first of a text column).
 */
export function entryNumbers(entries: DictionaryBytes): Float64Array | null {
  // The calling thread asks for the first range's while it waits for the workers, and the
  // finishing step again: the answer is kept (entries are only ever appended after `size`).
  const known = numbersOfEntries.get(entries);
  if (known !== undefined) return known;
  const { size, starts, lengths, pool } = entries;
  let numbers: Float64Array | null = size === 0 ? null : new Float64Array(size);
  for (let code = 0; code < size && numbers !== null; code++) {
    const value = plainDecimalOfBytes(pool, starts[code], starts[code] + lengths[code]);
    if (Number.isNaN(value)) numbers = null;
    else numbers[code] = value;
  }
  numbersOfEntries.set(entries, numbers);
  return numbers;
}

/** The text of `bytes[start, end)`, valid UTF-8 (ASCII when `ascii`); `bytes` is a Buffer. */
export function decodeBytes(bytes: Uint8Array, start: number, end: number, ascii: boolean): string {
  if (start === end) return '';
  const slicing = bytes as unknown as Slicing;
  return ascii ? slicing.latin1Slice(start, end) : slicing.utf8Slice(start, end);
}

/** Bytes of the pool in use: entries are stored back to back, so the last one ends them. */
export function poolEnd(entries: DictionaryBytes): number {
  const last = entries.size - 1;
  return last < 0 ? 0 : entries.starts[last] + entries.lengths[last];
}

function sameBytes(a: Uint8Array, from: number, b: Uint8Array, at: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[from + k] !== b[at + k]) return false;
  return true;
}

function grown(a: Int32Array): Int32Array {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}

/**
 * The entries of `entries` at `indices` (increasing), as a dictionary of their own: their
 * bytes copied back to back, without hashes.
 */
export function entriesAt(entries: DictionaryBytes, indices: Int32Array): DictionaryBytes {
  const size = indices.length;
  const starts = new Int32Array(size);
  const lengths = new Int32Array(size);
  let bytes = 0;
  for (let k = 0; k < size; k++) {
    lengths[k] = entries.lengths[indices[k]];
    starts[k] = bytes;
    bytes += lengths[k];
  }
  const pool = new Uint8Array(bytes);
  const source = entries.pool;
  for (let k = 0; k < size; k++) {
    // Entries are a few bytes: a loop, not a subarray per entry.
    const from = entries.starts[indices[k]];
    const to = starts[k];
    for (let b = 0; b < lengths[k]; b++) pool[to + b] = source[from + b];
  }
  return { size, hashes: new Int32Array(0), starts, lengths, pool };
}

/** `first`'s entries, then `second`'s, as one dictionary without hashes. */
export function joinedEntries(first: DictionaryBytes, second: DictionaryBytes): DictionaryBytes {
  const firstBytes = poolEnd(first);
  const pool = new Uint8Array(firstBytes + poolEnd(second));
  pool.set(first.pool.subarray(0, firstBytes));
  pool.set(second.pool.subarray(0, poolEnd(second)), firstBytes);
  const starts = new Int32Array(first.size + second.size);
  starts.set(first.starts.subarray(0, first.size));
  for (let k = 0; k < second.size; k++) starts[first.size + k] = firstBytes + second.starts[k];
  const lengths = new Int32Array(first.size + second.size);
  lengths.set(first.lengths.subarray(0, first.size));
  lengths.set(second.lengths.subarray(0, second.size), first.size);
  return { size: first.size + second.size, hashes: new Int32Array(0), starts, lengths, pool };
}
