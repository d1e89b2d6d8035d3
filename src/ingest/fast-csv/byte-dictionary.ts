/**
 * Dictionary codes straight from field bytes: an open-addressing table keyed by the bytes, so
 * a value seen before costs a hash and a byte comparison, never a string. A new value is
 * decoded once, and codes follow first appearance, as `Dictionary` gives them for strings.
 * @internal
 */

const EMPTY_SLOTS = 1024;

/** The local dictionary of one column of one byte range. */
export class ByteDictionary {
  /** The texts, in order of first appearance. */
  readonly values: string[] = [];
  // slot → code + 1 (0 is free); per code: its hash, and where its bytes sit in the pool.
  #slots = new Int32Array(EMPTY_SLOTS);
  #hashes: Int32Array = new Int32Array(256);
  #starts: Int32Array = new Int32Array(256);
  #lengths: Int32Array = new Int32Array(256);
  #pool = new Uint8Array(16 * 1024);
  #poolUsed = 0;

  /** The code of the text `bytes[start, end)` (valid UTF-8; `ascii` when no byte > 127). */
  code(bytes: Uint8Array, start: number, end: number, ascii: boolean): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    h ^= h >>> 15;
    const slots = this.#slots;
    const mask = slots.length - 1;
    const length = end - start;
    let slot = h & mask;
    for (;;) {
      const code = slots[slot] - 1;
      if (code < 0) break;
      if (this.#hashes[code] === h && this.#lengths[code] === length &&
        sameBytes(bytes, start, this.#pool, this.#starts[code], length)) {
        return code;
      }
      slot = (slot + 1) & mask;
    }
    const code = this.values.length;
    this.#add(code, h, bytes, start, length);
    this.values.push(decodeBytes(bytes, start, end, ascii));
    slots[slot] = code + 1;
    if ((code + 1) * 2 > slots.length) this.#rehash();
    return code;
  }

  /** Adds a text that was unescaped into a string first (a quoted field with `""`). */
  codeOfText(text: string): number {
    const bytes = Buffer.from(text, 'utf8');
    return this.code(bytes, 0, bytes.length, false);
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
    for (let k = 0; k < length; k++) pool[at + k] = bytes[start + k];
    this.#hashes[code] = h;
    this.#starts[code] = at;
    this.#lengths[code] = length;
    this.#poolUsed += length;
  }

  #rehash(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    for (let code = 0; code < this.values.length; code++) {
      let slot = this.#hashes[code] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = code + 1;
    }
    this.#slots = slots;
  }
}

/** Node's own slicers, without `toString`'s argument handling (the bytes are checked). */
interface Slicing {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** The text of `bytes[start, end)`, valid UTF-8 (ASCII when `ascii`); `bytes` is a Buffer. */
export function decodeBytes(bytes: Uint8Array, start: number, end: number, ascii: boolean): string {
  if (start === end) return '';
  const slicing = bytes as unknown as Slicing;
  return ascii ? slicing.latin1Slice(start, end) : slicing.utf8Slice(start, end);
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
