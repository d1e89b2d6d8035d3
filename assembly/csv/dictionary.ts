// The byte dictionary of one text column of one range, in the scanner's memory: codes in order
// of first appearance, keyed by the field's bytes through an open-addressing table of mixed
// hashes. It is the WASM twin of src/ingest/fast-csv/byte-dictionary.ts, whose entries
// (hash, start in the pool, length, pool bytes) the JS side copies out at the end, so the two
// must hash alike: FNV-1a steps over the bytes four at a time (a little-endian word, each
// product's high half folded into its low half), then over the last one to three bytes one
// at a time, then murmur3's 32-bit finalizer. A word step alone leaves a difference in a
// word's high byte in the state's high byte only, for good: the fold brings it down before
// the next word's product, the finalizer down to the low bits that pick a slot.
//
// Layout of the header at `d` (i32 words): slots, slot count (a power of two), hashes,
// entries, entry room, size, pool, pool used, pool room. A slot is two words, the entry's hash
// and its code + 1 (0 for a free slot), so a probe reads one place; an entry is two words, its
// start in the pool and its length; hashes are kept per code besides, for the JS side and for
// putting the slots back when they grow.

import { alloc, heapRoom } from "./heap";

// Sizes are worked out in u64 and held to 2^28 entries and slots, and 2^31 bytes of pool:
// doubling an i32 past 2^30 wraps and never ends. Past that the heap traps (heap.ts), and the
// JS side gives the file to the row importer.
const MAX_COUNT: u64 = 1 << 28;
const MAX_POOL: u64 = 0x7fffffff;

export const DICT_BYTES: usize = 48;
// Small at first (about 1.4 KB a column): a file of tens of thousands of columns otherwise
// held megabytes of empty tables per range; a busy column outgrows them in a few doublings.
const FIRST_SLOTS: i32 = 64;
const FIRST_ENTRIES: i32 = 32;
const FIRST_POOL: i32 = 512;

export const HASH_START: u32 = 0x811c9dc5;
export const HASH_PRIME: u32 = 0x01000193;
/** The hash's first state: HASH_START with the import's seed (see {@link seedHash}). */
let hashStart: u32 = HASH_START;

/**
 * Seeds the hash (the JS side's `fieldHash` with the same seed hashes alike). Every range of
 * one import takes one seed, as their entries are merged by hash; a seed drawn per import
 * keeps a file from being written so that its values share hashes (each word step can be
 * undone, so without one any value's hash can be given to others).
 */
export function seedHash(seed: u32): void {
  // Mixed first: a seed that differs from another in a few low bits (1 from 0) would leave
  // values written to share one seed's hashes sharing few hashes under the other.
  hashStart = HASH_START ^ finalize(seed);
}

/** murmur3's 32-bit finalizer: every bit of `h` reaches every bit of the result. */
// @ts-ignore: decorator
@inline function finalize(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >>> 16);
}

/** Sets up an empty dictionary at `d`. */
export function initDictionary(d: usize): void {
  store<u32>(d, <u32>alloc(<usize>FIRST_SLOTS << 3), 0);
  store<i32>(d, FIRST_SLOTS, 4);
  store<u32>(d, <u32>alloc(<usize>FIRST_ENTRIES << 2), 8);
  store<u32>(d, <u32>alloc(<usize>FIRST_ENTRIES << 3), 12);
  store<i32>(d, FIRST_ENTRIES, 16);
  store<i32>(d, 0, 20);
  store<u32>(d, <u32>alloc(<usize>FIRST_POOL), 24);
  store<i32>(d, 0, 28);
  store<i32>(d, FIRST_POOL, 32);
}

/** The mixed hash of `n` bytes at `at`. */
// @ts-ignore: decorator
@inline export function hashBytes(at: usize, n: i32): u32 {
  let h = hashStart;
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    h = (h ^ load<u32>(at + <usize>k)) * HASH_PRIME;
    // A product's high bits reach no lower ones: folded down, the next word's product
    // spreads them (else ids differing only in each word's high byte share 256 hashes).
    h ^= h >>> 16;
  }
  for (; k < n; k++) h = (h ^ <u32>load<u8>(at + <usize>k)) * HASH_PRIME;
  return finalize(h);
}

/**
 * The code of the `n` bytes at `at` (mixed hash `h`) when present; else -1 - the free slot
 * the probe ended on (where {@link find} adds them). The table is never full (at most half
 * its slots are taken): a free slot ends the probe.
 */
// @ts-ignore: decorator
@inline function probe(d: usize, h: u32, at: usize, n: i32): i32 {
  const slots = <usize>load<u32>(d, 0);
  const mask = <u32>load<i32>(d, 4) - 1;
  const entries = <usize>load<u32>(d, 12);
  const pool = <usize>load<u32>(d, 24);
  let slot = h & mask;
  let code = load<i32>(slots + (<usize>slot << 3), 4) - 1;
  while (code >= 0) {
    const place = slots + (<usize>slot << 3);
    if (load<u32>(place) == h) {
      const entry = entries + (<usize>code << 3);
      if (load<i32>(entry, 4) == n && sameBytes(at, pool + <usize>load<i32>(entry), n)) {
        return code;
      }
    }
    slot = (slot + 1) & mask;
    code = load<i32>(slots + (<usize>slot << 3), 4) - 1;
  }
  return -1 - <i32>slot;
}

/** The code of the `n` bytes at `at` (mixed hash `h`), -1 when absent (nothing is added). */
export function lookup(d: usize, h: u32, at: usize, n: i32): i32 {
  const code = probe(d, h, at, n);
  return code < 0 ? -1 : code;
}

/** The code of the `n` bytes at `at` (mixed hash `h`), added when absent. */
export function find(d: usize, h: u32, at: usize, n: i32): i32 {
  const code = probe(d, h, at, n);
  return code >= 0 ? code : add(d, <u32>(-1 - code), h, at, n);
}

function add(d: usize, slot: u32, h: u32, at: usize, n: i32): i32 {
  const code = load<i32>(d, 20);
  const room = load<i32>(d, 16);
  if (code == room) {
    if (<u64>room * 2 > MAX_COUNT) unreachable();
    store<u32>(d, <u32>copied(<usize>load<u32>(d, 8), <usize>room << 2), 8);
    store<u32>(d, <u32>copied(<usize>load<u32>(d, 12), <usize>room << 3), 12);
    store<i32>(d, room * 2, 16);
  }
  const used = load<i32>(d, 28);
  const poolRoom = load<i32>(d, 32);
  if (used + n > poolRoom) {
    let grown = <u64>poolRoom * 2;
    while (<u64>used + <u64>n > grown) grown *= 2;
    if (grown > MAX_POOL) unreachable();
    const pool = alloc(<usize>grown);
    memory.copy(pool, <usize>load<u32>(d, 24), <usize>used);
    store<u32>(d, <u32>pool, 24);
    store<i32>(d, grown, 32);
  }
  copyBytes(<usize>load<u32>(d, 24) + <usize>used, at, n);
  store<u32>(<usize>load<u32>(d, 8) + (<usize>code << 2), h);
  const entry = <usize>load<u32>(d, 12) + (<usize>code << 3);
  store<i32>(entry, used);
  store<i32>(entry, n, 4);
  store<i32>(d, used + n, 28);
  const place = <usize>load<u32>(d, 0) + (<usize>slot << 3);
  store<u32>(place, h);
  store<i32>(place, code + 1, 4);
  store<i32>(d, code + 1, 20);
  if ((code + 1) * 2 > load<i32>(d, 4)) reslot(d);
  return code;
}

/** Copies `n` bytes (most fields are short: a word at a time, not a bulk-copy call). */
// @ts-ignore: decorator
@inline function copyBytes(to: usize, from: usize, n: i32): void {
  if (n > 64) {
    memory.copy(to, from, <usize>n);
    return;
  }
  let k = 0;
  for (; k + 8 <= n; k += 8) store<u64>(to + <usize>k, load<u64>(from + <usize>k));
  for (; k < n; k++) store<u8>(to + <usize>k, load<u8>(from + <usize>k));
}

/**
 * Makes room for `entries` entries and `poolBytes` bytes of text at once, for a column whose
 * values are mostly distinct (an id, an amount): growing one doubling at a time would copy
 * the arrays and put every slot back again and again.
 */
export function reserve(d: usize, entries: i32, poolBytes: i32): void {
  // Best effort: a guess that would take more than half of the heap left is not acted on
  // (the dictionary then grows as it fills, and traps only if it really outgrows the heap).
  if (entries < 0 || poolBytes < 0 || <u64>entries * 2 > MAX_COUNT) return;
  let count = load<i32>(d, 4);
  while (<u64>count < <u64>entries * 2) count *= 2;
  const bytes = (<u64>entries << 2) + (<u64>entries << 3) + <u64>poolBytes + (<u64>count << 3);
  if (bytes > <u64>heapRoom() / 2) return;
  const room = load<i32>(d, 16);
  if (entries > room) {
    const size = <usize>load<i32>(d, 20);
    const hashes = alloc(<usize>entries << 2);
    memory.copy(hashes, <usize>load<u32>(d, 8), size << 2);
    const list = alloc(<usize>entries << 3);
    memory.copy(list, <usize>load<u32>(d, 12), size << 3);
    store<u32>(d, <u32>hashes, 8);
    store<u32>(d, <u32>list, 12);
    store<i32>(d, entries, 16);
  }
  const poolRoom = load<i32>(d, 32);
  if (poolBytes > poolRoom) {
    const pool = alloc(<usize>poolBytes);
    memory.copy(pool, <usize>load<u32>(d, 24), <usize>load<i32>(d, 28));
    store<u32>(d, <u32>pool, 24);
    store<i32>(d, poolBytes, 32);
  }
  if (count > load<i32>(d, 4)) reslotTo(d, count);
}

/** A new region twice `bytes`, holding a copy of the `bytes` at `from`. */
function copied(from: usize, bytes: usize): usize {
  const to = alloc(bytes << 1);
  memory.copy(to, from, bytes);
  return to;
}

/** Doubles the table and puts every entry back. */
function reslot(d: usize): void {
  if (<u64>load<i32>(d, 4) * 2 > MAX_COUNT) unreachable();
  reslotTo(d, load<i32>(d, 4) * 2);
}

/** A table of `count` slots (a power of two) holding every entry. */
function reslotTo(d: usize, count: i32): void {
  const slots = alloc(<usize>count << 3);
  const mask = <u32>count - 1;
  const hashes = <usize>load<u32>(d, 8);
  const size = load<i32>(d, 20);
  for (let code = 0; code < size; code++) {
    const h = load<u32>(hashes + (<usize>code << 2));
    let slot = h & mask;
    while (load<i32>(slots + (<usize>slot << 3), 4) != 0) slot = (slot + 1) & mask;
    store<u32>(slots + (<usize>slot << 3), h);
    store<i32>(slots + (<usize>slot << 3), code + 1, 4);
  }
  store<u32>(d, <u32>slots, 0);
  store<i32>(d, count, 4);
}

/** Whether `n` bytes at `a` equal those at `b`, eight at a time. */
// @ts-ignore: decorator
@inline export function sameBytes(a: usize, b: usize, n: i32): bool {
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    if (load<u64>(a + <usize>k) != load<u64>(b + <usize>k)) return false;
  }
  for (; k < n; k++) {
    if (load<u8>(a + <usize>k) != load<u8>(b + <usize>k)) return false;
  }
  return true;
}
