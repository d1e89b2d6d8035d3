/**
 * The JSON answers of the mining routes, built from one mine result. Edges and duration
 * statistics have the shapes of `analyze --json` ({@link SummaryEdge}, {@link DurationStats}).
 */
import type { DurationStats, SummaryEdge } from '../analysis/log-summary.js';
import { bucketLow } from '../engine/histogram.js';
import type { LogLinearHistogram } from '../engine/histogram.js';
import { END, START, type DurationSummary, type MineResult } from '../engine/mine-result.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { sequenceKey, type VariantIndex } from './log-index.js';

/** The directly-follows graph, with frequency and performance per edge. */
export interface DfgAnswer {
  cases: number;
  events: number;
  emptyCases: number;
  /** Events per activity (kept activities with at least one event). */
  activities: Record<string, number>;
  startActivities: Record<string, number>;
  endActivities: Record<string, number>;
  /** Edges between activities, by count descending; waiting time = start(next) − end(prev). */
  dfg: { edges: SummaryEdge[] };
}

/** One histogram bucket: values in [lowMs, highMs). */
export interface Bucket {
  lowMs: number;
  highMs: number;
  count: number;
}

/** Case-duration and per-edge waiting-time histograms. */
export interface HistogramsAnswer {
  cases: number;
  caseDurations: DurationStats & { buckets: Bucket[] };
  edges: (SummaryEdge & { buckets: Bucket[] })[];
}

/** Variants, most frequent first. */
export interface VariantsAnswer {
  cases: number;
  /** Distinct variants among the filtered cases. */
  total: number;
  variants: { index: number; activities: string[]; count: number; share: number }[];
}

/** The DFG answer; `minCount` drops rarer edges and start / end entries. */
export function dfgAnswer(log: CompiledLog, result: MineResult, minCount = 1): DfgAnswer {
  const name = (code: number) => log.activities[code];
  const activities: Record<string, number> = {};
  result.activityCounts.forEach((count, code) => {
    if (count > 0) activities[name(code)] = count;
  });
  const startActivities: Record<string, number> = {};
  const endActivities: Record<string, number> = {};
  const edges: SummaryEdge[] = [];
  for (const edge of result.edges) {
    if (edge.count < minCount) continue;
    if (edge.from === START && edge.to >= 0) startActivities[name(edge.to)] = edge.count;
    else if (edge.to === END && edge.from >= 0) endActivities[name(edge.from)] = edge.count;
    else if (edge.from >= 0 && edge.to >= 0) {
      edges.push({ from: name(edge.from), to: name(edge.to), ...durationStats(edge.waiting),
        count: edge.count });
    }
  }
  return {
    cases: result.caseCount,
    events: result.eventCount,
    emptyCases: result.emptyCases,
    activities,
    startActivities,
    endActivities,
    dfg: { edges },
  };
}

/** The histograms answer. */
export function histogramsAnswer(
  log: CompiledLog, result: MineResult, minCount = 1,
): HistogramsAnswer {
  const name = (code: number) => log.activities[code];
  return {
    cases: result.caseCount,
    caseDurations: {
      ...durationStats(result.caseDurations),
      buckets: bucketsOf(result.caseDurations.histogram),
    },
    edges: result.edges
      .filter((e) => e.from >= 0 && e.to >= 0 && e.count >= minCount)
      .map((e) => ({
        from: name(e.from), to: name(e.to), ...durationStats(e.waiting), count: e.count,
        buckets: bucketsOf(e.waiting.histogram),
      })),
  };
}

/** The variants answer: `index` is the variant's place in the unfiltered list. */
export function variantsAnswer(
  log: CompiledLog, result: MineResult, all: VariantIndex, limit: number,
): VariantsAnswer {
  return {
    cases: result.caseCount,
    total: result.variants.length,
    variants: result.variants.slice(0, limit).map((v) => ({
      index: all.byKey.get(sequenceKey(v.activities)) ?? -1,
      activities: v.activities.map((code) => log.activities[code]),
      count: v.count,
      share: result.caseCount === 0 ? 0 : v.count / result.caseCount,
    })),
  };
}

/** The statistics of a duration summary, without its histogram. */
export function durationStats(d: DurationSummary): DurationStats {
  return {
    count: d.count, meanMs: d.meanMs, medianMs: d.medianMs, p90Ms: d.p90Ms,
    minMs: d.minMs, maxMs: d.maxMs,
  };
}

/**
 * The non-empty buckets of a histogram with their bounds in ms. Key k > 0 spans
 * [low(k), low(k + 1)); key 0 holds |v| < 1; key −k mirrors k.
 */
export function bucketsOf(h: LogLinearHistogram): Bucket[] {
  const out: Bucket[] = [];
  for (let i = 0; i < h.counts.length; i++) {
    const count = h.counts[i];
    if (count === 0) continue;
    const key = h.lowKey + i;
    const k = Math.abs(key);
    const [low, high] = k === 0 ? [-1, 1] : [bucketLow(k), bucketLow(k + 1)];
    out.push(key < 0 ? { lowMs: -high, highMs: -low, count } : { lowMs: low, highMs: high, count });
  }
  return out;
}
