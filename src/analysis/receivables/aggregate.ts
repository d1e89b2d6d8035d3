/**
 * Sums each KPI's per-invoice contributions into slots — the whole log, each group of the `by`
 * attribute, each month of creation — in one loop over the cases per KPI.
 * @internal
 */
import type { CaseMetrics } from './case-metrics.js';
import { OUT, USED, type KpiContext, type KpiSpec } from './kpi-specs.js';

/** One KPI's value with its provenance. */
export interface KpiResult {
  id: string;
  /** Null when no invoice could be used. */
  value: number | null;
  unit: string;
  /** One sentence. */
  definition: string;
  casesUsed: number;
  casesSkipped: number;
  skippedBy: Record<string, number>;
  /** Why the value is what it is when that needs saying (e.g. null from an overflow). */
  note?: string;
}

/** How cases fall into slots: slot 0 is the whole log, then groups, then months. */
export interface SlotLayout {
  /** Group index of each case (0-based), -1 for none; null when there is no grouping. */
  groupOf: Int32Array | null;
  groupCount: number;
  /** Month index of each case (0-based from the first month), -1 for none. */
  monthOf: Int32Array;
  monthCount: number;
}

/** Total number of slots of a layout. */
export function slotCount(layout: SlotLayout): number {
  return 1 + layout.groupCount + layout.monthCount;
}

/** Aggregates one KPI into one result per slot. */
export function aggregateKpi(
  spec: KpiSpec, m: CaseMetrics, ctx: KpiContext, layout: SlotLayout,
): KpiResult[] {
  const slots = slotCount(layout);
  const reasons = spec.reasons.length;
  const num = new Float64Array(slots);
  const den = new Float64Array(slots);
  const used = new Float64Array(slots);
  const skipped = new Float64Array(slots * Math.max(1, reasons));
  const out = new Float64Array(2);
  const { groupOf, monthOf } = layout;
  const monthBase = 1 + layout.groupCount;
  const add = (slot: number, r: number) => {
    if (r === USED) {
      num[slot] += out[0];
      den[slot] += out[1];
      used[slot]++;
    } else skipped[slot * reasons + r]++;
  };
  for (let c = 0; c < m.caseCount; c++) {
    const r = spec.contribute(m, c, ctx, out);
    if (r === OUT) continue;
    add(0, r);
    if (groupOf !== null && groupOf[c] >= 0) add(1 + groupOf[c], r);
    if (monthOf[c] >= 0) add(monthBase + monthOf[c], r);
  }
  const results: KpiResult[] = [];
  for (let s = 0; s < slots; s++) {
    const skippedBy: Record<string, number> = {};
    let casesSkipped = 0;
    for (let r = 0; r < reasons; r++) {
      const count = skipped[s * reasons + r];
      if (count > 0) skippedBy[spec.reasons[r]] = count;
      casesSkipped += count;
    }
    let value: number | null = null;
    if (used[s] > 0) value = spec.sum === true ? num[s] : den[s] > 0 ? num[s] / den[s] : null;
    results.push({
      id: spec.id, value, unit: spec.unit, definition: spec.definition,
      casesUsed: used[s], casesSkipped, skippedBy,
    });
  }
  return results;
}
