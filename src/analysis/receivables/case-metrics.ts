/**
 * Per-invoice facts in one pass over the compiled log, into typed arrays: one Float64Array per
 * metric (NaN = not applicable), indexed by case code. No object is made per case, so a log of
 * a million invoices costs a few dozen arrays, not a million objects.
 */
import type { CompiledLog } from '../../log/compiled-log.js';
import { parseIsoTimestamp } from '../../ingest/timestamp.js';
import {
  ROLE_BIT, flagAt, makeTextReader, numberAt, type BoundAttribute, type BoundRoles,
} from './resolve.js';

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** The UTC calendar day (days since the epoch) of an instant. */
export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** What the pass found for every case; each array has one entry per case code. */
export interface CaseMetrics {
  caseCount: number;
  /** First event of the created role (or the first event, when the log has no such role). */
  created: Float64Array;
  /** Time and activity code of the last event up to the as-of date (-1: none). */
  lastEvent: Float64Array;
  lastActivity: Int32Array;
  firstPayment: Float64Array;
  lastPayment: Float64Array;
  /** Number of payment events. */
  payments: Float64Array;
  /** Sum of the payment-amount attribute over payment events; NaN when none carries one. */
  paidAmount: Float64Array;
  /** First cleared event. */
  cleared: Float64Array;
  /** When the invoice closed: cleared, or last payment when the log has no cleared role. */
  closedAt: Float64Array;
  disputes: Float64Array;
  disputeOpened: Float64Array;
  /** First dispute-resolved event at or after the first dispute-opened one. */
  disputeResolved: Float64Array;
  /** First credit note at or after the dispute was resolved (or the first one, undisputed). */
  creditNote: Float64Array;
  cashApplied: Float64Array;
  /** Cash-applied events whose automated flag is true, and those with a known flag. */
  cashAutomated: Float64Array;
  cashFlagged: Float64Array;
  promises: Float64Array;
  /** Promises that carry a promised date, and of those the ones kept (on paid invoices). */
  promisesDated: Float64Array;
  promisesKept: Float64Array;
  dunnings: Float64Array;
  /** Dunning events before the last payment, and the last of them. */
  dunningBeforePay: Float64Array;
  lastDunningBeforePay: Float64Array;
  amount: Float64Array;
  dueDate: Float64Array;
  /** Days of the payment terms ("Net 30" → 30). */
  termsDays: Float64Array;
  /** Per activity code: occurrences beyond the first within a case, summed over cases. */
  reworkRepeats: Float64Array;
  /** Per activity code: cases that repeat it, and their invoice amounts. */
  reworkCases: Float64Array;
  reworkAmount: Float64Array;
}

/** Inputs of the pass besides the log. */
export interface PassOptions {
  /** Events after this instant are ignored. */
  asOf: number;
  graceDays: number;
}

/** Computes {@link CaseMetrics} over `log` in one pass over its events. */
export function computeCaseMetrics(
  log: CompiledLog, bound: BoundRoles, options: PassOptions,
): CaseMetrics {
  const n = log.caseCount;
  const nan = () => new Float64Array(n).fill(NaN);
  const zero = () => new Float64Array(n);
  const m: CaseMetrics = {
    caseCount: n, created: nan(), lastEvent: nan(), lastActivity: new Int32Array(n).fill(-1),
    firstPayment: nan(), lastPayment: nan(), payments: zero(), paidAmount: nan(), cleared: nan(),
    closedAt: nan(), disputes: zero(), disputeOpened: nan(), disputeResolved: nan(),
    creditNote: nan(), cashApplied: zero(), cashAutomated: zero(), cashFlagged: zero(),
    promises: zero(), promisesDated: zero(), promisesKept: zero(), dunnings: zero(),
    dunningBeforePay: zero(), lastDunningBeforePay: nan(), amount: nan(), dueDate: nan(),
    termsDays: nan(), reworkRepeats: new Float64Array(log.activities.length),
    reworkCases: new Float64Array(log.activities.length),
    reworkAmount: new Float64Array(log.activities.length),
  };
  const attrs = bound.attributes;
  const readNumber = makeTextReader(parseAmount);
  const readDate = makeTextReader(parseIsoTimestamp);
  const readTerms = makeTextReader(parseTermsDays);
  fillCaseScoped(m.amount, attrs.amount, readNumber);
  fillCaseScoped(m.dueDate, attrs.dueDate, readDate);
  fillCaseScoped(m.termsDays, attrs.paymentTerms, readTerms);

  const eventAmount = eventScoped(attrs.amount);
  const eventDue = eventScoped(attrs.dueDate);
  const eventTerms = eventScoped(attrs.paymentTerms);
  const payAmount = eventScoped(attrs.paymentAmount);
  const promised = eventScoped(attrs.promisedDate);
  const automated = eventScoped(attrs.automated);
  const noCreatedRole = !bound.present.has('created');
  const hasCleared = bound.present.has('cleared');

  const mask = bound.roleMask;
  const { offsets, activity, time } = log;
  const asOf = options.asOf;
  // Scratch reused across cases: promised days of the current case, and per-activity stamps
  // that tell whether an activity was already seen in this case (and already counted as rework).
  let promisedDays = new Float64Array(8);
  const seenIn = new Int32Array(log.activities.length).fill(-1);
  const reworkIn = new Int32Array(log.activities.length).fill(-1);
  const B = ROLE_BIT;

  for (let c = 0; c < n; c++) {
    let promiseCount = 0;
    let dunningsSoFar = 0;
    let lastDunning = NaN;
    let paid = NaN;
    let payments = 0;
    let hadRework = false;
    for (let k = offsets[c], end = offsets[c + 1]; k < end; k++) {
      const t = time[k];
      if (t > asOf) break;
      const a = activity[k];
      m.lastEvent[c] = t;
      m.lastActivity[c] = a;
      if (seenIn[a] === c) {
        m.reworkRepeats[a]++;
        if (reworkIn[a] !== c) {
          reworkIn[a] = c;
          hadRework = true;
          m.reworkCases[a]++;
        }
      } else seenIn[a] = c;
      if (eventAmount !== null && Number.isNaN(m.amount[c])) {
        m.amount[c] = numberAt(eventAmount, k, readNumber);
      }
      if (eventDue !== null && Number.isNaN(m.dueDate[c])) {
        m.dueDate[c] = numberAt(eventDue, k, readDate);
      }
      if (eventTerms !== null && Number.isNaN(m.termsDays[c])) {
        m.termsDays[c] = numberAt(eventTerms, k, readTerms);
      }
      const roles = mask[a];
      if (roles === 0) {
        if (noCreatedRole && Number.isNaN(m.created[c])) m.created[c] = t;
        continue;
      }
      if ((roles & B.created) !== 0 || noCreatedRole) {
        if (Number.isNaN(m.created[c])) m.created[c] = t;
      }
      if ((roles & B.dunning) !== 0) {
        m.dunnings[c]++;
        dunningsSoFar++;
        lastDunning = t;
      }
      if ((roles & B.promise) !== 0) {
        const day = promised === null ? NaN : numberAt(promised, k, readDate);
        if (!Number.isNaN(day)) {
          if (promiseCount === promisedDays.length) {
            const grown = new Float64Array(promiseCount * 2);
            grown.set(promisedDays);
            promisedDays = grown;
          }
          promisedDays[promiseCount++] = utcDay(day);
        }
        m.promises[c]++;
      }
      if ((roles & B['dispute-opened']) !== 0) {
        if (m.disputes[c] === 0) m.disputeOpened[c] = t;
        m.disputes[c]++;
      }
      if ((roles & B['dispute-resolved']) !== 0 && m.disputes[c] > 0
        && Number.isNaN(m.disputeResolved[c])) m.disputeResolved[c] = t;
      if ((roles & B['credit-note']) !== 0 && Number.isNaN(m.creditNote[c])
        && (m.disputes[c] === 0 || !Number.isNaN(m.disputeResolved[c]))) m.creditNote[c] = t;
      if ((roles & B.payment) !== 0) {
        if (payments === 0) m.firstPayment[c] = t;
        payments++;
        paid = t;
        m.dunningBeforePay[c] = dunningsSoFar;
        m.lastDunningBeforePay[c] = lastDunning;
        if (payAmount !== null) {
          const v = numberAt(payAmount, k, readNumber);
          const before = m.paidAmount[c];
          if (!Number.isNaN(v)) m.paidAmount[c] = (Number.isNaN(before) ? 0 : before) + v;
        }
      }
      if ((roles & B['cash-applied']) !== 0) {
        m.cashApplied[c]++;
        const flag = automated === null ? -1 : flagAt(automated, k);
        if (flag >= 0) {
          m.cashFlagged[c]++;
          m.cashAutomated[c] += flag;
        }
      }
      if ((roles & B.cleared) !== 0 && Number.isNaN(m.cleared[c])) m.cleared[c] = t;
    }
    m.payments[c] = payments;
    m.lastPayment[c] = paid;
    m.closedAt[c] = hasCleared ? m.cleared[c] : paid;
    if (hadRework) addReworkAmount(m, c, reworkIn, offsets, activity);
    m.promisesDated[c] = promiseCount;
    if (payments > 0 && !Number.isNaN(m.closedAt[c])) {
      const payDay = utcDay(paid);
      let kept = 0;
      for (let i = 0; i < promiseCount; i++) {
        if (payDay <= promisedDays[i] + options.graceDays) kept++;
      }
      m.promisesKept[c] = kept;
    }
  }
  return m;
}

// Adds the case's amount to each activity it repeated; walks only the case's own events.
function addReworkAmount(
  m: CaseMetrics, c: number, reworkIn: Int32Array, offsets: Int32Array, activity: Int32Array,
): void {
  const amount = m.amount[c];
  if (Number.isNaN(amount)) return;
  for (let k = offsets[c], end = offsets[c + 1]; k < end; k++) {
    const a = activity[k];
    if (reworkIn[a] === c) {
      m.reworkAmount[a] += amount;
      reworkIn[a] = -3 - c; // counted: later events of this activity add nothing more
    }
  }
}

function fillCaseScoped(
  out: Float64Array, attr: BoundAttribute | null, read: ReturnType<typeof makeTextReader>,
): void {
  if (attr === null || attr.scope !== 'case') return;
  for (let c = 0; c < out.length; c++) out[c] = numberAt(attr.column, c, read);
}

function eventScoped(attr: BoundAttribute | null) {
  return attr !== null && attr.scope === 'event' ? attr.column : null;
}

/** Reads an amount written as text: `1234.50`, `1,234.50`, `1 234,50` is not guessed. */
export function parseAmount(text: string): number {
  const t = text.trim().replace(/,(?=\d{3}(\D|$))/g, '');
  return t === '' ? NaN : Number(t);
}

/** Days of payment terms written as `Net 30`, `30 days`, `30` or `N30`; NaN otherwise. */
export function parseTermsDays(text: string): number {
  const m = /^(?:net\s*|n)?(\d{1,4})(?:\s*days?)?$/i.exec(text.trim());
  return m === null ? NaN : Number(m[1]);
}
