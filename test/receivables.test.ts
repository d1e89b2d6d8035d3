/**
 * Every receivables KPI on seven hand-made invoices (test/fixtures/receivables/hand-log.ts).
 * Each expected value was worked out by hand from the fixture's dates; the arithmetic is in the
 * comment beside it. As-of date: the last event, 2024-04-26T00:00Z, unless a test says so.
 */
import { describe, expect, it } from 'vitest';
import {
  computeReceivables, renderReceivables, type KpiResult, type ReceivablesReport,
} from '../src/analysis/receivables/index.js';
import { mineReference } from '../src/engine/reference.js';
import { handLog } from './fixtures/receivables/hand-log.js';

const log = handLog();
const mined = mineReference(log);
const report = computeReceivables(log, mined, { by: 'segment' });

function kpi(r: ReceivablesReport, id: string, kpis: KpiResult[] = r.kpis): KpiResult {
  const found = kpis.find((k) => k.id === id);
  if (found === undefined) throw new Error(`KPI ${id} missing`);
  return found;
}
const group = (label: string) => report.by!.groups.find((g) => g.label === label)!.kpis;
const month = (label: string) => report.trend.find((g) => g.label === label)!.kpis;

describe('receivables KPIs on hand-made invoices', () => {
  it('days to pay: mean over paid invoices, open and credit-note invoices skipped', () => {
    // A 20, B 51 (Jan 5 → Feb 25), C 46 d 14 h, E 30; D, G open; F cleared with no payment.
    const k = kpi(report, 'days-to-pay');
    expect(k.value).toBeCloseTo((20 + 51 + (46 + 14 / 24) + 30) / 4, 9);
    expect(k.casesUsed).toBe(4);
    expect(k.skippedBy).toEqual({ 'not paid by the as-of date': 2, 'closed without a payment': 1 });
  });

  it('days to pay weighted by invoice amount', () => {
    // (20·1000 + 51·3000 + 46.5833·500 + 30·800) ÷ 5300
    expect(kpi(report, 'days-to-pay-weighted').value)
      .toBeCloseTo((20_000 + 153_000 + (46 + 14 / 24) * 500 + 24_000) / 5300, 9);
  });

  it('Kaplan–Meier median counts open invoices as censored', () => {
    // Paid 20, 30, 46.58, 51; censored D 56 (Mar 1 → Apr 26), G 37. S: 5/6, 2/3, (37 c),
    // 2/3 · 2/3 = 0.444 ≤ 0.5 at 46.58 days. F (no payment) is left out.
    const k = kpi(report, 'days-to-pay-km-median');
    expect(k.value).toBeCloseTo(46 + 14 / 24, 9);
    expect(k.casesUsed).toBe(6);
    expect(k.skippedBy).toEqual({ 'closed without a payment': 1 });
    // S1 = A 20, B 51, E 30 → S 2/3 at 20, 1/3 at 30; S2 = C 46.58 (D, G censored later).
    expect(kpi(report, 'days-to-pay-km-median', group('S1')).value).toBe(30);
    expect(kpi(report, 'days-to-pay', group('S1')).value).toBeCloseTo(101 / 3, 9);
  });

  it('days to clear, plain and weighted (a credit-note clearing counts)', () => {
    // A 21, B 52, C 47, E 31, F 13.
    expect(kpi(report, 'days-to-clear').value).toBeCloseTo(164 / 5, 9);
    // (21·1000 + 52·3000 + 47·500 + 31·800 + 13·400) ÷ 5700
    expect(kpi(report, 'days-to-clear-weighted').value).toBeCloseTo(230_500 / 5700, 9);
  });

  it('days past due by calendar date; an invoice without due date is skipped', () => {
    // A Jan 21 − Jan 31 = −10, B Feb 25 − Feb 4 = 21, C Mar 18 − Mar 2 = 16.
    const k = kpi(report, 'days-past-due');
    expect(k.value).toBe(9);
    expect(k.skippedBy['no due date']).toBe(1);
  });

  it('on-time rate: only A paid on or before its due date', () => {
    expect(kpi(report, 'on-time-rate').value).toBeCloseTo(1 / 3, 12);
    expect(kpi(report, 'on-time-rate', group('S1')).value).toBe(0.5);
  });

  it('payment-terms compliance: paid within Net 30 of creation', () => {
    // A 20 ≤ 30, B 51 and C 46 over; E has no terms.
    const k = kpi(report, 'payment-terms-compliance');
    expect(k.value).toBeCloseTo(1 / 3, 12);
    expect(k.skippedBy['no readable payment terms']).toBe(1);
  });

  it('dispute rate and resolution time; the unresolved dispute is skipped', () => {
    expect(kpi(report, 'dispute-rate').value).toBeCloseTo(2 / 7, 12);
    const k = kpi(report, 'dispute-resolution-days');
    expect(k.value).toBe(8); // F: Feb 12 → Feb 20
    expect(k.skippedBy).toEqual({ 'dispute not resolved by the as-of date': 1 });
  });

  it('small disputes: share, amount and days under the threshold', () => {
    // D 200 and F 400, both under 500; D open Mar 5 → Apr 26 = 52 days, F 8 days.
    expect(kpi(report, 'small-dispute-share').value).toBe(1);
    expect(kpi(report, 'small-dispute-amount').value).toBe(600);
    expect(kpi(report, 'small-dispute-cost-days').value).toBe(60);
    const r = computeReceivables(log, mined, { smallDisputeThreshold: 300 });
    expect(kpi(r, 'small-dispute-share').value).toBe(0.5);
    expect(kpi(r, 'small-dispute-amount').value).toBe(200);
  });

  it('credit-note delay: resolution → credit note → clearing', () => {
    expect(kpi(report, 'credit-note-delay-days').value).toBe(2); // Feb 20 → Feb 22
    expect(kpi(report, 'credit-note-to-clear-days').value).toBe(1); // Feb 22 → Feb 23
  });

  it('automated cash application counts events, skipping invoices without the flag', () => {
    // A 1/1, B 2/3, C 1/1 → 4/5; E's cash application has no flag.
    const k = kpi(report, 'cash-app-automation-rate');
    expect(k.value).toBeCloseTo(0.8, 12);
    expect(k.casesUsed).toBe(3);
    expect(k.skippedBy).toEqual({ 'automated flag missing': 1 });
  });

  it('a promise paid on the last day of the grace period is kept', () => {
    // Promised Mar 15 + 3 days = Mar 18; paid Mar 18 23:00.
    expect(kpi(report, 'promise-kept-rate').value).toBe(1);
    const strict = computeReceivables(log, mined, { graceDays: 2 });
    expect(kpi(strict, 'promise-kept-rate').value).toBe(0);
  });

  it('dunning: rate, reminders before payment, days from last reminder', () => {
    expect(kpi(report, 'dunning-rate').value).toBeCloseTo(3 / 7, 12); // B, C, G
    expect(kpi(report, 'dunning-before-payment').value).toBe(0.5); // A 0, B 1, C 1, E 0
    // B Feb 11 → Feb 25 = 14; C Mar 9 06:00 → Mar 18 23:00 = 9 d 17 h.
    expect(kpi(report, 'dunning-to-payment-days').value).toBeCloseTo((14 + 9 + 17 / 24) / 2, 9);
  });

  it('partial payments: B paid in three parts', () => {
    expect(kpi(report, 'partial-payment-share').value).toBe(0.25);
    expect(kpi(report, 'partial-payment-days-to-pay').value).toBe(51);
  });

  it('paid and open shares', () => {
    expect(kpi(report, 'paid-share').value).toBeCloseTo(4 / 7, 12);
    expect(kpi(report, 'open-at-cutoff-share').value).toBeCloseTo(2 / 7, 12);
  });

  it('DSO: open amount over the last 90 days of sales', () => {
    // Window (Jan 27, Apr 26]: C 500, D 200, F 400, G 1500 = 2600; open D + G = 1700.
    expect(kpi(report, 'dso').value).toBeCloseTo((1700 / 2600) * 90, 9);
    // S2: open 1700 of C + D + G = 2200.
    expect(kpi(report, 'dso', group('S2')).value).toBeCloseTo((1700 / 2200) * 90, 9);
  });

  it('monthly trend by month of creation', () => {
    expect(report.trend.map((t) => t.label)).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(kpi(report, 'days-to-pay', month('2024-01')).value).toBeCloseTo(101 / 3, 9);
    const march = kpi(report, 'days-to-pay', month('2024-03'));
    expect(march.value).toBeNull(); // D and G are both open
    expect(march.casesSkipped).toBe(2);
  });

  it('aging at three dates', () => {
    // Apr 26: D (due Mar 31, 26 days) and G (due Apr 19, 7 days) in 1–30.
    expect(report.aging.buckets[1]).toEqual({ label: '1-30', invoices: 2, amount: 1700 });
    expect(report.aging.openInvoices).toBe(2);
    // Jul 1: D 92 days → over 90; G 73 days → 61–90.
    const july = computeReceivables(log, mined, { asOf: '2024-07-01' }).aging.buckets;
    expect(july[4]).toEqual({ label: 'over 90', invoices: 1, amount: 200 });
    expect(july[3]).toEqual({ label: '61-90', invoices: 1, amount: 1500 });
    // Feb 15 00:00: B open (due Feb 4, 11 days, 3000 − 2000 paid); C and F current.
    const feb = computeReceivables(log, mined, { asOf: '2024-02-15T00:00:00Z' }).aging.buckets;
    expect(feb[0]).toEqual({ label: 'current', invoices: 2, amount: 900 });
    expect(feb[1]).toEqual({ label: '1-30', invoices: 1, amount: 1000 });
  });

  it('stuck invoices: D has had no event for 52 days', () => {
    expect(report.stuck.count).toBe(1);
    expect(report.stuck.top[0]).toMatchObject({
      invoice: 'D', lastActivity: 'Dispute Opened', daysIdle: 52, openAmount: 200,
    });
    expect(computeReceivables(log, mined, { stuckDays: 60 }).stuck.count).toBe(0);
  });

  it('bottlenecks ranked by total and by median waiting', () => {
    // Created → Dunning: C 36 d 21 h, G 37 d = 73.875 total; Created → Payment: 20 + 20 + 30.
    const [first, second] = report.bottlenecks.byTotal;
    expect(first).toMatchObject({ from: 'Invoice Created', to: 'Dunning Letter Sent', count: 2 });
    expect(first.totalDays).toBeCloseTo(73.875, 9);
    expect(second).toMatchObject({ from: 'Invoice Created', to: 'Payment Received', count: 3 });
    expect(second.totalDays).toBeCloseTo(70, 9);
    expect(report.bottlenecks.byMedian[0].to).toBe('Dunning Letter Sent');
  });

  it('rework: payment and cash application repeated in B', () => {
    expect(report.rework).toEqual([
      { activity: 'Cash Applied', cases: 1, repeats: 2, amount: 3000 },
      { activity: 'Payment Received', cases: 1, repeats: 2, amount: 3000 },
    ]);
  });

  it('renders KPI cards, aging, stuck and bottleneck tables', () => {
    const text = renderReceivables(report);
    expect(text).toMatch(/on-time-rate\s+33\.3%/);
    expect(text).toMatch(/1-30\s+2\s+1700\.00/);
    expect(text).toMatch(/D\s+Dispute Opened\s+2024-03-05\s+52\.0/);
    expect(text).toContain('By Segment:');
  });
});
