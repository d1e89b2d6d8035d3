/**
 * The log-linear duration histogram shared by the TypeScript reference and the WASM kernel.
 *
 * A value's bucket key comes straight from the bits of its f64: the binary exponent and the top
 * five mantissa bits. Keys are signed so that key order is value order:
 *
 * ```
 *  key   -2048 … -33 … -1      0        1 … 32   33 … 64   …   2048
 *  |v|   ≥2^63   [2,2.0625)    |v| < 1  [1, 2)   [2, 4)        ≥ 2^63
 *        negative values       zero     32 buckets per power of two
 * ```
 *
 * A bucket spans 1/32 of its power of two, so its midpoint is within 1/64 (1.6 %) of any value in
 * it. Below 64 a bucket is at most 1 ms wide and holds at most one integer, which the estimate
 * returns exactly. Values under 1 ms in magnitude share bucket 0 (read as 0): durations are
 * integer milliseconds, so only zero lands there. Histograms merge by adding counts key by key.
 */

/** Highest key magnitude: 64 powers of two × 32 sub-buckets. */
export const MAX_KEY = 2048;
/** Number of keys from -MAX_KEY to MAX_KEY. */
export const KEY_COUNT = 2 * MAX_KEY + 1;
/** Sub-buckets per power of two, as a shift. */
export const SUB_BITS = 5;

// (bits >> 47) of 1.0 is 1023 << 5; subtracting one less maps 1.0 to key 1.
const KEY_BIAS = (1023 << SUB_BITS) - 1;

/**
 * Counts per bucket key over the contiguous key range that has values. The canonical form is
 * trimmed (first and last counts non-zero), so two equal histograms are deeply equal.
 */
export interface LogLinearHistogram {
  /** Key of `counts[0]`. */
  lowKey: number;
  /** `counts[i]` = number of values whose key is `lowKey + i`. */
  counts: Float64Array;
}

const scratch = new DataView(new ArrayBuffer(8));

/** The bucket key of a value (ms); the kernel computes the same from the same bits. */
export function bucketKey(value: number): number {
  scratch.setFloat64(0, Math.abs(value));
  // The high 32 bits hold sign, exponent and the top 20 mantissa bits; >> 15 keeps 5 of them.
  const top = scratch.getUint32(0) >>> 15;
  let key = top - KEY_BIAS;
  if (key < 0) key = 0;
  if (key > MAX_KEY) key = MAX_KEY;
  return value < 0 ? -key : key;
}

/** Lowest magnitude of a key's bucket (0 for key 0). */
export function bucketLow(key: number): number {
  const k = Math.abs(key);
  if (k === 0) return 0;
  const exponent = (k - 1) >> SUB_BITS;
  const sub = (k - 1) & ((1 << SUB_BITS) - 1);
  return 2 ** exponent * (1 + sub / (1 << SUB_BITS));
}

/**
 * The value reported for a bucket: its midpoint, or its low edge when the bucket is at most
 * 1 ms wide (it then holds one integer exactly). Negative keys mirror positive ones.
 */
export function bucketEstimate(key: number): number {
  const k = Math.abs(key);
  if (k === 0) return 0;
  const low = bucketLow(k);
  const exponent = (k - 1) >> SUB_BITS;
  const estimate = exponent <= SUB_BITS ? low : low + 2 ** (exponent - SUB_BITS) / 2;
  return key < 0 ? -estimate : estimate;
}

/** An empty histogram in canonical form. */
export function emptyHistogram(): LogLinearHistogram {
  return { lowKey: 0, counts: new Float64Array(0) };
}

/**
 * Builds the canonical histogram from dense counts, where `dense[i]` counts key `firstKey + i`.
 * Trailing and leading zero buckets are dropped.
 */
export function histogramFromDense(
  dense: ArrayLike<number>, firstKey: number, from = 0, to = dense.length,
): LogLinearHistogram {
  let lo = from;
  let hi = to;
  while (lo < hi && dense[lo] === 0) lo++;
  while (hi > lo && dense[hi - 1] === 0) hi--;
  if (lo === hi) return emptyHistogram();
  const counts = new Float64Array(hi - lo);
  for (let i = lo; i < hi; i++) counts[i - lo] = dense[i];
  return { lowKey: firstKey + lo - from, counts };
}

/** Adds two histograms (the merge of partial results); neither input is changed. */
export function mergeHistograms(a: LogLinearHistogram, b: LogLinearHistogram): LogLinearHistogram {
  if (a.counts.length === 0) return { lowKey: b.lowKey, counts: b.counts.slice() };
  if (b.counts.length === 0) return { lowKey: a.lowKey, counts: a.counts.slice() };
  const low = Math.min(a.lowKey, b.lowKey);
  const high = Math.max(a.lowKey + a.counts.length, b.lowKey + b.counts.length);
  const counts = new Float64Array(high - low);
  for (let i = 0; i < a.counts.length; i++) counts[a.lowKey - low + i] += a.counts[i];
  for (let i = 0; i < b.counts.length; i++) counts[b.lowKey - low + i] += b.counts[i];
  return { lowKey: low, counts };
}

/** Total number of values in a histogram. */
export function histogramTotal(h: LogLinearHistogram): number {
  let total = 0;
  for (let i = 0; i < h.counts.length; i++) total += h.counts[i];
  return total;
}

/**
 * The q-quantile (0 < q ≤ 1) by nearest rank: the bucket holding the value of rank ceil(q·N),
 * read by {@link bucketEstimate} and clamped to the exact [min, max]. Null when empty.
 */
export function histogramQuantile(
  h: LogLinearHistogram, q: number, min: number, max: number,
): number | null {
  const total = histogramTotal(h);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    seen += h.counts[i];
    if (seen >= rank) {
      const estimate = bucketEstimate(h.lowKey + i);
      return Math.min(max, Math.max(min, estimate));
    }
  }
  return max;
}
