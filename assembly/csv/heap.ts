// A bump allocator over the scanner's memory: the scanner's regions (the block, the per-call
// output, the dictionaries) are taken from it and never given back. A dictionary that grows
// takes a region twice the size and leaves the old one behind, so what is left behind is at
// most what is in use; the whole memory goes when the range is done (one instance per range).

let top: usize = 0;

/**
 * The heap ends at 2 GiB: addresses and offsets cross to JS as i32. A range that needs more
 * (distinct values of more than about 2 GB) traps here; the JS side then gives the file to the
 * row importer.
 */
const HEAP_END: usize = 0x80000000;

/** Starts the heap at `at` (the JS side keeps the bytes below it for its own small words). */
export function heapStart(at: usize): void {
  top = (at + 15) & ~(<usize>15);
}

/** A region of `bytes` bytes, 16-aligned and zeroed (memory past the top is never written). */
export function alloc(bytes: usize): usize {
  const at = top;
  if (bytes > HEAP_END - 16 - at) unreachable();
  const end = (at + bytes + 15) & ~(<usize>15);
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    // Grow by at least a quarter of what is there, so many small growths stay few calls.
    const more = min(max(pages, memory.size() >> 2), <i32>(HEAP_END >> 16) - memory.size());
    if (memory.grow(more) < 0 && memory.grow(pages) < 0) unreachable();
  }
  top = end;
  return at;
}

/** Bytes taken so far (the heap's top). */
export function heapTop(): usize {
  return top;
}
