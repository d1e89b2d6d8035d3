/**
 * The importing thread's side of the ring of inflated bytes (ring-layout.ts): starts the
 * inflating worker on a file and hands the WASM scanner each slot in turn, the unfinished
 * token of the slot before put in front of it. Used for files large enough that the worker's
 * start (tens of ms) is paid back; smaller ones are inflated on this thread.
 * @internal
 */
import { Worker } from 'node:worker_threads';
import { workerFile } from '../../worker-file.js';
import type { IngestLimits } from '../limits.js';
import {
  CONTROL_BYTES, dataAt, EMPTY, END, FULL, type RingSetup, SLOT_BYTES, SLOTS,
} from './ring-layout.js';
import { type XesBodyScanner, XesScanMiss } from './wasm-xes-scanner.js';

/** Longest blocking wait for a slot before the event loop gets a turn. */
const WAIT_MS = 5;

/** A slot's data, as a view of the scanner's memory. */
export interface RingSlot {
  at: number;
  bytes: Uint8Array;
}

export class InflateRing {
  readonly #scanner: XesBodyScanner;
  readonly #worker: Worker;
  readonly #control: Int32Array;
  readonly #compressed: Float64Array;
  readonly #slots: number;
  #slot = 0;
  #dead = false;
  /** The bytes carried into the next slot (an unfinished token). */
  #carry: Uint8Array = new Uint8Array(0);

  constructor(scanner: XesBodyScanner, path: string, name: string, limits: IngestLimits) {
    this.#scanner = scanner;
    const control = scanner.region(CONTROL_BYTES);
    this.#slots = scanner.region(SLOTS * SLOT_BYTES);
    const buffer = scanner.memory.buffer as SharedArrayBuffer;
    this.#control = new Int32Array(buffer, control, CONTROL_BYTES / 4);
    this.#compressed = new Float64Array(buffer, control + SLOTS * 8, 1);
    // The worker reads ahead of its inflater more than the importing thread's path does, so
    // it counts more compressed bytes at a time: with half the ratio, a file near the limit
    // goes to that path, which answers exactly (the worker's failure is never reported).
    const strict = { ...limits, maxInflateRatio: limits.maxInflateRatio / 2 };
    const setup: RingSetup = { buffer, control, slots: this.#slots, path, name, limits: strict };
    this.#worker = new Worker(workerFile(import.meta.url, 'inflate-worker'), { workerData: setup });
    // A worker that cannot start (its script not built) or dies would leave the ring empty:
    // the wait below is asynchronous, so these run, and wake it.
    this.#worker.on('error', () => this.#fail());
    this.#worker.on('exit', (code) => {
      if (code !== 0) this.#fail();
    });
  }

  #fail(): void {
    this.#dead = true;
    Atomics.notify(this.#control, 2 * this.#slot);
  }

  /** Compressed bytes the worker has read. */
  get compressed(): number {
    return this.#compressed[0];
  }

  /** Waits for the next slot; null at the end of the file. Throws when the worker failed. */
  async next(): Promise<RingSlot | null> {
    const control = this.#control;
    const k = 2 * this.#slot;
    while (Atomics.load(control, k) === EMPTY && !this.#dead) {
      // A short wait that blocks (the worker is a few ms from filling the slot), then a turn
      // of the event loop, so that a worker that cannot start or died can say so.
      // Atomics.waitAsync would not block, but in Node 20 its promise at times never
      // settled (an import hung, the worker waiting on its slot).
      if (Atomics.wait(control, k, EMPTY, WAIT_MS) === 'timed-out') {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const state = Atomics.load(control, k);
    if (state === END) return null;
    if (state !== FULL) throw new XesScanMiss('the file could not be read or inflated');
    const at = dataAt(this.#slots, this.#slot);
    return { at, bytes: new Uint8Array(this.#scanner.memory.buffer, at, control[k + 1]) };
  }

  /** Scans a slot's data, with the carried bytes before it; keeps what is unfinished. */
  scan(slot: RingSlot): void {
    const carry = this.#carry;
    const base = slot.at - carry.length;
    if (carry.length > 0) new Uint8Array(this.#scanner.memory.buffer).set(carry, base);
    const end = carry.length + slot.bytes.length;
    const pos = this.#scanner.scanRegion(base, 0, end);
    this.#carry = new Uint8Array(this.#scanner.memory.buffer, base + pos, end - pos).slice();
  }

  /** Starts the body with `bytes` (the prolog reader's rest), scanned before the next slot. */
  carry(bytes: Uint8Array): void {
    this.#carry = bytes;
  }

  /** Bytes left unfinished at the end. */
  get leftover(): number {
    return this.#carry.length;
  }

  /** Gives the current slot back to the worker. */
  release(): void {
    const k = 2 * this.#slot;
    Atomics.store(this.#control, k, EMPTY);
    Atomics.notify(this.#control, k);
    this.#slot = (this.#slot + 1) % SLOTS;
  }

  /** Stops the worker (at the end, or when the scanner gave up). */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
