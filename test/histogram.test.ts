// Histogram keys, bounds and quantile error. Expected keys are worked out by hand from the
// layout (32 sub-buckets per power of two, key 1 = [1, 1.03125)); the quantile property
// compares with the exact nearest-rank order statistic computed by sorting.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bucketEstimate, bucketKey, bucketLow, emptyHistogram, histogramFromDense, histogramQuantile,
  KEY_COUNT, MAX_KEY, mergeHistograms,
} from '../src/engine/histogram.js';

function histogramOf(values: number[]) {
  const dense = new Float64Array(KEY_COUNT);
  for (const v of values) dense[bucketKey(v) + MAX_KEY]++;
  return histogramFromDense(dense, -MAX_KEY);
}

describe('bucket keys', () => {
  it('maps zero, small integers, powers of two and negatives by hand-worked keys', () => {
    expect(bucketKey(0)).toBe(0);
    expect(bucketKey(0.5)).toBe(0);
    expect(bucketKey(1)).toBe(1);
    expect(bucketKey(2)).toBe(33); // 2 = 2^1 × 1.0 → 1 + 32
    expect(bucketKey(3)).toBe(33 + 16); // 3 = 2^1 × 1.5 → sub-bucket 16
    expect(bucketKey(-3)).toBe(-49);
    expect(bucketKey(2 ** 47)).toBe(1 + 47 * 32);
    expect(bucketKey(2 ** 70)).toBe(MAX_KEY);
    expect(bucketLow(49)).toBe(3);
  });

  it('keeps value order in key order', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 48), max: 2 ** 48 }),
      fc.integer({ min: -(2 ** 48), max: 2 ** 48 }), (a, b) => {
        if (a <= b) expect(bucketKey(a)).toBeLessThanOrEqual(bucketKey(b));
      }));
  });

  it('reads small integers back exactly', () => {
    for (let v = -63; v < 64; v++) expect(bucketEstimate(bucketKey(v))).toBe(v);
  });
});

describe('quantiles', () => {
  it('are within 2 % of the exact nearest-rank order statistic', () => {
    const value = fc.oneof(
      fc.integer({ min: -(2 ** 47), max: 2 ** 47 }),
      fc.integer({ min: -1000, max: 1000 }),
      fc.constant(0),
    );
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 300 }),
      fc.constantFrom(0.5, 0.9, 0.95), (values, q) => {
        const sorted = [...values].sort((x, y) => x - y);
        const exact = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
        const got = histogramQuantile(histogramOf(values), q, sorted[0], sorted[sorted.length - 1]);
        expect(got).not.toBeNull();
        expect(Math.abs((got as number) - exact)).toBeLessThanOrEqual(Math.abs(exact) * 0.02);
      }), { numRuns: 500 });
  });

  it('is null on an empty histogram', () => {
    expect(histogramQuantile(emptyHistogram(), 0.5, 0, 0)).toBeNull();
  });
});

describe('merging', () => {
  it('equals the histogram of the concatenated values', () => {
    const values = fc.array(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), { maxLength: 50 });
    fc.assert(fc.property(values, values, (a, b) => {
      expect(mergeHistograms(histogramOf(a), histogramOf(b))).toEqual(histogramOf([...a, ...b]));
    }));
  });
});
