/**
 * The mining contract: what one mine call takes and returns, whichever engine computes it
 * (the TypeScript reference, the WASM kernel inline, or a pool of workers).
 *
 * Every number is a sum, a minimum, a maximum or a histogram count, so partial results over any
 * split of the cases merge by addition into the same answer, bit for bit. Sums of durations are
 * f64: they are exact (hence independent of the split) while times are integer milliseconds and
 * every partial sum stays below 2^53 ms (about 285,000 years of summed waiting).
 */
import type { LogLinearHistogram } from './histogram.js';
import { histogramQuantile, emptyHistogram } from './histogram.js';
import type { Variant, VariantTable } from './variant-table.js';

export type { Variant } from './variant-table.js';
export { VariantTable } from './variant-table.js';

/** The artificial activity code before a case's first event. */
export const START = -1;
/** The artificial activity code after a case's last event. */
export const END = -2;

/** Options of a mine call. */
export interface MineOptions {
  /** Only cases whose byte is non-zero take part (length = caseCount). */
  caseMask?: Uint8Array;
  /** Keep only these activity codes; kept events of a case link directly. */
  activityMask?: Uint8Array; // length = activities.length, non-zero = kept
}

/** Count, exact sum, min and max of a set of durations (ms), and its histogram. */
export interface DurationSummary {
  count: number;
  sumMs: number;
  minMs: number | null;
  maxMs: number | null;
  meanMs: number | null;
  /** Quantiles are read from `histogram` (within 1.6 % of the exact order statistic). */
  medianMs: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  /** Mergeable by addition. */
  histogram: LogLinearHistogram;
}

/** A directly-follows relation between two activities (or START / END). */
export interface DfgEdge {
  /** Activity codes; START = -1, END = -2 (artificial). */
  from: number;
  to: number;
  count: number;
  /**
   * start(next) − end(prev); negative when overlapping, kept. Empty (count 0) on the artificial
   * START → a and a → END edges, which have no time.
   */
  waiting: DurationSummary;
  /** end(next) − end(prev), only when log.hasIntervals (null otherwise and on START / END). */
  endToEnd: DurationSummary | null;
}

/** Everything one mine call finds. */
export interface MineResult {
  /** Cases taking part (after the mask), empty ones included. */
  caseCount: number;
  /** Cases with no (kept) event. */
  emptyCases: number;
  /** Events taking part. */
  eventCount: number;
  /** Per activity code. */
  activityCounts: Float64Array;
  /**
   * Every non-zero edge incl. START→a and a→END; sorted by count desc, then from, then to
   * (deterministic).
   */
  edges: DfgEdge[];
  /** Latest end − earliest start, over non-empty cases. */
  caseDurations: DurationSummary;
  /** Per activity: end − start, when hasIntervals. */
  processingTimes: DurationSummary[] | null;
  /** traceLengths[n] = number of cases with n kept events (no trailing zeros). */
  traceLengths: Float64Array;
  /** Ranked by count desc, then first appearance (case order); columnar (variant-table.ts). */
  variants: VariantTable;
}

/**
 * Builds a summary from its mergeable parts: the quantiles come from the histogram and are
 * clamped to the exact min and max.
 */
export function makeDurationSummary(
  count: number, sumMs: number, minMs: number, maxMs: number, histogram: LogLinearHistogram,
): DurationSummary {
  if (count === 0) {
    return {
      count: 0, sumMs: 0, minMs: null, maxMs: null, meanMs: null,
      medianMs: null, p90Ms: null, p95Ms: null, histogram: emptyHistogram(),
    };
  }
  return {
    count,
    sumMs,
    minMs,
    maxMs,
    meanMs: sumMs / count,
    medianMs: histogramQuantile(histogram, 0.5, minMs, maxMs),
    p90Ms: histogramQuantile(histogram, 0.9, minMs, maxMs),
    p95Ms: histogramQuantile(histogram, 0.95, minMs, maxMs),
    histogram,
  };
}

/** An empty duration summary. */
export function emptyDurationSummary(): DurationSummary {
  return makeDurationSummary(0, 0, 0, 0, emptyHistogram());
}

/** The deterministic edge order: count desc, then from, then to. */
export function compareEdges(a: DfgEdge, b: DfgEdge): number {
  return b.count - a.count || a.from - b.from || a.to - b.to;
}

/** The deterministic variant order: count desc, then first appearance. */
export function compareVariants(a: Variant, b: Variant): number {
  return b.count - a.count || a.representative - b.representative;
}

/** Drops trailing zero entries of a trace-length table. */
export function trimTraceLengths(lengths: ArrayLike<number>): Float64Array {
  let n = lengths.length;
  while (n > 0 && lengths[n - 1] === 0) n--;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lengths[i];
  return out;
}
