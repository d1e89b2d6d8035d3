/**
 * The fast forms of the receivables computations give the same numbers, bit for bit, as the
 * plain forms they replace: the one-sweep KPI kernel against the reference loop per KPI, the
 * bucketed Kaplan–Meier median against the median of fully sorted keys, the one-pass DSO trend
 * against DSO taken at each date, and the integer month arithmetic against Date.
 */
import { describe, expect, it } from 'vitest';
import { aggregateKpi, type SlotLayout } from '../src/analysis/receivables/aggregate.js';
import { computeCaseMetrics } from '../src/analysis/receivables/case-metrics.js';
import { dsoAt, dsoTrend } from '../src/analysis/receivables/dso.js';
import {
  groupBy, monthEnd, monthKeyOfDay, monthsOfCreation,
} from '../src/analysis/receivables/grouping.js';
import { bucketedMedian, kmMedian } from '../src/analysis/receivables/kaplan-meier.js';
import { aggregateKpis } from '../src/analysis/receivables/kpi-kernel.js';
import { KPI_SPECS } from '../src/analysis/receivables/kpi-specs.js';
import { bindRoles } from '../src/analysis/receivables/resolve.js';
import { defaultRoleMapping } from '../src/analysis/receivables/roles.js';
import { Prng } from '../src/generate/prng.js';
import { generateLog } from '../src/generate/to-log.js';
import type { CompiledLog } from '../src/log/compiled-log.js';
import { handLog } from './fixtures/receivables/hand-log.js';

const DAY = 86_400_000;

function setUp(log: CompiledLog, by: string, asOf: number) {
  const mapping = defaultRoleMapping();
  const m = computeCaseMetrics(log, bindRoles(log, mapping), { asOf, graceDays: 3 });
  const grouping = groupBy(log, by, mapping, asOf);
  const months = monthsOfCreation(m);
  const layout: SlotLayout = {
    groupOf: grouping.groupOf, groupCount: grouping.labels.length,
    monthOf: months.monthOf, monthCount: months.labels.length,
  };
  return { m, layout, months };
}

describe('one-sweep KPI kernel', () => {
  const cases: [string, CompiledLog, string, number][] = [
    ['hand log by segment', handLog(), 'segment', Date.parse('2024-04-26T00:00Z')],
    ['hand log, as of mid-February', handLog(), 'segment', Date.parse('2024-02-15T00:00Z')],
    ['generated log by segment', generateLog({ invoices: 6000, seed: 5 }), 'segment', Infinity],
    ['generated log by agent, as of a past date', generateLog({ invoices: 6000, seed: 6 }),
      'agent', Date.parse('2024-05-01T00:00Z')],
  ];
  it.each(cases)('equals the reference loop per KPI exactly (%s)', (_name, log, by, asOf) => {
    const { m, layout } = setUp(log, by, asOf);
    const ctx = { asOf, smallDispute: 500 };
    const fused = aggregateKpis(KPI_SPECS, m, ctx, layout);
    KPI_SPECS.forEach((spec, i) => {
      const reference = aggregateKpi(spec, m, ctx, layout);
      expect(fused.map((slot) => slot[i]), spec.id).toEqual(reference);
    });
  });
});

describe('bucketed Kaplan–Meier median', () => {
  it('equals the median of the fully sorted keys on random durations', () => {
    const rng = new Prng(11);
    for (const n of [100, 5000, 40_000]) {
      for (const tiesEvery of [1, 7, 1000]) {
        const keys = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          // Whole-minute durations give ties; a few huge ones stretch the range.
          const minutes = rng.int(0, 200_000 / tiesEvery) * tiesEvery;
          const extreme = rng.chance(0.002) ? 1e9 : 0;
          keys[i] = (minutes + extreme) * 60_000 * 2 + (rng.chance(0.3) ? 1 : 0);
        }
        const expected = kmMedian(keys.slice().sort());
        expect(bucketedMedian(keys, new Float64Array(n)), `${n}/${tiesEvery}`).toBe(expected);
      }
    }
  });
});

describe('DSO monthly trend in one pass', () => {
  it('equals DSO taken at each month end, entry for entry', () => {
    const log = generateLog({ invoices: 8000, seed: 9 });
    const asOf = Date.parse('2024-10-01T00:00Z');
    const { m, months } = setUp(log, 'segment', asOf);
    const ends = Float64Array.from(months.labels, (l) => Math.min(asOf, monthEnd(l)));
    const trend = dsoTrend(m, ends);
    expect(trend.length).toBeGreaterThan(3);
    ends.forEach((at, j) => expect(trend[j]).toEqual(dsoAt(m, at, null, 0)[0]));
  });
});

describe('month of a day in integer arithmetic', () => {
  it('agrees with Date from year -2000 to 4000 and around the epoch', () => {
    const check = (day: number) => {
      const d = new Date(day * DAY);
      expect(monthKeyOfDay(day), d.toISOString()).toBe(d.getUTCFullYear() * 12 + d.getUTCMonth());
    };
    for (let day = -1_450_000; day <= 750_000; day += 97) check(day);
    for (let day = -800; day <= 800; day++) check(day);
  });
});
