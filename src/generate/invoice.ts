/**
 * Simulates one invoice's life and places it on the calendar so that the cut-off falls where
 * the planted open-at-cutoff share says.
 *
 * The life is first laid out in times relative to the invoice's creation day, then shifted by a
 * whole number of days. Three kinds of invoice:
 *
 * - never closing (a dispute never resolved, or a customer who never pays): placed anywhere in
 *   the period after its dispute was opened, so most end up stuck (no event for > 60 days);
 * - open at the cut-off: placed so the cut-off falls after its key event (creation, the dispute
 *   opened, the promise to pay) and before its final payment — so the dispute and promise
 *   counts are not hidden by the cut-off, and "paid" keeps meaning "cleared";
 * - closed: placed so its last event is before the cut-off.
 *
 * Whether an invoice is open is drawn independently of whether it is paid on time, in parts,
 * and so on; measured on the cleared invoices, those rates are therefore unbiased.
 */
import { ACTIVITIES, DAY_MS, currencyDecimals, type Activity, type EventRow } from './columns.js';
import { pickCustomer, type CustomerTable } from './customers.js';
import { Prng, mixSeed } from './prng.js';
import {
  BEHAVIOUR, DISPUTE_REASONS, DUNNING_DAYS, PLANTED_RATES, PROMISE_GRACE_DAYS, REGION_PROFILES,
  SEGMENT_PROFILES, USD_RATE,
} from './profiles.js';

/** What every invoice of a run shares. */
export interface RunContext {
  seed: number;
  customers: CustomerTable;
  /** Cut-off, epoch ms: no event after it is emitted. */
  cutoff: number;
  /** First day (days since the epoch) on which an invoice may be created. */
  startDay: number;
}

/** What one simulated invoice produced. */
export interface InvoiceResult {
  /** Rows appended to the output array. */
  rows: number;
  /** True when the invoice has no Invoice Cleared event at the cut-off. */
  open: boolean;
}

const HOUR_MS = 3_600_000;
const MAX_DAYS_LATE = 240;
const MAX_DISPUTE_DAYS = 120;

interface Planned {
  t: number;
  activity: Activity;
  agent: string | null;
  automated: boolean | null;
  promisedDay: number | null;
  reason: string | null;
  payment: number | null;
}

/** Simulates invoice number `index` (0-based) and appends its rows, in time order, to `out`. */
export function simulateInvoice(ctx: RunContext, index: number, out: EventRow[]): InvoiceResult {
  const rng = new Prng(mixSeed(ctx.seed, index));
  const customer = pickCustomer(ctx.customers, rng.next());
  const segment = SEGMENT_PROFILES[customer.segment];
  const rates = PLANTED_RATES[customer.segment];
  const region = REGION_PROFILES[customer.region];
  const terms = rng.weighted(segment.terms);
  const unit = 10 ** currencyDecimals(customer.currency);
  const amountUsd = segment.medianAmountUsd * customer.amountFactor * Math.exp(0.8 * rng.normal());
  const amountMinor = Math.max(50 * unit,
    Math.round(amountUsd * USD_RATE[customer.currency] * unit));

  const events: Planned[] = [];
  const add = (t: number, activity: Activity, extra: Partial<Planned> = {}): void => {
    events.push({ t, activity, agent: null, automated: null, promisedDay: null, reason: null,
      payment: null, ...extra });
  };
  // A time of day in business hours, whole seconds.
  const at = (day: number, fromHour = 8, toHour = 18): number =>
    day * DAY_MS + Math.round(rng.between(fromHour, toHour) * 3600) * 1000;
  const lateDays = (): number => 1 + Math.min(MAX_DAYS_LATE, Math.floor(rng.exponential(
    segment.meanDaysLate * region.latenessFactor * customer.latenessFactor)));

  const created = at(0);
  add(created, ACTIVITIES.created);

  const disputed = rng.chance(rates['dispute-rate']);
  const valid = disputed && rng.chance(BEHAVIOUR.validDisputeShare);
  const unresolved = disputed && rng.chance(BEHAVIOUR.unresolvedDisputeShare);
  const abandoned = !disputed && rng.chance(BEHAVIOUR.abandonedShare);
  const never = unresolved || abandoned;
  const onTime = !never && rng.chance(rates['on-time-rate']);
  const parts = never || !rng.chance(rates['partial-payment-share']) ? 1
    : rng.chance(BEHAVIOUR.threePartShare) ? 3 : 2;

  // The event the cut-off must not hide, and the spans in which dunning pauses.
  let keyTime = created;
  const pauses: [number, number][] = [];
  let finalDay = NaN;
  let creditMinor = 0;

  if (disputed) {
    const reason = rng.weighted(DISPUTE_REASONS);
    let openDay: number;
    let resolveDay: number;
    if (onTime) {
      // Raised early and settled quickly enough to pay by the due date.
      openDay = rng.int(2, Math.floor(terms * 0.4));
      resolveDay = openDay + rng.int(1, 6);
    } else {
      openDay = rng.int(3, terms + 20);
      const days = Math.round(rng.exponential(region.meanDisputeDays));
      resolveDay = unresolved ? NaN : openDay + 1 + Math.min(MAX_DISPUTE_DAYS, days);
    }
    const opened = at(openDay);
    add(opened, ACTIVITIES.disputeOpened, { agent: customer.collector, reason });
    keyTime = opened;
    if (unresolved) {
      pauses.push([opened, Infinity]);
    } else {
      const resolved = at(resolveDay);
      add(resolved, ACTIVITIES.disputeResolved, { agent: customer.collector });
      let settled = resolved;
      let lastDay = resolveDay;
      if (valid) {
        lastDay = resolveDay + (onTime ? rng.int(1, 2) : rng.int(1, 10));
        settled = at(lastDay);
        add(settled, ACTIVITIES.creditNote);
        creditMinor = Math.round(amountMinor * rng.between(0.05, 0.5));
      }
      pauses.push([opened, settled]);
      finalDay = onTime ? rng.int(lastDay + 2, terms)
        : Math.max(terms + lateDays(), lastDay + rng.int(2, 12));
    }
  } else if (!abandoned) {
    if (onTime) {
      // Most on-time payers pay in the last days before the due date.
      finalDay = terms - Math.floor(rng.next() ** 2 * Math.min(25, terms - 5));
    } else {
      const late = lateDays();
      finalDay = terms + late;
      if (late > DUNNING_DAYS[0] && rng.chance(BEHAVIOUR.promiseShare)) {
        const promiseDay = terms + DUNNING_DAYS[0] + rng.int(1, 4);
        const promisedDay = promiseDay + rng.int(3, 20);
        const kept = rng.chance(rates['promise-kept-rate']);
        const graceEnd = promisedDay + PROMISE_GRACE_DAYS;
        finalDay = kept ? rng.int(promiseDay + 2, graceEnd) : graceEnd + rng.int(1, 40);
        const promised = at(promiseDay);
        add(promised, ACTIVITIES.promise, { agent: customer.collector, promisedDay });
        keyTime = promised;
        pauses.push([promised, (graceEnd + 1) * DAY_MS]);
      }
    }
  }

  const finalTime = never ? Infinity : at(finalDay, 9, 17);
  for (const d of DUNNING_DAYS) {
    const t = (terms + d) * DAY_MS + 6 * HOUR_MS;
    if (t >= finalTime || pauses.some(([from, to]) => t >= from && t <= to)) continue;
    add(t, ACTIVITIES.dunning, { agent: customer.collector });
  }

  let clearedTime = NaN;
  if (!never) {
    const payTimes: number[] = [];
    const from = Math.max(1, finalDay - 45);
    for (let k = 1; k < parts; k++) payTimes.push(at(rng.int(from, finalDay - 1), 9, 17));
    payTimes.sort((a, b) => a - b);
    payTimes.push(finalTime);
    const payable = amountMinor - creditMinor;
    let left = payable;
    let lastApplied = 0;
    for (let k = 0; k < payTimes.length; k++) {
      const part = k === payTimes.length - 1 ? left
        : Math.round(payable * rng.between(0.2, 0.4));
      left -= part;
      add(payTimes[k], ACTIVITIES.payment, { payment: part / unit });
      const automated = rng.chance(rates['cash-app-automation-rate']);
      const applied = payTimes[k] + (automated ? rng.int(5, 120) * 60_000
        : Math.round(rng.between(0.5, 4) * 86_400) * 1000);
      add(applied, ACTIVITIES.cashApplied, { automated });
      lastApplied = Math.max(lastApplied, applied);
    }
    clearedTime = lastApplied + rng.int(10, 1440) * 60_000;
    add(clearedTime, ACTIVITIES.cleared);
  }

  const day0 = placeOnCalendar(ctx, rng, never, keyTime, finalTime, clearedTime, rates);
  return emit(ctx, index, day0, events, customer, terms, amountMinor / unit, out);
}

/** Chooses the creation day (days since the epoch); see the module comment. */
function placeOnCalendar(
  ctx: RunContext, rng: Prng, never: boolean, keyTime: number, finalTime: number,
  clearedTime: number, rates: (typeof PLANTED_RATES)[keyof typeof PLANTED_RATES],
): number {
  const cutoff = ctx.cutoff;
  const latest = (t: number) => Math.floor((cutoff - t) / DAY_MS);
  if (never) return rng.int(ctx.startDay, Math.max(ctx.startDay, latest(keyTime)));
  // Never-closing invoices are open anyway: top them up to the planted share.
  const disputeShare = rates['dispute-rate'];
  const neverShare = disputeShare * BEHAVIOUR.unresolvedDisputeShare
    + (1 - disputeShare) * BEHAVIOUR.abandonedShare;
  const openShare = (rates['open-at-cutoff-share'] - neverShare) / (1 - neverShare);
  if (rng.chance(openShare)) {
    // keyTime ≤ cut-off < finalTime; the span is over a day long, so some day fits.
    return rng.int(latest(finalTime) + 1, latest(keyTime));
  }
  const hi = latest(clearedTime);
  return hi < ctx.startDay ? hi : rng.int(ctx.startDay, hi);
}

function emit(
  ctx: RunContext, index: number, day0: number, events: Planned[],
  customer: ReturnType<typeof pickCustomer>, terms: number, amount: number, out: EventRow[],
): InvoiceResult {
  const base = day0 * DAY_MS;
  // Stable sort: events planned at the same instant keep their causal order.
  events.sort((a, b) => a.t - b.t);
  const invoice = `INV-${String(index + 1).padStart(8, '0')}`;
  const due = base + terms * DAY_MS;
  const termsText = `Net ${terms}`;
  let rows = 0;
  let cleared = false;
  for (const e of events) {
    const t = base + e.t;
    if (t > ctx.cutoff) break;
    if (e.activity === ACTIVITIES.cleared) cleared = true;
    out.push([
      invoice, e.activity, t, customer.name, amount, customer.currency, due, e.agent,
      e.automated, customer.region, customer.segment, termsText,
      e.promisedDay === null ? null : base + e.promisedDay * DAY_MS, e.reason, e.payment,
    ]);
    rows++;
  }
  return { rows, open: !cleared };
}
