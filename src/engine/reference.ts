/**
 * The plain TypeScript reference of the mining contract.
 *
 * Written to be obviously right rather than fast: each case's kept events are gathered into an
 * array, then every statistic is read from that array. The WASM kernel is tested against it.
 */
import type { CompiledLog } from '../log/compiled-log.js';
import { bucketKey, histogramFromDense, KEY_COUNT, MAX_KEY } from './histogram.js';
import {
  compareEdges, compareVariants, END, makeDurationSummary, START, trimTraceLengths,
  type DfgEdge, type DurationSummary, type MineOptions, type MineResult, type Variant,
} from './mine-result.js';
import { validateMineOptions } from './mine-options.js';
import { VariantTable } from './variant-table.js';

/** Collects durations: count, sum, min, max and a sparse histogram. */
class DurationCollector {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  readonly keys = new Map<number, number>();

  add(value: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const key = bucketKey(value);
    this.keys.set(key, (this.keys.get(key) ?? 0) + 1);
  }

  summary(): DurationSummary {
    const dense = new Float64Array(KEY_COUNT);
    for (const [key, n] of this.keys) dense[key + MAX_KEY] = n;
    return makeDurationSummary(this.count, this.sum, this.min, this.max,
      histogramFromDense(dense, -MAX_KEY));
  }
}

interface EdgeCollector {
  count: number;
  waiting: DurationCollector;
  endToEnd: DurationCollector;
}

/** Mines a compiled log in plain TypeScript (the reference the kernels must equal). */
export function mineReference(log: CompiledLog, options: MineOptions = {}): MineResult {
  validateMineOptions(log, options);
  const { caseMask, activityMask } = options;
  const activityCount = log.activities.length;
  const activityCounts = new Float64Array(activityCount);
  const edges = new Map<string, EdgeCollector>();
  const caseDurations = new DurationCollector();
  const processing = log.hasIntervals
    ? Array.from({ length: activityCount }, () => new DurationCollector()) : null;
  const traceLengths: number[] = [];
  const variants = new Map<string, Variant>();
  let caseCount = 0;
  let emptyCases = 0;
  let eventCount = 0;

  const edge = (from: number, to: number): EdgeCollector => {
    const id = `${from},${to}`;
    let e = edges.get(id);
    if (e === undefined) {
      e = { count: 0, waiting: new DurationCollector(), endToEnd: new DurationCollector() };
      edges.set(id, e);
    }
    return e;
  };

  for (let c = 0; c < log.caseCount; c++) {
    if (caseMask !== undefined && caseMask[c] === 0) continue;
    caseCount++;
    const kept: number[] = [];
    for (let i = log.offsets[c]; i < log.offsets[c + 1]; i++) {
      if (activityMask === undefined || activityMask[log.activity[i]] !== 0) kept.push(i);
    }
    const n = kept.length;
    traceLengths[n] = (traceLengths[n] ?? 0) + 1;
    const sequence = kept.map((i) => log.activity[i]);
    const variantId = sequence.join(',');
    const variant = variants.get(variantId);
    if (variant === undefined) {
      variants.set(variantId, { activities: sequence, count: 1, representative: c });
    } else {
      variant.count++;
    }
    if (n === 0) {
      emptyCases++;
      continue;
    }

    eventCount += n;
    let first = Infinity;
    let last = -Infinity;
    for (const i of kept) {
      activityCounts[log.activity[i]]++;
      first = Math.min(first, log.start[i]);
      last = Math.max(last, log.time[i]);
      processing?.[log.activity[i]].add(log.time[i] - log.start[i]);
    }
    caseDurations.add(last - first);

    edge(START, sequence[0]).count++;
    edge(sequence[n - 1], END).count++;
    for (let k = 1; k < n; k++) {
      const prev = kept[k - 1];
      const next = kept[k];
      const e = edge(log.activity[prev], log.activity[next]);
      e.count++;
      e.waiting.add(log.start[next] - log.time[prev]);
      if (log.hasIntervals) e.endToEnd.add(log.time[next] - log.time[prev]);
    }
  }

  const edgeList: DfgEdge[] = [];
  for (const [id, e] of edges) {
    const [from, to] = id.split(',').map(Number);
    const real = from !== START && to !== END;
    edgeList.push({
      from, to, count: e.count,
      waiting: e.waiting.summary(),
      endToEnd: real && log.hasIntervals ? e.endToEnd.summary() : null,
    });
  }
  edgeList.sort(compareEdges);

  return {
    caseCount,
    emptyCases,
    eventCount,
    activityCounts,
    edges: edgeList,
    caseDurations: caseDurations.summary(),
    processingTimes: processing === null ? null : processing.map((p) => p.summary()),
    traceLengths: trimTraceLengths(Array.from(traceLengths, (v) => v ?? 0)),
    variants: VariantTable.fromRanked([...variants.values()].sort(compareVariants)),
  };
}
