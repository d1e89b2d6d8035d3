// The columnar CSV import's thread cap: min(asked, 4 × cores, one per MiB of data), at least 1.
// Expected counts worked out by hand from that rule, beside each case.
import { describe, expect, it } from 'vitest';
import { cappedThreadCount } from '../src/ingest/fast-csv/thread-count.js';

const MIB = 1024 * 1024;

describe('cappedThreadCount', () => {
  it.each([
    // [asked, bytes, cores, expected]
    [500, 1_153_434, 2, 1], // the 1.1 MB file of the finding: one MiB → 1 thread
    [500, 100 * MIB, 2, 8], // 4 × 2 cores = 8 < 100 MiB
    [3, 100 * MIB, 2, 3], // asked for fewer than both caps
    [4, 3.5 * MIB, 16, 3], // floor(3.5) = 3 MiB-sized ranges
    [2, 500_000, 2, 1], // under one MiB: one thread
    [0, 100 * MIB, 2, 1], // 0 asked: still one thread
    [64, Infinity, 2, 8], // no size cap (a count set in code): 4 × 2 cores
  ])('asked %i for %d bytes on %i cores → %i', (asked, bytes, cores, expected) => {
    expect(cappedThreadCount(asked, bytes, cores)).toBe(expected);
  });
});
