// A bump allocator over the scanner's memory: the scanner's regions (the block, the per-call
// output, the dictionaries) are taken from it and never given back. A dictionary that grows
// takes a region twice the size and leaves the old one behind, so what is left behind is at
// most what is in use; the whole memory goes when the range is done (one instance per range).

let top: usize = 0;

/**
 * The heap ends 64 KiB short of 4 GiB, the most a WASM memory has (addresses past 2 GiB reach
 * JS as negative i32; the JS side reads them unsigned). A range that needs more traps here;
 * the JS side then gives the file to the row importer.
 */
const HEAP_END: usize = 0xffff0000;

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

/** Bytes the heap can still give. */
export function heapRoom(): usize {
  return HEAP_END - top;
}
