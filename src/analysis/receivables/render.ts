/**
 * Plain-text rendering of a {@link ReceivablesReport}: KPI cards, aging, the top stuck
 * invoices and the top bottlenecks, as aligned tables for a terminal.
 */
import type { KpiResult } from './aggregate.js';
import type { ReceivablesReport } from './report.js';

/** Renders the report as plain-text tables. */
export function renderReceivables(report: ReceivablesReport): string {
  const out: string[] = [];
  out.push(`Receivables as of ${report.asOf} (${report.invoices} invoices)`, '');
  out.push(table(['KPI', 'value', 'unit', 'used', 'skipped'],
    report.kpis.map((k) => [k.id, formatValue(k), k.unit, count(k.casesUsed),
      count(k.casesSkipped)])));
  if (report.unavailable.length > 0) {
    out.push('', 'Not computed:');
    for (const u of report.unavailable) out.push(`  ${u.id}: ${u.reason}`);
  }
  for (const note of report.notes) out.push(`Note: ${note}`);

  if (report.by !== null) {
    const ids = ['days-to-pay', 'days-to-pay-km-median', 'on-time-rate', 'dispute-rate', 'dso'];
    const shown = ids.filter((id) => report.kpis.some((k) => k.id === id));
    const none = report.by.ungrouped > 0
      ? ` (${count(report.by.ungrouped)} invoices in no group)` : '';
    out.push('', `By ${report.by.attribute}: ${report.by.rule}${none}:`);
    out.push(table([report.by.attribute, ...shown], report.by.groups.map((g) => [
      g.label ?? '(none)', ...shown.map((id) => formatValue(g.kpis.find((k) => k.id === id))),
    ])));
  }

  out.push('', `Aging of ${count(report.aging.openInvoices)} open invoices `
    + '(days past due):');
  out.push(table(['bucket', 'invoices', 'open amount'], report.aging.buckets.map((b) => [
    b.label, count(b.invoices), b.amount.toFixed(2),
  ])));

  const stuck = report.stuck;
  const shown = stuck.count > stuck.top.length ? `; the ${stuck.top.length} longest idle` : '';
  out.push('', `Stuck: ${count(stuck.count)} open invoices with no event for more than `
    + `${stuck.days} days${shown}:`);
  if (stuck.top.length > 0) {
    out.push(table(['invoice', 'last activity', 'last event', 'days idle', 'open amount'],
      stuck.top.map((s) => [s.invoice, s.lastActivity, s.lastEventAt.slice(0, 10),
        s.daysIdle.toFixed(1), s.openAmount === null ? '-' : s.openAmount.toFixed(2)])));
  }

  out.push('', 'Bottlenecks by total waiting time:');
  out.push(table(['from', 'to', 'count', 'total days', 'median days'],
    report.bottlenecks.byTotal.map((b) => [b.from, b.to, count(b.count),
      b.totalDays.toFixed(1), b.medianDays === null ? '-' : b.medianDays.toFixed(1)])));
  if (report.rework.length > 0) {
    out.push('', 'Rework (activity repeated within an invoice):');
    out.push(table(['activity', 'invoices', 'repeats'], report.rework.slice(0, 10).map((r) => [
      r.activity, count(r.cases), count(r.repeats)])));
  }
  return out.join('\n') + '\n';
}

function formatValue(k: KpiResult | undefined): string {
  if (k === undefined || k.value === null) return '-';
  if (k.unit === 'share') return `${(k.value * 100).toFixed(1)}%`;
  if (k.unit === 'amount') return k.value.toFixed(2);
  return k.value.toFixed(1);
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

// Left-aligns the first column and right-aligns the rest, which hold numbers.
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) =>
    (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)]
    .map((l) => `  ${l}`).join('\n');
}
