/**
 * The receivables KPIs as data: each names what it needs, how one invoice contributes, and why
 * an invoice may be skipped. Every KPI is a ratio of sums over invoices (num ÷ den), which makes
 * a plain mean (den 1), an amount-weighted mean (den = amount) and a rate (num 0 or 1) the same
 * computation, for the whole log, per group and per month alike.
 */
import type { AttributeKey, Role } from './roles.js';
import { DAY_MS, utcDay, type CaseMetrics } from './case-metrics.js';

/** The unit a KPI value is in. */
export type KpiUnit = 'days' | 'share' | 'reminders' | 'amount';

/** A case is outside the KPI's population (not counted as used or skipped). */
export const OUT = -2;
/** A case contributes `out[0]` to the numerator and `out[1]` to the denominator. */
export const USED = -1;

/** Context every KPI may read. */
export interface KpiContext {
  asOf: number;
  smallDispute: number;
}

/** One KPI's definition. */
export interface KpiSpec {
  id: string;
  unit: KpiUnit;
  definition: string;
  roles: Role[];
  attributes: AttributeKey[];
  /** Skip reasons; `contribute` returns an index into this list. */
  reasons: string[];
  /** True when the value is the sum of the numerators (no division). */
  sum?: boolean;
  /** True when the KPI needs to know when invoices close (a cleared or a payment role). */
  needsClosure?: boolean;
  /**
   * Writes the case's numerator and denominator into `out` and returns {@link USED}, or returns
   * {@link OUT} or the index of a skip reason.
   */
  contribute(m: CaseMetrics, c: number, ctx: KpiContext, out: Float64Array): number;
}

const OPEN = 'not paid by the as-of date';
const NO_PAY = 'closed without a payment';
const NO_AMOUNT = 'no invoice amount';
const NO_DUE = 'no due date';

// The paid-invoice population: 0 = paid, else a reason index into [OPEN, NO_PAY].
function paidState(m: CaseMetrics, c: number): number {
  if (Number.isNaN(m.closedAt[c])) return 1;
  return m.payments[c] > 0 ? 0 : 2;
}

function inScope(m: CaseMetrics, c: number): boolean {
  return !Number.isNaN(m.created[c]);
}

function mean(out: Float64Array, v: number): number {
  out[0] = v;
  out[1] = 1;
  return USED;
}

function paidDays(
  m: CaseMetrics, c: number, out: Float64Array, value: (c: number) => number,
): number {
  if (!inScope(m, c)) return OUT;
  const s = paidState(m, c);
  if (s !== 0) return s - 1;
  return mean(out, value(c));
}

const daysToPay = (m: CaseMetrics, c: number) => (m.lastPayment[c] - m.created[c]) / DAY_MS;

/** Every KPI computed by the ratio-of-sums rule (the KM median and DSO are computed apart). */
export const KPI_SPECS: readonly KpiSpec[] = [
  {
    id: 'days-to-pay', unit: 'days', roles: ['payment'], attributes: [], reasons: [OPEN, NO_PAY],
    definition: 'mean days from invoice creation to its last payment, over invoices paid and '
      + 'closed by the as-of date (open invoices are left out: see days-to-pay-km-median)',
    contribute: (m, c, _x, out) => paidDays(m, c, out, (i) => daysToPay(m, i)),
  },
  {
    id: 'days-to-pay-weighted', unit: 'days', roles: ['payment'], attributes: ['amount'],
    reasons: [OPEN, NO_PAY, NO_AMOUNT],
    definition: 'days from creation to last payment, averaged with each paid invoice weighted '
      + 'by its invoice amount',
    contribute: (m, c, _x, out) => weighted(m, c, out, daysToPay(m, c), 2,
      paidState(m, c)),
  },
  {
    id: 'days-to-clear', unit: 'days', roles: ['cleared'], attributes: [], reasons: [OPEN],
    definition: 'mean days from invoice creation to its first clearing, over invoices cleared '
      + 'by the as-of date',
    contribute: (m, c, _x, out) => {
      if (!inScope(m, c)) return OUT;
      if (Number.isNaN(m.cleared[c])) return 0;
      return mean(out, (m.cleared[c] - m.created[c]) / DAY_MS);
    },
  },
  {
    id: 'days-to-clear-weighted', unit: 'days', roles: ['cleared'], attributes: ['amount'],
    reasons: [OPEN, NO_AMOUNT],
    definition: 'days from creation to clearing, averaged with each cleared invoice weighted '
      + 'by its invoice amount',
    contribute: (m, c, _x, out) => weighted(m, c, out,
      (m.cleared[c] - m.created[c]) / DAY_MS, 1, Number.isNaN(m.cleared[c]) ? 1 : 0),
  },
  {
    id: 'days-past-due', unit: 'days', roles: ['payment'], attributes: ['dueDate'],
    reasons: [OPEN, NO_PAY, NO_DUE],
    definition: 'mean whole UTC calendar days from the due date to the last payment over paid '
      + 'invoices with a due date (negative: paid early)',
    contribute: (m, c, _x, out) => dueBased(m, c, out, (d) => d),
  },
  {
    id: 'on-time-rate', unit: 'share', roles: ['payment'], attributes: ['dueDate'],
    reasons: [OPEN, NO_PAY, NO_DUE],
    definition: 'share of paid invoices whose last payment falls on or before the due date '
      + '(UTC calendar date)',
    contribute: (m, c, _x, out) => dueBased(m, c, out, (d) => (d <= 0 ? 1 : 0)),
  },
  {
    id: 'payment-terms-compliance', unit: 'share', roles: ['payment'],
    attributes: ['paymentTerms'], reasons: [OPEN, NO_PAY, 'no readable payment terms'],
    definition: 'share of paid invoices whose last payment came within the payment terms '
      + '(UTC calendar days from creation, "Net 30" = 30 days)',
    contribute: (m, c, _x, out) => {
      if (!inScope(m, c)) return OUT;
      const s = paidState(m, c);
      if (s !== 0) return s - 1;
      if (Number.isNaN(m.termsDays[c])) return 2;
      const days = utcDay(m.lastPayment[c]) - utcDay(m.created[c]);
      return mean(out, days <= m.termsDays[c] ? 1 : 0);
    },
  },
  {
    id: 'dispute-rate', unit: 'share', roles: ['dispute-opened'], attributes: [], reasons: [],
    definition: 'share of all invoices with at least one dispute opened',
    contribute: (m, c, _x, out) => (inScope(m, c) ? mean(out, m.disputes[c] > 0 ? 1 : 0) : OUT),
  },
  {
    id: 'dispute-resolution-days', unit: 'days', roles: ['dispute-opened', 'dispute-resolved'],
    attributes: [], reasons: ['dispute not resolved by the as-of date'],
    definition: 'mean days from the first dispute opened to the first resolution after it, '
      + 'over disputed invoices',
    contribute: (m, c, _x, out) => {
      if (!inScope(m, c) || m.disputes[c] === 0) return OUT;
      if (Number.isNaN(m.disputeResolved[c])) return 0;
      return mean(out, (m.disputeResolved[c] - m.disputeOpened[c]) / DAY_MS);
    },
  },
  {
    id: 'small-dispute-share', unit: 'share', roles: ['dispute-opened'], attributes: ['amount'],
    reasons: [NO_AMOUNT],
    definition: 'share of disputed invoices whose invoice amount is under the small-dispute '
      + 'threshold',
    contribute: (m, c, x, out) => smallDispute(m, c, out, (small) => small ? 1 : 0, x),
  },
  {
    id: 'small-dispute-amount', unit: 'amount', roles: ['dispute-opened'], attributes: ['amount'],
    reasons: [NO_AMOUNT], sum: true,
    definition: 'total invoice amount of disputed invoices under the small-dispute threshold '
      + '(amounts added as written, whatever their currency)',
    contribute: (m, c, x, out) => smallDispute(m, c, out,
      (small) => (small ? m.amount[c] : 0), x),
  },
  {
    id: 'small-dispute-cost-days', unit: 'days', roles: ['dispute-opened'],
    attributes: ['amount'], reasons: [NO_AMOUNT], sum: true,
    definition: 'total days disputes under the small-dispute threshold stayed open (opened → '
      + 'resolved, or → the as-of date when unresolved): the handling they cost',
    contribute: (m, c, x, out) => smallDispute(m, c, out, (small) => {
      if (!small) return 0;
      const end = Number.isNaN(m.disputeResolved[c]) ? x.asOf : m.disputeResolved[c];
      return (end - m.disputeOpened[c]) / DAY_MS;
    }, x),
  },
  {
    id: 'credit-note-delay-days', unit: 'days',
    roles: ['dispute-opened', 'dispute-resolved', 'credit-note'], attributes: [], reasons: [],
    definition: 'mean days from a dispute\'s resolution to the credit note that follows it',
    contribute: (m, c, _x, out) => {
      if (!inScope(m, c) || Number.isNaN(m.disputeResolved[c]) || Number.isNaN(m.creditNote[c])) {
        return OUT;
      }
      return mean(out, (m.creditNote[c] - m.disputeResolved[c]) / DAY_MS);
    },
  },
  {
    id: 'credit-note-to-clear-days', unit: 'days', roles: ['credit-note', 'cleared'],
    attributes: [], reasons: ['not cleared by the as-of date'],
    definition: 'mean days from the credit note to the clearing of the invoice',
    contribute: (m, c, _x, out) => {
      if (!inScope(m, c) || Number.isNaN(m.creditNote[c])) return OUT;
      if (Number.isNaN(m.cleared[c])) return 0;
      return mean(out, (m.cleared[c] - m.creditNote[c]) / DAY_MS);
    },
  },
  {
    id: 'cash-app-automation-rate', unit: 'share', roles: ['cash-applied'],
    attributes: ['automated'], reasons: ['automated flag missing'],
    definition: 'share of cash-applied events whose automated flag is true (over events that '
      + 'carry the flag)',
    contribute: (m, c, _x, out) => {
      if (!inScope(m, c) || m.cashApplied[c] === 0) return OUT;
      if (m.cashFlagged[c] === 0) return 0;
      out[0] = m.cashAutomated[c];
      out[1] = m.cashFlagged[c];
      return USED;
    },
  },
  {
    id: 'promise-kept-rate', unit: 'share', roles: ['promise', 'payment'],
    attributes: ['promisedDate'], reasons: [OPEN, NO_PAY, 'no promised date'],
    definition: 'share of promises to pay (with a promised date, on paid invoices) after which '
      + 'the last payment fell on or before the promised date plus the grace days (UTC dates)',
    contribute: (m, c, _x, out) => {
      if (!inScope(m, c) || m.promises[c] === 0) return OUT;
      const s = paidState(m, c);
      if (s !== 0) return s - 1;
      if (m.promisesDated[c] === 0) return 2;
      out[0] = m.promisesKept[c];
      out[1] = m.promisesDated[c];
      return USED;
    },
  },
  {
    id: 'dunning-rate', unit: 'share', roles: ['dunning'], attributes: [], reasons: [],
    definition: 'share of all invoices that received at least one dunning reminder',
    contribute: (m, c, _x, out) => (inScope(m, c) ? mean(out, m.dunnings[c] > 0 ? 1 : 0) : OUT),
  },
  {
    id: 'dunning-before-payment', unit: 'reminders', roles: ['dunning', 'payment'],
    attributes: [], reasons: [OPEN, NO_PAY],
    definition: 'mean number of dunning reminders sent before the last payment, over paid '
      + 'invoices',
    contribute: (m, c, _x, out) => paidDays(m, c, out, (i) => m.dunningBeforePay[i]),
  },
  {
    id: 'dunning-to-payment-days', unit: 'days', roles: ['dunning', 'payment'], attributes: [],
    reasons: [OPEN, NO_PAY],
    definition: 'mean days from the last reminder before payment to the last payment, over '
      + 'paid invoices that were reminded',
    contribute: (m, c, _x, out) => {
      if (!inScope(m, c) || Number.isNaN(m.lastDunningBeforePay[c])) return OUT;
      return paidDays(m, c, out, (i) => (m.lastPayment[i] - m.lastDunningBeforePay[i]) / DAY_MS);
    },
  },
  {
    id: 'partial-payment-share', unit: 'share', roles: ['payment'], attributes: [],
    reasons: [OPEN, NO_PAY],
    definition: 'share of paid invoices paid in two or more payments',
    contribute: (m, c, _x, out) => paidDays(m, c, out, (i) => (m.payments[i] >= 2 ? 1 : 0)),
  },
  {
    id: 'partial-payment-days-to-pay', unit: 'days', roles: ['payment'], attributes: [],
    reasons: [OPEN],
    definition: 'mean days from creation to the last payment over paid invoices paid in two '
      + 'or more payments (compare with days-to-pay)',
    contribute: (m, c, _x, out) => {
      if (!inScope(m, c) || m.payments[c] < 2) return OUT;
      return paidDays(m, c, out, (i) => daysToPay(m, i));
    },
  },
  {
    id: 'paid-share', unit: 'share', roles: ['payment'], attributes: [], reasons: [],
    definition: 'share of all invoices paid (closed with at least one payment) by the as-of date',
    contribute: (m, c, _x, out) => (inScope(m, c)
      ? mean(out, paidState(m, c) === 0 ? 1 : 0) : OUT),
  },
  {
    id: 'open-at-cutoff-share', unit: 'share', roles: [], attributes: [], reasons: [],
    needsClosure: true,
    definition: 'share of all invoices not closed (cleared, or paid when the log has no '
      + 'clearing) at the as-of date',
    contribute: (m, c, _x, out) => (inScope(m, c)
      ? mean(out, Number.isNaN(m.closedAt[c]) ? 1 : 0) : OUT),
  },
];

function weighted(
  m: CaseMetrics, c: number, out: Float64Array, value: number, amountReason: number,
  state: number,
): number {
  if (!inScope(m, c)) return OUT;
  if (state !== 0) return state - 1;
  const w = m.amount[c];
  if (!(w > 0)) return amountReason;
  out[0] = value * w;
  out[1] = w;
  return USED;
}

function dueBased(
  m: CaseMetrics, c: number, out: Float64Array, value: (daysLate: number) => number,
): number {
  if (!inScope(m, c)) return OUT;
  const s = paidState(m, c);
  if (s !== 0) return s - 1;
  if (Number.isNaN(m.dueDate[c])) return 2;
  return mean(out, value(utcDay(m.lastPayment[c]) - utcDay(m.dueDate[c])));
}

function smallDispute(
  m: CaseMetrics, c: number, out: Float64Array, value: (small: boolean) => number,
  x: KpiContext,
): number {
  if (!inScope(m, c) || m.disputes[c] === 0) return OUT;
  if (Number.isNaN(m.amount[c])) return 0;
  return mean(out, value(m.amount[c] < x.smallDispute));
}
