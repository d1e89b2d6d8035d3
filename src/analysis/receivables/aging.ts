/**
 * Aging of the open invoices at the as-of date, and the stuck ones among them.
 */
import type { CompiledLog } from '../../log/compiled-log.js';
import { DAY_MS, utcDay, type CaseMetrics } from './case-metrics.js';

/** One aging bucket. */
export interface AgingBucket {
  label: string;
  invoices: number;
  /** Open amount: invoice amount less payments received (amounts added as written). */
  amount: number;
}

/** Aging of the open invoices. */
export interface Aging {
  asOf: string;
  /** current, 1–30, 31–60, 61–90, over 90 days past due, then "no due date". */
  buckets: AgingBucket[];
  openInvoices: number;
  /** Open invoices whose amount is unknown (counted, not in any bucket's amount). */
  amountUnknown: number;
}

/** An open invoice with no event for a long time. */
export interface StuckInvoice {
  invoice: string;
  lastActivity: string;
  lastEventAt: string;
  daysIdle: number;
  /** Open amount, null when unknown. */
  openAmount: number | null;
}

/** Stuck invoices: how many, and the worst first. */
export interface StuckReport {
  days: number;
  count: number;
  top: StuckInvoice[];
}

const LABELS = ['current', '1-30', '31-60', '61-90', 'over 90', 'no due date'];

function openAmountOf(m: CaseMetrics, c: number): number {
  const paid = Number.isNaN(m.paidAmount[c]) ? 0 : m.paidAmount[c];
  // As in DSO: a refund (negative payment) never makes the invoice owe more than its amount.
  return Math.max(0, Math.min(m.amount[c], m.amount[c] - paid));
}

function isOpen(m: CaseMetrics, c: number): boolean {
  return !Number.isNaN(m.created[c]) && Number.isNaN(m.closedAt[c]);
}

/** Ages the invoices open at `asOf` by whole UTC days past their due date. */
export function computeAging(m: CaseMetrics, asOf: number): Aging {
  const invoices = new Float64Array(LABELS.length);
  const amounts = new Float64Array(LABELS.length);
  const today = utcDay(asOf);
  let open = 0;
  let unknown = 0;
  for (let c = 0; c < m.caseCount; c++) {
    if (!isOpen(m, c)) continue;
    open++;
    let b = LABELS.length - 1;
    if (!Number.isNaN(m.dueDate[c])) {
      const late = today - utcDay(m.dueDate[c]);
      b = late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : 4;
    }
    invoices[b]++;
    if (Number.isNaN(m.amount[c])) unknown++;
    else amounts[b] += openAmountOf(m, c);
  }
  return {
    asOf: new Date(asOf).toISOString(),
    buckets: LABELS.map((label, i) => ({ label, invoices: invoices[i], amount: amounts[i] })),
    openInvoices: open,
    amountUnknown: unknown,
  };
}

/** Open invoices with no event for more than `days` days before `asOf`, longest idle first. */
export function findStuck(
  log: CompiledLog, m: CaseMetrics, asOf: number, days: number, limit: number,
): StuckReport {
  const limitMs = days * DAY_MS;
  let count = 0;
  for (let c = 0; c < m.caseCount; c++) {
    if (isOpen(m, c) && asOf - m.lastEvent[c] > limitMs) count++;
  }
  const stuck = new Int32Array(count);
  let k = 0;
  for (let c = 0; c < m.caseCount; c++) {
    if (isOpen(m, c) && asOf - m.lastEvent[c] > limitMs) stuck[k++] = c;
  }
  // Oldest last event first; equal ones by invoice order, so the list is deterministic.
  stuck.sort((a, b) => m.lastEvent[a] - m.lastEvent[b] || a - b);
  const top: StuckInvoice[] = [];
  for (let i = 0; i < Math.min(limit, count); i++) {
    const c = stuck[i];
    top.push({
      invoice: log.caseIds[c],
      lastActivity: log.activities[m.lastActivity[c]],
      lastEventAt: new Date(m.lastEvent[c]).toISOString(),
      daysIdle: (asOf - m.lastEvent[c]) / DAY_MS,
      openAmount: Number.isNaN(m.amount[c]) ? null : openAmountOf(m, c),
    });
  }
  return { days, count, top };
}
