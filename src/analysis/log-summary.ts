/**
 * The summary of a compiled log that `ledgerflow analyze` prints: sizes, time span, start and
 * end activities, variants, the directly-follows graph and case durations, with names instead
 * of codes. Its JSON form is the contract scripts rely on.
 */
import type { CompiledLog, LifecycleSummary } from '../log/compiled-log.js';
import { END, START, type DurationSummary, type MineResult } from '../engine/mine-result.js';

/** Duration statistics in milliseconds; null where the set is empty. */
export interface DurationStats {
  count: number;
  meanMs: number | null;
  medianMs: number | null;
  p90Ms: number | null;
  minMs: number | null;
  maxMs: number | null;
}

/**
 * One directly-follows edge between two named activities. Its own statistics are of the
 * waiting time, start(to) − end(from); `endToEnd`, end(to) − end(from), is there only for logs
 * with start and end times (otherwise the two are the same).
 */
export interface SummaryEdge extends DurationStats {
  from: string;
  to: string;
  endToEnd?: DurationStats;
}

/** What `analyze --json` prints. */
export interface LogSummary {
  source: string;
  format: string;
  cases: number;
  events: number;
  activities: number;
  timeSpan: { start: string | null; end: string | null };
  startActivities: Record<string, number>;
  endActivities: Record<string, number>;
  /** Sorted by count, descending; `share` is count ÷ cases. */
  variants: { activities: string[]; count: number; share: number }[];
  /** Edges between real activities (the artificial start and end are in start/endActivities). */
  dfg: { edges: SummaryEdge[] };
  /** Over cases with at least one event; `emptyCases` had none and have no duration. */
  caseDurations: DurationStats & { emptyCases: number };
  /** Per activity, end − start of its instances; null when the log has no start times. */
  processingTimes: Record<string, DurationStats> | null;
  mapping: Record<string, string>;
  lifecycle: LifecycleSummary;
  skippedRows: Record<string, number>;
}

/** Options of {@link summarizeLog}. */
export interface SummaryOptions {
  /** How many variants to list (the rest are counted in the total only); default all. */
  maxVariants?: number;
}

/** Builds the summary of a log from one mine result over it. */
export function summarizeLog(
  log: CompiledLog, result: MineResult, options: SummaryOptions = {},
): LogSummary {
  const name = (code: number) => log.activities[code];
  const startActivities: Record<string, number> = {};
  const endActivities: Record<string, number> = {};
  const edges: SummaryEdge[] = [];
  for (const edge of result.edges) {
    if (edge.from === START && edge.to >= 0) startActivities[name(edge.to)] = edge.count;
    else if (edge.to === END && edge.from >= 0) endActivities[name(edge.from)] = edge.count;
    else if (edge.from >= 0 && edge.to >= 0) {
      const named: SummaryEdge = {
        from: name(edge.from), to: name(edge.to), ...stats(edge.waiting),
      };
      if (edge.endToEnd !== null) named.endToEnd = stats(edge.endToEnd);
      edges.push(named);
    }
  }

  const variants = result.variants.slice(0, options.maxVariants ?? result.variants.length)
    .map((v) => ({
      activities: v.activities.map(name),
      count: v.count,
      share: result.caseCount === 0 ? 0 : v.count / result.caseCount,
    }));

  return {
    source: log.info.source,
    format: log.info.format,
    cases: result.caseCount,
    events: result.eventCount,
    activities: result.activityCounts.reduce((n, count) => n + (count > 0 ? 1 : 0), 0),
    timeSpan: timeSpan(log),
    startActivities,
    endActivities,
    variants,
    dfg: { edges },
    caseDurations: { ...stats(result.caseDurations), emptyCases: result.emptyCases },
    processingTimes: result.processingTimes === null ? null : Object.fromEntries(
      result.processingTimes.flatMap((d, code) => (d.count > 0 ? [[name(code), stats(d)]] : []))),
    mapping: log.info.mapping,
    lifecycle: log.info.lifecycle,
    skippedRows: log.info.skippedRows,
  };
}

function stats(d: DurationSummary): DurationStats {
  return {
    count: d.count, meanMs: d.meanMs, medianMs: d.medianMs, p90Ms: d.p90Ms,
    minMs: d.minMs, maxMs: d.maxMs,
  };
}

function timeSpan(log: CompiledLog): { start: string | null; end: string | null } {
  if (log.eventCount === 0) return { start: null, end: null };
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < log.eventCount; i++) {
    if (log.start[i] < first) first = log.start[i];
    if (log.time[i] > last) last = log.time[i];
  }
  return { start: isoOrNull(first), end: isoOrNull(last) };
}

function isoOrNull(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
