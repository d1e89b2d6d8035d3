// A bump allocator over the scanner's memory: the scanner's regions (the block, the per-call
// output, the dictionaries) are taken from it and never given back. A dictionary that grows
// takes a region twice the size and leaves the old one behind, so what is left behind is at
// most what is in use; the whole memory goes when the range is done (one instance per range).

let top: usize = 0;

/** Starts the heap at `at` (the JS side keeps the bytes below it for its own small words). */
export function heapStart(at: usize): void {
  top = (at + 15) & ~(<usize>15);
}

/** A region of `bytes` bytes, 16-aligned and zeroed (memory past the top is never written). */
export function alloc(bytes: usize): usize {
  const at = top;
  const end = (at + bytes + 15) & ~(<usize>15);
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    // Grow by at least a quarter of what is there, so many small growths stay few calls.
    const more = max(pages, memory.size() >> 2);
    if (memory.grow(more) < 0 && memory.grow(pages) < 0) unreachable();
  }
  top = end;
  return at;
}

/** Bytes taken so far (the heap's top). */
export function heapTop(): usize {
  return top;
}
