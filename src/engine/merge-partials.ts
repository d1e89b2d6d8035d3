/**
 * Merges the partial results of a call's tasks by addition (min and max for extremes) and turns
 * the totals into a {@link MineResult}. Because every part is a sum of integers, a count or an
 * extreme, the totals do not depend on how the cases were split.
 * @internal
 */
import {
  bucketKey, emptyHistogram, histogramFromDense, KEY_COUNT, MAX_KEY, type LogLinearHistogram,
} from './histogram.js';
import type { CallLayout, TaskRegion } from './call-layout.js';
import * as P from './kernel-params.js';
import {
  compareEdges, emptyDurationSummary, END, makeDurationSummary, START, trimTraceLengths,
  type DfgEdge, type DurationSummary, type MineResult, type VariantTable,
} from './mine-result.js';

/** Totals over the tasks merged so far. */
export class PartialMerger {
  readonly #layout: CallLayout;
  readonly scalars = new Float64Array(P.SCALAR_SLOTS);
  readonly activityCounts: Float64Array;
  readonly traceLengths: Float64Array;
  readonly edgeStats: Float64Array;
  readonly e2eStats: Float64Array | null;
  readonly caseHist = new Float64Array(KEY_COUNT);
  readonly procStats: Float64Array | null;
  readonly procHist: Float64Array | null;
  // Each task's edge histograms, summed per edge only when that edge's summary is made: a
  // dense table has millions of buckets, nearly all zero, and a summed copy of it meant a
  // fresh 7.4 MB array per call at 14 activities.
  readonly #waitParts: Uint32Array[] = [];
  readonly #e2eParts: Uint32Array[] = [];

  constructor(layout: CallLayout) {
    this.#layout = layout;
    const c = layout.columns;
    const a = c.activityCount;
    this.scalars[P.S_CASE_DUR_MIN] = Infinity;
    this.scalars[P.S_CASE_DUR_MAX] = -Infinity;
    this.activityCounts = new Float64Array(a);
    this.traceLengths = new Float64Array(c.maxTrace + 1);
    this.edgeStats = emptyStats(layout.edges);
    this.e2eStats = c.hasIntervals ? emptyStats(layout.edges) : null;
    this.procStats = c.hasIntervals ? emptyStats(a) : null;
    this.procHist = c.hasIntervals ? new Float64Array(a * KEY_COUNT) : null;
  }

  /** Adds one task's counts, sums, extremes and case/processing histograms. */
  addStats(buffer: ArrayBufferLike, task: TaskRegion): void {
    const s = new Float64Array(buffer, task.scalars, P.SCALAR_SLOTS);
    for (const i of [P.S_CASES, P.S_EMPTY, P.S_EVENTS, P.S_CASE_DUR_COUNT, P.S_CASE_DUR_SUM]) {
      this.scalars[i] += s[i];
    }
    this.scalars[P.S_CASE_DUR_MIN] = Math.min(this.scalars[P.S_CASE_DUR_MIN], s[P.S_CASE_DUR_MIN]);
    this.scalars[P.S_CASE_DUR_MAX] = Math.max(this.scalars[P.S_CASE_DUR_MAX], s[P.S_CASE_DUR_MAX]);
    addInto(this.activityCounts, new Float64Array(buffer, task.activityCounts,
      this.activityCounts.length));
    addInto(this.traceLengths, new Float64Array(buffer, task.traceLengths,
      this.traceLengths.length));
    mergeStats(this.edgeStats, new Float64Array(buffer, task.edgeStats, this.edgeStats.length));
    addCounts(this.caseHist, new Uint32Array(buffer, task.caseHist, KEY_COUNT));
    if (this.e2eStats !== null) {
      mergeStats(this.e2eStats, new Float64Array(buffer, task.e2eStats, this.e2eStats.length));
    }
    if (this.procStats !== null && this.procHist !== null) {
      mergeStats(this.procStats, new Float64Array(buffer, task.procStats, this.procStats.length));
      addCounts(this.procHist, new Uint32Array(buffer, task.procHist, this.procHist.length));
    }
  }

  /** Adds one task's edge histograms (same table for every task, so key by key). */
  addHistograms(buffer: ArrayBufferLike, task: TaskRegion): void {
    const layout = this.#layout;
    this.#waitParts.push(new Uint32Array(buffer, task.waitHist, layout.waitLen));
    if (layout.e2eLen > 0) {
      this.#e2eParts.push(new Uint32Array(buffer, task.e2eHist, layout.e2eLen));
    }
  }

  /** The merged result; `variants` come from the merge of the ranges' groups. */
  result(variants: VariantTable): MineResult {
    const layout = this.#layout;
    const c = layout.columns;
    const a = c.activityCount;
    const width = a + 1;
    const edges: DfgEdge[] = [];
    for (let e = 0; e < layout.edges; e++) {
      const count = this.edgeStats[e * 4];
      if (count === 0) continue;
      const row = Math.floor(e / width);
      const col = e % width;
      const from = row === 0 ? START : row - 1;
      const to = col === a ? END : col;
      const real = from !== START && to !== END;
      edges.push({
        from, to, count,
        waiting: real ? this.#edgeSummary(e, this.edgeStats, count, this.#waitParts,
          layout.waitBase, layout.waitLow, layout.waitLen) : emptyDurationSummary(),
        endToEnd: real && this.e2eStats !== null ? this.#edgeSummary(e, this.e2eStats, count,
          this.#e2eParts, layout.e2eBase, layout.e2eLow, layout.e2eLen) : null,
      });
    }
    edges.sort(compareEdges);

    const s = this.scalars;
    let processingTimes: DurationSummary[] | null = null;
    if (this.procStats !== null && this.procHist !== null) {
      processingTimes = [];
      for (let act = 0; act < a; act++) {
        const st = this.procStats;
        const hist = histogramFromDense(this.procHist, -MAX_KEY, act * KEY_COUNT,
          (act + 1) * KEY_COUNT);
        processingTimes.push(makeDurationSummary(st[act * 4], st[act * 4 + 1], st[act * 4 + 2],
          st[act * 4 + 3], hist));
      }
    }
    return {
      caseCount: s[P.S_CASES],
      emptyCases: s[P.S_EMPTY],
      eventCount: s[P.S_EVENTS],
      activityCounts: this.activityCounts,
      edges,
      caseDurations: makeDurationSummary(s[P.S_CASE_DUR_COUNT], s[P.S_CASE_DUR_SUM],
        s[P.S_CASE_DUR_MIN], s[P.S_CASE_DUR_MAX], histogramFromDense(this.caseHist, -MAX_KEY)),
      processingTimes,
      traceLengths: trimTraceLengths(this.traceLengths),
      variants,
    };
  }

  #edgeSummary(
    e: number, stats: Float64Array, count: number, parts: Uint32Array[],
    base: Int32Array, low: Int32Array, length: number,
  ): DurationSummary {
    const min = stats[e * 4 + 2];
    const max = stats[e * 4 + 3];
    // The edge's buckets run from its base to the next edge's; in a compact table the last
    // bucket is the key of its max.
    const from = base[e];
    const firstKey = low[e];
    const span = this.#layout.dense ? KEY_COUNT : bucketKey(max) - firstKey + 1;
    const to = Math.min(length, from + span);
    return makeDurationSummary(count, stats[e * 4 + 1], min, max,
      histogramOfParts(parts, firstKey, from, to));
  }
}

function emptyStats(n: number): Float64Array {
  const stats = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    stats[i * 4 + 2] = Infinity;
    stats[i * 4 + 3] = -Infinity;
  }
  return stats;
}

// Two monomorphic loops: one generic ArrayLike loop over both array types ran ~10× slower.
function addInto(total: Float64Array, part: Float64Array): void {
  for (let i = 0; i < total.length; i++) total[i] += part[i];
}

function addCounts(total: Float64Array, part: Uint32Array): void {
  for (let i = 0; i < total.length; i++) total[i] += part[i];
}

/**
 * The canonical histogram of buckets [from, to) summed over the tasks' tables (bucket `from`
 * holds key `firstKey`): the empty ends are found first, so only the span with values is
 * allocated and summed.
 */
function histogramOfParts(
  parts: Uint32Array[], firstKey: number, from: number, to: number,
): LogLinearHistogram {
  let lo = to;
  let hi = from;
  for (const part of parts) {
    let i = from;
    while (i < lo && part[i] === 0) i++;
    lo = i;
    let j = to;
    while (j > hi && part[j - 1] === 0) j--;
    hi = j;
  }
  if (lo >= hi) return emptyHistogram();
  const counts = new Float64Array(hi - lo);
  for (const part of parts) {
    for (let i = lo; i < hi; i++) counts[i - lo] += part[i];
  }
  return { lowKey: firstKey + lo - from, counts };
}

/** Merges records of 4 f64 (count, sum, min, max). */
function mergeStats(total: Float64Array, part: Float64Array): void {
  for (let i = 0; i < total.length; i += 4) {
    total[i] += part[i];
    total[i + 1] += part[i + 1];
    if (part[i + 2] < total[i + 2]) total[i + 2] = part[i + 2];
    if (part[i + 3] > total[i + 3]) total[i + 3] = part[i + 3];
  }
}
