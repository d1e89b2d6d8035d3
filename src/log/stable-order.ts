/**
 * The stable order of a compiled log's events: by case, then time, then file position.
 * @internal
 */

/**
 * A stable order of `count` items by (case, time, position): a counting sort on the case code
 * (which keeps input order), then a comparison sort only inside cases that are not already in
 * (time, position) order. `position` defaults to the item's own index (its file order).
 */
export function sortByCaseTimePosition(
  caseOf: Int32Array, time: Float64Array, count: number, caseCount: number,
  position?: Int32Array,
): Int32Array {
  const starts = new Int32Array(caseCount + 1);
  // Items already grouped by case in case order (a file sorted by case: codes follow first
  // appearance) keep their order under the counting sort: no scatter needed.
  let grouped = true;
  let previous = 0;
  for (let i = 0; i < count; i++) {
    const c = caseOf[i];
    starts[c + 1]++;
    if (c < previous) grouped = false;
    previous = c;
  }
  for (let c = 0; c < caseCount; c++) starts[c + 1] += starts[c];
  const order = new Int32Array(count);
  if (grouped) {
    for (let i = 0; i < count; i++) order[i] = i;
  } else {
    const cursor = starts.slice(0, caseCount);
    for (let i = 0; i < count; i++) order[cursor[caseOf[i]]++] = i;
  }

  const pos = position ?? null;
  const before = (a: number, b: number) =>
    time[a] - time[b] || (pos === null ? a - b : pos[a] - pos[b]);
  for (let c = 0; c < caseCount; c++) {
    const from = starts[c];
    const to = starts[c + 1];
    // Within a case the counting sort keeps position order, so without explicit positions
    // only a later time ahead of an earlier one needs sorting (the same test as `before`).
    const sorted = pos === null ? timesInOrder(order, time, from, to)
      : inOrder(order, from, to, before);
    if (sorted) continue;
    const slice = Array.from(order.subarray(from, to)).sort(before);
    order.set(slice, from);
  }
  return order;
}

/** Whether no item in `order[from, to)` has a later time than the one after it. */
function timesInOrder(order: Int32Array, time: Float64Array, from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) {
    if (time[order[k - 1]] - time[order[k]] > 0) return false;
  }
  return true;
}

function inOrder(
  order: Int32Array, from: number, to: number, before: (a: number, b: number) => number,
): boolean {
  for (let k = from + 1; k < to; k++) if (before(order[k - 1], order[k]) > 0) return false;
  return true;
}

/**
 * {@link sortByCaseTimePosition} by file position, or null when that order is the file's own
 * (grouped by case in case order, each case in time order: most exports): a file of tens of
 * millions of events then needs no order array at all.
 */
export function caseTimeOrder(
  caseOf: Int32Array, time: Float64Array, count: number, caseCount: number,
): Int32Array | null {
  if (inFileOrder(caseOf, time, count)) return null;
  return sortByCaseTimePosition(caseOf, time, count, caseCount);
}

/** Whether case codes never go down and times never go down within a case. */
function inFileOrder(caseOf: Int32Array, time: Float64Array, count: number): boolean {
  for (let i = 1; i < count; i++) {
    const c = caseOf[i];
    const previous = caseOf[i - 1];
    if (c < previous || (c === previous && time[i - 1] - time[i] > 0)) return false;
  }
  return true;
}

/** Whether `order` is 0, 1, …, `count` - 1. */
export function isIdentity(order: Int32Array, count: number): boolean {
  if (order.length !== count) return false;
  for (let i = 0; i < count; i++) if (order[i] !== i) return false;
  return true;
}
