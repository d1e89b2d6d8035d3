/**
 * The ring of inflated bytes between the inflating worker (inflate-worker.ts) and the
 * importing thread (inflate-ring.ts), in the WASM scanner's shared memory. Each slot is a
 * prefix, where the importing thread puts the unfinished token of the slot before, then the
 * data the worker writes, then a few bytes the scanner may read past the end. Control words,
 * per slot: its state, the length of its data; then the compressed bytes read so far.
 * @internal
 */
import type { IngestLimits } from '../limits.js';

export const SLOTS = 3;
export const SLOT_DATA = 4 << 20;
/** Room before a slot's data for the bytes carried over (at most a token: 1 MiB). */
export const SLOT_PREFIX = (1 << 20) + 64;
export const SLOT_BYTES = SLOT_PREFIX + SLOT_DATA + 64;

// Slot states.
export const EMPTY = 0;
export const FULL = 1;
/** No more data: the file ended before this slot. */
export const END = 2;
/** Reading or inflating failed: the JS path reads the file again and reports it. */
export const FAILED = 3;

/** Bytes of the control words: a state and a length per slot, then a float64 count. */
export const CONTROL_BYTES = SLOTS * 8 + 16;

/** What the worker is given. */
export interface RingSetup {
  buffer: SharedArrayBuffer;
  control: number;
  slots: number;
  path: string;
  name: string;
  limits: IngestLimits;
}

/** The start of slot `k`'s data, for a ring whose slots begin at `slots`. */
export function dataAt(slots: number, k: number): number {
  return slots + k * SLOT_BYTES + SLOT_PREFIX;
}
