/**
 * KPI cards, aging and stuck-invoice tables of a receivables report as HTML.
 * @internal
 */
import type { ReceivablesReport } from '../analysis/receivables/index.js';
import type { KpiResult } from '../analysis/receivables/index.js';
import {
  escapeHtml, formatAmount, formatCount, formatDays, formatPercent, htmlTable,
} from './html.js';

/** A KPI value in its unit: days, a share, reminders or an amount. */
export function formatKpiValue(kpi: Pick<KpiResult, 'value' | 'unit'>): string {
  if (kpi.value === null) return '–';
  switch (kpi.unit) {
    case 'days': return formatDays(kpi.value);
    case 'share': return formatPercent(kpi.value);
    case 'amount': return formatAmount(kpi.value);
    default: return kpi.value.toFixed(2);
  }
}

/** One card per KPI, its definition as the tooltip and the cases it used and skipped. */
export function kpiCardsHtml(report: ReceivablesReport): string {
  const cards = report.kpis.map((k) => `<div class="card" title="${escapeHtml(k.definition)}">` +
    `<div class="label">${escapeHtml(k.id.replace(/-/g, ' '))}</div>` +
    `<div class="value" data-kpi="${escapeHtml(k.id)}">${escapeHtml(formatKpiValue(k))}</div>` +
    `<div class="note">${formatCount(k.casesUsed)} invoices used, ` +
    `${formatCount(k.casesSkipped)} skipped</div></div>`);
  const missing = report.unavailable.length === 0 ? ''
    : htmlTable(['not computed', 'why'], report.unavailable.map((u) => [u.id, u.reason]));
  const notes = report.notes.map((n) => `<p class="sub">${escapeHtml(n)}</p>`).join('');
  return `<p class="sub">As of ${escapeHtml(report.asOf)}: ${formatCount(report.invoices)} ` +
    `invoices. Hover a card for its definition.</p>\n<div class="cards">\n${cards.join('\n')}` +
    `\n</div>\n${missing}${notes}`;
}

/** The aging buckets and the longest-idle open invoices. */
export function agingHtml(report: ReceivablesReport): string {
  const a = report.aging;
  const aging = htmlTable(['days past due', 'invoices', 'open amount'], a.buckets.map((b) => [
    b.label, b.invoices, { html: `<span class="num">${formatAmount(b.amount)}</span>` },
  ]), `${formatCount(a.openInvoices)} open invoices as of ${a.asOf}` +
    (a.amountUnknown > 0 ? `; ${formatCount(a.amountUnknown)} without a known amount` : ''));
  const s = report.stuck;
  const stuck = s.top.length === 0 ? '' : htmlTable(
    ['invoice', 'last activity', 'last event', 'days idle', 'open amount'],
    s.top.map((i) => [i.invoice, i.lastActivity, i.lastEventAt.slice(0, 10), i.daysIdle,
      formatAmount(i.openAmount)]),
    `${formatCount(s.count)} stuck invoices (no event for more than ${s.days} days)`);
  return `<div class="two"><div>${aging}</div><div>${stuck}</div></div>`;
}
