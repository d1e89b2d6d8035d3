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
  for (let i = 0; i < count; i++) starts[caseOf[i] + 1]++;
  for (let c = 0; c < caseCount; c++) starts[c + 1] += starts[c];
  const order = new Int32Array(count);
  const cursor = starts.slice(0, caseCount);
  for (let i = 0; i < count; i++) order[cursor[caseOf[i]]++] = i;

  const pos = position ?? null;
  const before = (a: number, b: number) =>
    time[a] - time[b] || (pos === null ? a - b : pos[a] - pos[b]);
  for (let c = 0; c < caseCount; c++) {
    const from = starts[c];
    const to = starts[c + 1];
    let sorted = true;
    for (let k = from + 1; k < to && sorted; k++) sorted = before(order[k - 1], order[k]) <= 0;
    if (sorted) continue;
    const slice = Array.from(order.subarray(from, to)).sort(before);
    order.set(slice, from);
  }
  return order;
}
