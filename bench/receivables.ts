/**
 * Receivables analytics on a generated log of 1 M invoices (about 4.7 M events), after load:
 * the one pass over the events, the groupings, every KPI grouped by segment (in one sweep, and
 * in the reference's loop per KPI), the Kaplan–Meier median, DSO, aging and stuck invoices,
 * and the whole report by segment and by agent. The log and its mine result are made once,
 * outside the timings.
 *
 * `benchReceivables()` is what `npm run bench` calls; run this file directly (compiled) for a
 * table: `node dist/bench/receivables.js [invoices]`.
 */
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { aggregateKpi, type SlotLayout } from '../src/analysis/receivables/aggregate.js';
import { computeAging, findStuck } from '../src/analysis/receivables/aging.js';
import { computeCaseMetrics } from '../src/analysis/receivables/case-metrics.js';
import { dsoAt, dsoTrend } from '../src/analysis/receivables/dso.js';
import { groupBy, monthEnd, monthsOfCreation } from '../src/analysis/receivables/grouping.js';
import { kaplanMeierDaysToPay } from '../src/analysis/receivables/kaplan-meier.js';
import { aggregateKpis } from '../src/analysis/receivables/kpi-kernel.js';
import { KPI_SPECS } from '../src/analysis/receivables/kpi-specs.js';
import { computeReceivables } from '../src/analysis/receivables/report.js';
import { bindRoles } from '../src/analysis/receivables/resolve.js';
import { defaultRoleMapping } from '../src/analysis/receivables/roles.js';
import { mineReference } from '../src/engine/reference.js';
import { generateLog } from '../src/generate/to-log.js';

/** One timed step. */
export interface ReceivablesBenchRow {
  name: string;
  invoices: number;
  events: number;
  /** Median, fastest and slowest run in ms. */
  p50Ms: number;
  minMs: number;
  maxMs: number;
  runs: number;
  invoicesPerSec: number;
}

/** Options of {@link benchReceivables}. */
export interface ReceivablesBenchOptions {
  /** Invoices to generate; default 1,000,000. */
  invoices?: number;
  /** Timed runs per step; default 5. */
  iterations?: number;
  /** Called with each row as it is measured. */
  onRow?: (row: ReceivablesBenchRow) => void;
}

/** Times every receivables step, grouped by segment, on a generated log. */
export async function benchReceivables(
  options: ReceivablesBenchOptions = {},
): Promise<ReceivablesBenchRow[]> {
  const invoices = options.invoices ?? 1_000_000;
  const iterations = options.iterations ?? 5;
  const log = generateLog({ invoices, seed: 1 });
  const mined = mineReference(log);
  const mapping = defaultRoleMapping();
  const bound = bindRoles(log, mapping);
  let asOf = -Infinity;
  for (let i = 0; i < log.eventCount; i++) if (log.time[i] > asOf) asOf = log.time[i];
  const pass = { asOf, graceDays: 3 };
  const m = computeCaseMetrics(log, bound, pass);
  const grouping = groupBy(log, 'segment', mapping, asOf);
  const months = monthsOfCreation(m);
  const layout: SlotLayout = {
    groupOf: grouping.groupOf, groupCount: grouping.labels.length,
    monthOf: months.monthOf, monthCount: months.labels.length,
  };
  const ctx = { asOf, smallDispute: 500 };

  const ends = Float64Array.from(months.labels, (label) => Math.min(asOf, monthEnd(label)));

  const steps: [string, () => unknown][] = [
    ['one pass: per-invoice metrics', () => computeCaseMetrics(log, bound, pass)],
    ['group by segment (case attribute)', () => groupBy(log, 'segment', mapping, asOf)],
    ['group by agent (owner rule)', () => groupBy(log, 'agent', mapping, asOf)],
    ['months of creation', () => monthsOfCreation(m)],
    ['every KPI, one sweep', () => aggregateKpis(KPI_SPECS, m, ctx, layout)],
    ['every KPI, a loop each (reference)',
      () => KPI_SPECS.map((spec) => aggregateKpi(spec, m, ctx, layout))],
    ['kpi days-to-pay-km-median', () => kaplanMeierDaysToPay(m, asOf, layout)],
    ['kpi dso at the as-of date', () => dsoAt(m, asOf, layout.groupOf, layout.groupCount)],
    ['kpi dso monthly trend', () => dsoTrend(m, ends)],
    ['aging', () => computeAging(m, asOf)],
    ['stuck', () => findStuck(log, m, asOf, 30, 20)],
    ['whole report by segment', () => computeReceivables(log, mined, { by: 'segment' })],
    ['whole report by agent', () => computeReceivables(log, mined, { by: 'agent' })],
  ];
  const rows: ReceivablesBenchRow[] = [];
  for (const [name, fn] of steps) {
    const bench = new Bench({ iterations, time: 0, warmupIterations: 1, warmupTime: 0 });
    bench.add(name, () => {
      fn();
    });
    await bench.run();
    const { p50, min, max } = (bench.tasks[0].result as unknown as {
      latency: { p50: number; min: number; max: number };
    }).latency;
    const row: ReceivablesBenchRow = {
      name, invoices, events: log.eventCount, p50Ms: p50, minMs: min, maxMs: max,
      runs: iterations, invoicesPerSec: Math.round(invoices / (p50 / 1000)),
    };
    rows.push(row);
    options.onRow?.(row);
  }
  return rows;
}

/** One line of the printed table. */
export function formatReceivablesRow(row: ReceivablesBenchRow): string {
  return `${row.name.padEnd(40)} p50 ${row.p50Ms.toFixed(1).padStart(8)} ms `
    + `[${row.minMs.toFixed(1)}–${row.maxMs.toFixed(1)}] `
    + `${(row.invoicesPerSec / 1e6).toFixed(1).padStart(6)} M invoices/s`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const invoices = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  await benchReceivables({ invoices, onRow: (row) => console.log(formatReceivablesRow(row)) });
}
