/**
 * The Kaplan–Meier median over keys (duration in whole ms × 2, plus 1 when censored), and the
 * duration buckets that let it avoid a full sort: a counting sort whose bucket order is
 * duration order (one duration never spans two buckets), so only the buckets up to the median
 * need sorting, each on its own. kaplan-meier.ts builds the keys per slot and walks them.
 */

/** Running state of the KM product limit over keys read in ascending order. */
interface KmState {
  atRisk: number;
  survival: number;
}

/** Keys per bucket on average: small runs sort fastest by insertion. */
const KEYS_PER_BUCKET = 8;

/**
 * Spreads `keys` into about n / 8 duration buckets: writes each key's bucket into `bucketOf`
 * and answers where each bucket starts (one entry more than there are buckets). The buckets
 * span the 1st to 999th permille of a sample, so a few extreme durations (clamped into the
 * first or last bucket, which keeps the order) do not squeeze the rest into one bucket.
 */
export function durationBuckets(keys: Float64Array, bucketOf: Int32Array): Int32Array {
  const n = keys.length;
  const buckets = Math.ceil(n / KEYS_PER_BUCKET);
  const [lo, hi] = sampleRange(keys);
  const width = Math.max(1, (hi - lo + 1) / buckets);
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) {
    const b = Math.floor((Math.floor(keys[i] / 2) - lo) / width);
    const clamped = b < 0 ? 0 : b >= buckets ? buckets - 1 : b;
    bucketOf[i] = clamped;
    start[clamped + 1]++;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  return start;
}

/**
 * The KM median of unsorted keys, equal to `kmMedian` of the sorted keys. A full sort of a
 * million keys cost about 1 µs per invoice; through {@link durationBuckets} only the buckets
 * up to the median are sorted.
 */
export function bucketedMedian(
  keys: Float64Array, scratch: Float64Array, bucketOf = new Int32Array(keys.length),
): number | null {
  const n = keys.length;
  if (n < 4096) return kmMedian(keys.slice().sort());
  const start = durationBuckets(keys, bucketOf);
  const buckets = start.length - 1;
  const cursor = start.slice(0, buckets);
  for (let i = 0; i < n; i++) scratch[cursor[bucketOf[i]]++] = keys[i];
  const state: KmState = { atRisk: n, survival: 1 };
  for (let b = 0; b < buckets; b++) {
    const from = start[b];
    const to = start[b + 1];
    if (to === from) continue;
    if (to - from <= 48) insertionSort(scratch, from, to);
    else scratch.subarray(from, to).sort();
    const median = kmStep(scratch, from, to, state);
    if (median !== null) return median;
  }
  return null;
}

/**
 * The smallest duration at which the KM survival estimate drops to 0.5 or below, from keys
 * sorted ascending (duration × 2 + censored); null when it never does.
 */
export function kmMedian(sortedKeys: Float64Array): number | null {
  return kmStep(sortedKeys, 0, sortedKeys.length, { atRisk: sortedKeys.length, survival: 1 });
}

// Durations at the 1st and 999th permille of about 2,000 evenly spaced keys.
function sampleRange(keys: Float64Array): [number, number] {
  const step = Math.max(1, Math.floor(keys.length / 2048));
  const sample = new Float64Array(Math.ceil(keys.length / step));
  for (let i = 0, j = 0; i < keys.length; i += step) sample[j++] = Math.floor(keys[i] / 2);
  sample.sort();
  const at = (q: number) => sample[Math.min(sample.length - 1, Math.floor(q * sample.length))];
  return [at(0.001), at(0.999)];
}

function insertionSort(a: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= from && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

// Reads sorted keys from..to on from `state`: tied durations together, events before
// censorings, the survival product multiplied in ascending duration order.
function kmStep(keys: Float64Array, from: number, to: number, state: KmState): number | null {
  let i = from;
  while (i < to) {
    const duration = Math.floor(keys[i] / 2);
    let events = 0;
    let censored = 0;
    while (i < to && Math.floor(keys[i] / 2) === duration) {
      if (keys[i] - duration * 2 === 1) censored++;
      else events++;
      i++;
    }
    if (events > 0) {
      state.survival *= 1 - events / state.atRisk;
      if (state.survival <= 0.5) return duration;
    }
    state.atRisk -= events + censored;
  }
  return null;
}
