/**
 * Per-log lookups the HTTP answers need beside the compiled log: case ids, activity codes,
 * each case's time span and each case's variant. Built once per loaded log, on first use, and
 * dropped with the log (a WeakMap keyed by it).
 */
import { mineLog } from '../engine/mine-log.js';
import type { CompiledLog } from '../log/compiled-log.js';

/** Lookups derived from one compiled log. */
export interface LogIndex {
  caseCode: Map<string, number>;
  activityCode: Map<string, number>;
  /** Earliest start and latest end per case; NaN for cases without events. */
  caseFirst: Float64Array;
  caseLast: Float64Array;
}

/** Variants of the whole log and which one each case follows. */
export interface VariantIndex {
  /** Activity code sequences, in the order of the unfiltered mine result (index = variant). */
  sequences: number[][];
  counts: number[];
  /** Variant index of each case. */
  caseVariant: Int32Array;
  /** Variant index by its sequence key (codes joined by commas). */
  byKey: Map<string, number>;
}

const indexes = new WeakMap<CompiledLog, LogIndex>();
const variantIndexes = new WeakMap<CompiledLog, Promise<VariantIndex>>();

/** The lookups of `log`, built on first call. */
export function logIndex(log: CompiledLog): LogIndex {
  let index = indexes.get(log);
  if (index !== undefined) return index;
  const caseFirst = new Float64Array(log.caseCount).fill(NaN);
  const caseLast = new Float64Array(log.caseCount).fill(NaN);
  for (let c = 0; c < log.caseCount; c++) {
    let first = Infinity;
    let last = -Infinity;
    for (let e = log.offsets[c]; e < log.offsets[c + 1]; e++) {
      if (log.start[e] < first) first = log.start[e];
      if (log.time[e] > last) last = log.time[e];
    }
    if (first !== Infinity) {
      caseFirst[c] = first;
      caseLast[c] = last;
    }
  }
  index = {
    caseCode: new Map(log.caseIds.map((id, c) => [id, c])),
    activityCode: new Map(log.activities.map((name, a) => [name, a])),
    caseFirst,
    caseLast,
  };
  indexes.set(log, index);
  return index;
}

/** The variant lookups of `log`, built on first call from one unfiltered mine. */
export function variantIndex(log: CompiledLog): Promise<VariantIndex> {
  let pending = variantIndexes.get(log);
  if (pending === undefined) {
    pending = buildVariantIndex(log);
    variantIndexes.set(log, pending);
  }
  return pending;
}

/** The key of an activity code sequence. */
export function sequenceKey(codes: ArrayLike<number>): string {
  return Array.prototype.join.call(codes, ',');
}

async function buildVariantIndex(log: CompiledLog): Promise<VariantIndex> {
  const result = await mineLog(log);
  const byKey = new Map<string, number>();
  result.variants.forEach((v, i) => byKey.set(sequenceKey(v.activities), i));
  const caseVariant = new Int32Array(log.caseCount);
  for (let c = 0; c < log.caseCount; c++) {
    const key = sequenceKey(log.activity.subarray(log.offsets[c], log.offsets[c + 1]));
    caseVariant[c] = byKey.get(key) ?? -1;
  }
  return {
    sequences: result.variants.map((v) => v.activities),
    counts: result.variants.map((v) => v.count),
    caseVariant,
    byKey,
  };
}
