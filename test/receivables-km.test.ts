/**
 * The Kaplan–Meier median on small key lists. Expected values by hand (the textbook
 * product-limit rule).
 */
import { describe, expect, it } from 'vitest';
import { kmMedian } from '../src/analysis/receivables/index.js';

const event = (d: number) => d * 2;
const censored = (d: number) => d * 2 + 1;

describe('Kaplan–Meier median', () => {
  it('equals the plain median when nothing is censored', () => {
    // 1, 2, 3, 4: S = 3/4, 1/2 at 2.
    expect(kmMedian(new Float64Array([1, 2, 3, 4].map(event)))).toBe(2);
  });

  it('moves later when early invoices are censored', () => {
    // 1 e, 2 c, 3 c, 4 e, 5 e: S = 4/5 at 1; at risk 2 at 4 → 4/5 · 1/2 = 0.4 at 4.
    const keys = [event(1), censored(2), censored(3), event(4), event(5)];
    expect(kmMedian(new Float64Array(keys))).toBe(4);
  });

  it('is null when survival never reaches one half', () => {
    expect(kmMedian(new Float64Array([event(1), censored(2), censored(3)]))).toBeNull();
  });

  it('counts events before censorings at the same time', () => {
    // 5 e, 5 c: S = 1/2 at 5.
    expect(kmMedian(new Float64Array([event(5), censored(5)]))).toBe(5);
  });
});
