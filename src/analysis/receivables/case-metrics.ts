/**
 * Per-invoice facts in one pass over the compiled log, into typed arrays: one Float64Array per
 * metric (NaN = not applicable), indexed by case code. No object is made per case, so a log of
 * a million invoices costs a few dozen arrays, not a million objects.
 */
import type { AttributeColumn, CompiledLog } from '../../log/compiled-log.js';
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
  /** Last payment up to the as-of date. */
  lastPayment: Float64Array;
  /** Number of payment events. */
  payments: Int32Array;
  /** Sum of the payment-amount attribute over payment events; NaN when none carries one. */
  paidAmount: Float64Array;
  /** First cleared event. */
  cleared: Float64Array;
  /** When the invoice closed: cleared, or last payment when the log has no cleared role. */
  closedAt: Float64Array;
  disputes: Int32Array;
  disputeOpened: Float64Array;
  /** First dispute-resolved event at or after the first dispute-opened one. */
  disputeResolved: Float64Array;
  /** First credit note at or after the dispute was resolved (or the first one, undisputed). */
  creditNote: Float64Array;
  cashApplied: Int32Array;
  /** Cash-applied events whose automated flag is true, and those with a known flag. */
  cashAutomated: Int32Array;
  cashFlagged: Int32Array;
  promises: Int32Array;
  /** Promises that carry a promised date, and of those the ones kept (on paid invoices). */
  promisesDated: Int32Array;
  promisesKept: Int32Array;
  dunnings: Int32Array;
  /** Dunning events before the last payment, and the last of them. */
  dunningBeforePay: Int32Array;
  lastDunningBeforePay: Float64Array;
  amount: Float64Array;
  dueDate: Float64Array;
  /** Days of the payment terms ("Net 30" → 30). */
  termsDays: Float64Array;
  /**
   * Payment events whose amount is there but is no finite number (`50 EUR`, `1e999`): skipped
   * in the netting, counted for the report's note.
   */
  paymentAmountsUnreadable: number;
  /** Payments that carry an amount, up to the as-of date, by case in time order. */
  paymentLog: PaymentLog;
  /** Per activity code: occurrences beyond the first within a case, summed over cases. */
  reworkRepeats: Float64Array;
  /** Per activity code: cases that repeat it, and their invoice amounts. */
  reworkCases: Float64Array;
  reworkAmount: Float64Array;
}

/**
 * Payment events with an amount, grouped by case: case `c`'s are `start[c]` to `start[c + 1]`,
 * in time order.
 */
export interface PaymentLog {
  start: Int32Array;
  time: Float64Array;
  amount: Float64Array;
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
  // Every per-case entry is written once at the end of its case, so no array needs a fill.
  // Counts are 32-bit integers: half the memory of a float column, and read back exactly.
  const f64 = () => new Float64Array(n);
  const i32 = () => new Int32Array(n);
  const m: CaseMetrics = {
    caseCount: n, created: f64(), lastEvent: f64(), lastActivity: new Int32Array(n),
    lastPayment: f64(), payments: i32(), paidAmount: f64(), cleared: f64(),
    closedAt: f64(), disputes: i32(), disputeOpened: f64(), disputeResolved: f64(),
    creditNote: f64(), cashApplied: i32(), cashAutomated: i32(), cashFlagged: i32(),
    promises: i32(), promisesDated: i32(), promisesKept: i32(), dunnings: i32(),
    dunningBeforePay: i32(), lastDunningBeforePay: f64(),
    amount: new Float64Array(n).fill(NaN), dueDate: new Float64Array(n).fill(NaN),
    termsDays: new Float64Array(n).fill(NaN),
    paymentAmountsUnreadable: 0,
    paymentLog: { start: new Int32Array(n + 1), time: new Float64Array(0),
      amount: new Float64Array(0) },
    reworkRepeats: new Float64Array(log.activities.length),
    reworkCases: new Float64Array(log.activities.length),
    reworkAmount: new Float64Array(log.activities.length),
  };
  const attrs = bound.attributes;
  const readNumber = makeTextReader(parseAmount);
  const readDate = makeTextReader(parseIsoTimestamp);
  const readTerms = makeTextReader(parseTermsDays);
  fillCaseScoped(m.amount, attrs.amount, parseAmount);
  fillCaseScoped(m.dueDate, attrs.dueDate, parseIsoTimestamp);
  fillCaseScoped(m.termsDays, attrs.paymentTerms, parseTermsDays);

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
  const grace = options.graceDays;
  // Scratch reused across cases: promised days of the current case, and per-activity stamps
  // that tell whether an activity was already seen in this case (and already counted as rework).
  let promisedDays = new Float64Array(8);
  const seenIn = new Int32Array(log.activities.length).fill(-1);
  const reworkIn = new Int32Array(log.activities.length).fill(-1);
  // Payments that carry an amount, case by case in time order (for DSO at past dates).
  const payStart = m.paymentLog.start;
  // Sized by the payment events in the log (a bound): growing by doubling copied and touched
  // twice the memory when invoices average just over one payment.
  const payBound = payAmount === null ? 0 : countRole(activity, mask, ROLE_BIT.payment);
  let payTimes: Float64Array = new Float64Array(Math.max(16, payBound));
  let payAmounts: Float64Array = new Float64Array(Math.max(16, payBound));
  let payCount = 0;
  const bCreated = ROLE_BIT.created;
  const bDunning = ROLE_BIT.dunning;
  const bPromise = ROLE_BIT.promise;
  const bOpened = ROLE_BIT['dispute-opened'];
  const bResolved = ROLE_BIT['dispute-resolved'];
  const bCredit = ROLE_BIT['credit-note'];
  const bPayment = ROLE_BIT.payment;
  const bCash = ROLE_BIT['cash-applied'];
  const bCleared = ROLE_BIT.cleared;

  // The case's facts live in locals while its events are read and are stored once at its end:
  // writing through the result's arrays at every event cost more than the rest of the loop.
  for (let c = 0; c < n; c++) {
    payStart[c] = payCount;
    let amount = m.amount[c];
    let due = m.dueDate[c];
    let terms = m.termsDays[c];
    let created = NaN;
    let lastT = NaN;
    let lastA = -1;
    let paid = NaN;
    let payments = 0;
    let paidAmount = NaN;
    let cleared = NaN;
    let disputes = 0;
    let opened = NaN;
    let resolved = NaN;
    let credit = NaN;
    let cash = 0;
    let cashAuto = 0;
    let cashFlagged = 0;
    let promises = 0;
    let promiseCount = 0;
    let dunnings = 0;
    let dunningBeforePay = 0;
    let lastDunningBeforePay = NaN;
    let lastDunning = NaN;
    let hadRework = false;
    for (let k = offsets[c], end = offsets[c + 1]; k < end; k++) {
      const t = time[k];
      if (t > asOf) break;
      const a = activity[k];
      lastT = t;
      lastA = a;
      if (seenIn[a] === c) {
        m.reworkRepeats[a]++;
        if (reworkIn[a] !== c) {
          reworkIn[a] = c;
          hadRework = true;
          m.reworkCases[a]++;
        }
      } else seenIn[a] = c;
      if (eventAmount !== null && Number.isNaN(amount)) {
        amount = numberAt(eventAmount, k, readNumber);
      }
      if (eventDue !== null && Number.isNaN(due)) due = numberAt(eventDue, k, readDate);
      if (eventTerms !== null && Number.isNaN(terms)) terms = numberAt(eventTerms, k, readTerms);
      const roles = mask[a];
      if (roles === 0) {
        if (noCreatedRole && Number.isNaN(created)) created = t;
        continue;
      }
      if (((roles & bCreated) !== 0 || noCreatedRole) && Number.isNaN(created)) created = t;
      if ((roles & bDunning) !== 0) {
        dunnings++;
        lastDunning = t;
      }
      if ((roles & bPromise) !== 0) {
        const day = promised === null ? NaN : numberAt(promised, k, readDate);
        if (!Number.isNaN(day)) {
          if (promiseCount === promisedDays.length) {
            const grown = new Float64Array(promiseCount * 2);
            grown.set(promisedDays);
            promisedDays = grown;
          }
          promisedDays[promiseCount++] = utcDay(day);
        }
        promises++;
      }
      if ((roles & bOpened) !== 0) {
        if (disputes === 0) opened = t;
        disputes++;
      }
      if ((roles & bResolved) !== 0 && disputes > 0 && Number.isNaN(resolved)) resolved = t;
      if ((roles & bCredit) !== 0 && Number.isNaN(credit)
        && (disputes === 0 || !Number.isNaN(resolved))) credit = t;
      if ((roles & bPayment) !== 0) {
        payments++;
        paid = t;
        dunningBeforePay = dunnings;
        lastDunningBeforePay = lastDunning;
        if (payAmount !== null) {
          const v = numberAt(payAmount, k, readNumber);
          if (!Number.isFinite(v)) {
            if (!Number.isNaN(v) || hasText(payAmount, k)) m.paymentAmountsUnreadable++;
          } else {
            paidAmount = (Number.isNaN(paidAmount) ? 0 : paidAmount) + v;
            if (payCount === payTimes.length) {
              payTimes = grow(payTimes);
              payAmounts = grow(payAmounts);
            }
            payTimes[payCount] = t;
            payAmounts[payCount++] = v;
          }
        }
      }
      if ((roles & bCash) !== 0) {
        cash++;
        const flag = automated === null ? -1 : flagAt(automated, k);
        if (flag >= 0) {
          cashFlagged++;
          cashAuto += flag;
        }
      }
      if ((roles & bCleared) !== 0 && Number.isNaN(cleared)) cleared = t;
    }
    const closedAt = hasCleared ? cleared : paid;
    let kept = 0;
    if (payments > 0 && !Number.isNaN(closedAt)) {
      const payDay = utcDay(paid);
      for (let i = 0; i < promiseCount; i++) if (payDay <= promisedDays[i] + grace) kept++;
    }
    m.amount[c] = amount;
    m.dueDate[c] = due;
    m.termsDays[c] = terms;
    m.created[c] = created;
    m.lastEvent[c] = lastT;
    m.lastActivity[c] = lastA;
    m.lastPayment[c] = paid;
    m.payments[c] = payments;
    m.paidAmount[c] = paidAmount;
    m.cleared[c] = cleared;
    m.closedAt[c] = closedAt;
    m.disputes[c] = disputes;
    m.disputeOpened[c] = opened;
    m.disputeResolved[c] = resolved;
    m.creditNote[c] = credit;
    m.cashApplied[c] = cash;
    m.cashAutomated[c] = cashAuto;
    m.cashFlagged[c] = cashFlagged;
    m.promises[c] = promises;
    m.promisesDated[c] = promiseCount;
    m.promisesKept[c] = kept;
    m.dunnings[c] = dunnings;
    m.dunningBeforePay[c] = dunningBeforePay;
    m.lastDunningBeforePay[c] = lastDunningBeforePay;
    if (hadRework) addReworkAmount(m, c, reworkIn, offsets, activity);
  }
  payStart[n] = payCount;
  // Views, not copies: a copy would touch as much fresh memory again (a page fault per 4 KiB).
  m.paymentLog.time = payTimes.subarray(0, payCount);
  m.paymentLog.amount = payAmounts.subarray(0, payCount);
  return m;
}

// Events whose activity has the role bit.
function countRole(activity: Int32Array, mask: ArrayLike<number>, bit: number): number {
  let count = 0;
  for (let k = 0; k < activity.length; k++) if ((mask[activity[k]] & bit) !== 0) count++;
  return count;
}

// True when a text column holds a non-blank value at `k` (a NaN read from it is unreadable,
// not missing).
function hasText(column: AttributeColumn, k: number): boolean {
  if (column.kind !== 'string') return false;
  const code = column.codes[k];
  return code >= 0 && column.dictionary[code].trim() !== '';
}

function grow(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length * 2);
  out.set(a);
  return out;
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

// Copies a case column into `out`; a text column is converted once per distinct text.
function fillCaseScoped(
  out: Float64Array, attr: BoundAttribute | null, convert: (text: string) => number,
): void {
  if (attr === null || attr.scope !== 'case') return;
  const column = attr.column;
  switch (column.kind) {
    case 'number':
    case 'time':
      out.set(column.values.subarray(0, out.length));
      return;
    case 'boolean':
      for (let c = 0; c < out.length; c++) out[c] = column.values[c] < 0 ? NaN : column.values[c];
      return;
    case 'string': {
      const byCode = new Float64Array(column.dictionary.length);
      for (let i = 0; i < byCode.length; i++) byCode[i] = convert(column.dictionary[i]);
      for (let c = 0; c < out.length; c++) {
        const code = column.codes[c];
        out[c] = code < 0 ? NaN : byCode[code];
      }
    }
  }
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
