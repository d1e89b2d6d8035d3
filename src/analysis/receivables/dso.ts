/**
 * A process-based DSO (days sales outstanding), read from the invoices' own timelines instead
 * of a balance sheet.
 *
 * DSO at an instant T = (amount open at T over invoices created by T) ÷ (invoice amount created
 * in the 90 days up to T) × 90. An invoice is open at T until it closes (its clearing, or its
 * last payment when the log has no clearing); while open, its open amount is its amount less
 * the payments received by T (the payment-amount attribute), never below 0 and never above its
 * amount: a negative payment is a refund, which reopens what it returns, but an invoice never
 * owes more than it was issued for. A payment amount that is there but is no finite number
 * (`50 EUR`) is skipped and counted in the report's notes. When no payment in the log carries
 * an amount, a partly paid invoice counts in full until it closes, and the definition says so.
 * When the sums overflow (amounts near 1e308) the value is null and the KPI's note says why.
 */
import { DAY_MS, type CaseMetrics } from './case-metrics.js';
import type { KpiResult } from './aggregate.js';

/** Id of the DSO KPI. */
export const DSO_ID = 'dso';
/** Days of sales the DSO window spans. */
export const DSO_WINDOW_DAYS = 90;

const NETTED = 'open amount at the date ÷ amount invoiced in the 90 days up to it × 90; an '
  + 'invoice is open until cleared (or paid, without clearing), for its amount less the '
  + 'payment amounts received by the date (a negative one is a refund), never below 0 nor '
  + 'above the invoice amount; in a trend, taken at each month\'s end';
const GROSS = 'open invoice amount at the date ÷ amount invoiced in the 90 days up to it × 90, '
  + 'an invoice counting in full until cleared (or paid, without clearing), since no payment '
  + 'carries an amount; in a trend, taken at each month\'s end';
const NO_AMOUNT = 'no invoice amount';
const WINDOW_MS = DSO_WINDOW_DAYS * DAY_MS;

/** The note of a DSO whose sums are not finite numbers. */
export const DSO_OVERFLOW_NOTE = 'the open or invoiced amount adds up to more than a number can '
  + 'hold (amounts near 1e308): check the invoice and payment amount columns';

/** The report note for payment amounts that are there but cannot be read. */
export function unreadablePaymentsNote(count: number): string {
  return `paymentAmountsUnreadable: ${count} payment amounts are no finite number (e.g. "50 `
    + 'EUR" or "1e999") and are skipped when netting DSO; write amounts as plain numbers, '
    + 'with the currency in a column of its own';
}

/** True when partial payments can be netted: some payment in the log carries an amount. */
export function dsoNets(m: CaseMetrics): boolean {
  return m.paymentLog.time.length > 0;
}

/** The note a report carries when DSO cannot net partial payments. */
export const DSO_GROSS_NOTE = 'no payment carries a payment amount: DSO counts a partly paid '
  + 'invoice in full until it closes';

/**
 * DSO at `at`, for the whole log (slot 0) and each group (slot 1 + group index).
 */
export function dsoAt(
  m: CaseMetrics, at: number, groupOf: Int32Array | null, groupCount: number,
): KpiResult[] {
  const slots = 1 + groupCount;
  const open = new Float64Array(slots);
  const invoiced = new Float64Array(slots);
  const used = new Float64Array(slots);
  const skipped = new Float64Array(slots);
  const windowStart = at - WINDOW_MS;
  for (let c = 0; c < m.caseCount; c++) {
    const created = m.created[c];
    if (!(created <= at)) continue;
    const g = groupOf !== null && groupOf[c] >= 0 ? 1 + groupOf[c] : -1;
    const amount = m.amount[c];
    if (Number.isNaN(amount)) {
      skipped[0]++;
      if (g > 0) skipped[g]++;
      continue;
    }
    const openAmount = m.closedAt[c] <= at ? 0 : openAt(m, c, amount, at);
    const newAmount = created > windowStart ? amount : 0;
    used[0]++;
    open[0] += openAmount;
    invoiced[0] += newAmount;
    if (g > 0) {
      used[g]++;
      open[g] += openAmount;
      invoiced[g] += newAmount;
    }
  }
  const definition = dsoNets(m) ? NETTED : GROSS;
  const results: KpiResult[] = [];
  for (let s = 0; s < slots; s++) results.push(result(open[s], invoiced[s], used[s], skipped[s],
    definition));
  return results;
}

/**
 * DSO of the whole log at each instant of `ends` (ascending), equal entry for entry to
 * `dsoAt(m, ends[j], null, 0)[0]`, in one pass over the invoices: each invoice touches only
 * the instants at which it is open or inside the 90-day window, and adds to each sum in the
 * same invoice order as `dsoAt` does (a skipped term is a +0, which changes no sum).
 */
export function dsoTrend(m: CaseMetrics, ends: Float64Array): KpiResult[] {
  const count = ends.length;
  const open = new Float64Array(count);
  const invoiced = new Float64Array(count);
  // Invoices created by ends[j] are counted from their first instant on: difference arrays.
  const usedFrom = new Float64Array(count + 1);
  const skippedFrom = new Float64Array(count + 1);
  for (let c = 0; c < m.caseCount; c++) {
    const created = m.created[c];
    if (Number.isNaN(created)) continue;
    const first = firstAtOrAfter(ends, created);
    if (first === count) continue;
    const amount = m.amount[c];
    if (Number.isNaN(amount)) {
      skippedFrom[first]++;
      continue;
    }
    usedFrom[first]++;
    const closedAt = m.closedAt[c];
    for (let j = first; j < count && !(closedAt <= ends[j]); j++) {
      open[j] += openAt(m, c, amount, ends[j]);
    }
    for (let j = first; j < count && created > ends[j] - WINDOW_MS; j++) invoiced[j] += amount;
  }
  const definition = dsoNets(m) ? NETTED : GROSS;
  const results: KpiResult[] = [];
  let used = 0;
  let skipped = 0;
  for (let j = 0; j < count; j++) {
    used += usedFrom[j];
    skipped += skippedFrom[j];
    results.push(result(open[j], invoiced[j], used, skipped, definition));
  }
  return results;
}

// Amount less the payments (with an amount) received by `at`, never below 0 nor above the
// amount (a refund cannot make an invoice owe more than it was issued for). Payments are in
// time order, so the sum stops at the first later one; the additions run in the same order as
// the pass's paidAmount, so at the as-of date the two agree exactly.
function openAt(m: CaseMetrics, c: number, amount: number, at: number): number {
  const log = m.paymentLog;
  const from = log.start[c];
  const to = log.start[c + 1];
  if (from === to) return amount;
  let paid = 0;
  for (let i = from; i < to && log.time[i] <= at; i++) paid += log.amount[i];
  return Math.max(0, Math.min(amount, amount - paid));
}

function firstAtOrAfter(ends: Float64Array, t: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid] >= t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function result(
  open: number, invoiced: number, used: number, skipped: number, definition: string,
): KpiResult {
  const value = invoiced > 0 ? (open / invoiced) * DSO_WINDOW_DAYS : null;
  const finite = value === null || Number.isFinite(value);
  return {
    id: DSO_ID, value: finite ? value : null,
    unit: 'days', definition, casesUsed: used, casesSkipped: skipped,
    skippedBy: skipped > 0 ? { [NO_AMOUNT]: skipped } : {},
    ...(finite ? {} : { note: DSO_OVERFLOW_NOTE }),
  };
}
