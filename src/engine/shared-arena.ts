/**
 * A first-fit allocator of regions inside one shared WebAssembly memory, run by the thread that
 * owns the engine. Kernels never allocate (see assembly/mine.ts); this is the only allocator.
 */
import { LedgerflowError } from '../errors.js';
import { MAX_PAGES } from './kernel-module.js';

const PAGE = 65536;
// Cache-line alignment keeps two workers' regions off one line (no false sharing).
const ALIGN = 64;

/** Regions of a shared memory, handed out and returned by the owning thread. */
export class SharedArena {
  readonly memory: WebAssembly.Memory;
  // Free blocks as [start, end) pairs, sorted by start and never adjacent.
  #free: Array<[number, number]>;
  readonly #sizes = new Map<number, number>();

  constructor(memory: WebAssembly.Memory, reserved = ALIGN) {
    this.memory = memory;
    // Address 0 stays unused so that 0 can mean "no region" in a parameter block.
    this.#free = [[align(reserved), memory.buffer.byteLength]];
  }

  /** Bytes in use. */
  get used(): number {
    let total = 0;
    for (const size of this.#sizes.values()) total += size;
    return total;
  }

  /** A region of at least `bytes` bytes (aligned to 64), growing the memory when needed. */
  allocate(bytes: number): number {
    const size = align(Math.max(bytes, 1));
    for (let i = 0; i < this.#free.length; i++) {
      const [start, end] = this.#free[i];
      if (end - start < size) continue;
      if (end - start === size) this.#free.splice(i, 1);
      else this.#free[i] = [start + size, end];
      this.#sizes.set(start, size);
      return start;
    }
    this.#grow(size);
    return this.allocate(bytes);
  }

  /** Returns a region; freeing an unknown address is a no-op. */
  release(address: number): void {
    const size = this.#sizes.get(address);
    if (size === undefined) return;
    this.#sizes.delete(address);
    this.#insert(address, address + size);
  }

  #grow(size: number): void {
    const oldEnd = this.memory.buffer.byteLength;
    const last = this.#free[this.#free.length - 1];
    const tailFree = last !== undefined && last[1] === oldEnd ? last[1] - last[0] : 0;
    const pages = Math.ceil((size - tailFree) / PAGE);
    if (oldEnd / PAGE + pages > MAX_PAGES) {
      throw new LedgerflowError('LF_ERR_INGEST_TOO_LARGE',
        `the engine needs ${size} more bytes but its memory is capped at 4 GiB; ` +
        'release loaded logs you no longer need or mine a smaller log');
    }
    this.memory.grow(pages);
    this.#insert(oldEnd, this.memory.buffer.byteLength);
  }

  #insert(start: number, end: number): void {
    const free = this.#free;
    let i = 0;
    while (i < free.length && free[i][0] < start) i++;
    free.splice(i, 0, [start, end]);
    // Coalesce with the neighbours.
    if (i + 1 < free.length && free[i][1] === free[i + 1][0]) {
      free[i][1] = free[i + 1][1];
      free.splice(i + 1, 1);
    }
    if (i > 0 && free[i - 1][1] === free[i][0]) {
      free[i - 1][1] = free[i][1];
      free.splice(i, 1);
    }
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
