/**
 * The planted rates come back out of a generated log. Each rate is computed here straight from
 * the rows, following its written definition (not with ledgerflow's KPI code), and must lie
 * within 4 standard errors, sqrt(p(1-p)/n), of the planted probability.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTIVITIES as A, COL, PLANTED_RATES, PROMISE_GRACE_DAYS, RATE_IDS, SEGMENTS, generateRows,
  plantedRates, type EventRow, type RateId, type Segment,
} from '../src/generate/index.js';

const DAY = 86_400_000;

interface Tally { hits: number; n: number }

function measure(rows: Iterable<EventRow>): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  const count = (segment: Segment, id: RateId, hit: boolean) => {
    const key = `${segment} ${id}`;
    const t = tallies.get(key) ?? { hits: 0, n: 0 };
    t.n++;
    if (hit) t.hits++;
    tallies.set(key, t);
  };
  const close = (inv: EventRow[]) => {
    const segment = inv[0][COL.segment] as Segment;
    const has = (a: string) => inv.some((r) => r[COL.activity] === a);
    const payments = inv.filter((r) => r[COL.activity] === A.payment);
    const cleared = has(A.cleared);
    count(segment, 'dispute-rate', has(A.disputeOpened));
    count(segment, 'open-at-cutoff-share', !cleared);
    for (const r of inv) {
      if (r[COL.activity] === A.cashApplied) {
        count(segment, 'cash-app-automation-rate', r[COL.automated] === true);
      }
    }
    if (!cleared || payments.length === 0) return;
    const lastPayment = Math.max(...payments.map((r) => r[COL.timestamp]));
    // On or before the due date: before the end of the due day (UTC).
    count(segment, 'on-time-rate', lastPayment < inv[0][COL.dueDate] + DAY);
    count(segment, 'partial-payment-share', payments.length >= 2);
    for (const r of inv) {
      if (r[COL.activity] !== A.promise) continue;
      const graceEnd = (r[COL.promisedDate] as number) + (PROMISE_GRACE_DAYS + 1) * DAY;
      count(segment, 'promise-kept-rate', lastPayment < graceEnd);
    }
  };
  let current: EventRow[] = [];
  for (const row of rows) {
    if (current.length > 0 && row[COL.invoice] !== current[0][COL.invoice]) {
      close(current);
      current = [];
    }
    current.push(row);
  }
  if (current.length > 0) close(current);
  return tallies;
}

describe('planted rates', () => {
  it('lists every rate for every segment with its definition', () => {
    const listed = plantedRates();
    expect(listed).toHaveLength(18);
    expect(new Set(listed.map((r) => r.id))).toEqual(new Set([
      'on-time-rate', 'dispute-rate', 'promise-kept-rate', 'cash-app-automation-rate',
      'partial-payment-share', 'open-at-cutoff-share',
    ]));
    for (const r of listed) {
      expect(r.probability).toBeGreaterThan(0);
      expect(r.probability).toBeLessThan(1);
      expect(r.definition.length).toBeGreaterThan(20);
    }
  });

  it('recovers every rate of every segment from 20,000 invoices within 4 standard errors',
    () => {
      const tallies = measure(generateRows({ invoices: 20_000, seed: 2024 }));
      const misses: string[] = [];
      for (const segment of SEGMENTS) {
        for (const id of RATE_IDS) {
          const p = PLANTED_RATES[segment][id];
          const t = tallies.get(`${segment} ${id}`);
          expect(t, `${segment} ${id} measured`).toBeDefined();
          const { hits, n } = t as Tally;
          // Enough observations for the normal bound to mean something.
          expect(n).toBeGreaterThan(100);
          const se = Math.sqrt((p * (1 - p)) / n);
          const measured = hits / n;
          if (Math.abs(measured - p) > 4 * se) {
            misses.push(`${segment} ${id}: planted ${p}, measured ${measured.toFixed(4)} `
              + `on ${n} (4 SE = ${(4 * se).toFixed(4)})`);
          }
        }
      }
      expect(misses).toEqual([]);
    });

  it('makes segments differ: SMB pays on time less often than Enterprise', () => {
    const tallies = measure(generateRows({ invoices: 20_000, seed: 7 }));
    const rate = (s: Segment) => {
      const t = tallies.get(`${s} on-time-rate`) as Tally;
      return t.hits / t.n;
    };
    expect(rate('SMB')).toBeLessThan(rate('Enterprise') - 0.1);
  });
});
