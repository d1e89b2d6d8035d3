/**
 * Bottlenecks and rework: the slowest hand-overs of the process map, and the activities that
 * had to be done again within one invoice.
 */
import type { CompiledLog } from '../../log/compiled-log.js';
import type { DfgEdge, MineResult } from '../../engine/mine-result.js';
import { DAY_MS, type CaseMetrics } from './case-metrics.js';

/** One directly-follows hand-over with its waiting time. */
export interface Bottleneck {
  from: string;
  to: string;
  count: number;
  /** Sum of waiting time over all passages, in days. */
  totalDays: number;
  medianDays: number | null;
  meanDays: number | null;
}

/** Hand-overs ranked two ways. */
export interface Bottlenecks {
  /** Where the most waiting piles up in total (count × typical wait). */
  byTotal: Bottleneck[];
  /** Where a single invoice typically waits longest. */
  byMedian: Bottleneck[];
}

/** An activity repeated within invoices. */
export interface Rework {
  activity: string;
  /** Invoices that repeat it. */
  cases: number;
  /** Occurrences beyond the first, over all invoices. */
  repeats: number;
  /** Invoice amount of the invoices that repeat it; null when no amount is known. */
  amount: number | null;
}

/** Ranks the edges between real activities of `mined` (the artificial start and end skipped). */
export function rankBottlenecks(log: CompiledLog, mined: MineResult, limit: number): Bottlenecks {
  const real = mined.edges.filter((e) => e.from >= 0 && e.to >= 0 && e.waiting.count > 0);
  const view = (e: DfgEdge): Bottleneck => ({
    from: log.activities[e.from],
    to: log.activities[e.to],
    count: e.count,
    totalDays: e.waiting.sumMs / DAY_MS,
    medianDays: e.waiting.medianMs === null ? null : e.waiting.medianMs / DAY_MS,
    meanDays: e.waiting.meanMs === null ? null : e.waiting.meanMs / DAY_MS,
  });
  const tie = (a: DfgEdge, b: DfgEdge) => a.from - b.from || a.to - b.to;
  const byTotal = [...real].sort((a, b) => b.waiting.sumMs - a.waiting.sumMs || tie(a, b));
  const byMedian = [...real].sort((a, b) =>
    (b.waiting.medianMs ?? 0) - (a.waiting.medianMs ?? 0) || tie(a, b));
  return {
    byTotal: byTotal.slice(0, limit).map(view),
    byMedian: byMedian.slice(0, limit).map(view),
  };
}

/** Activities repeated within invoices, most invoices first. */
export function listRework(log: CompiledLog, m: CaseMetrics, amountKnown: boolean): Rework[] {
  const out: Rework[] = [];
  for (let a = 0; a < log.activities.length; a++) {
    if (m.reworkCases[a] === 0) continue;
    out.push({
      activity: log.activities[a], cases: m.reworkCases[a], repeats: m.reworkRepeats[a],
      amount: amountKnown ? m.reworkAmount[a] : null,
    });
  }
  return out.sort((x, y) => y.cases - x.cases || y.repeats - x.repeats
    || (x.activity < y.activity ? -1 : 1));
}
