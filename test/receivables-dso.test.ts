/**
 * DSO nets partial payments: an invoice's open amount at a date is its amount less the payment
 * amounts received by then, never below 0, and 0 once it closes. Expected values worked out by
 * hand from the dates of test/fixtures/receivables/hand-log.ts (all UTC); arithmetic beside
 * each.
 */
import { describe, expect, it } from 'vitest';
import {
  computeReceivables, type KpiResult, type ReceivablesReport,
} from '../src/analysis/receivables/index.js';
import { mineReference } from '../src/engine/reference.js';
import { LogBuilder } from '../src/log/log-builder.js';
import { handLog } from './fixtures/receivables/hand-log.js';

function dso(r: ReceivablesReport, kpis: KpiResult[] = r.kpis): KpiResult {
  const k = kpis.find((x) => x.id === 'dso');
  if (k === undefined) throw new Error('no dso');
  return k;
}
const month = (r: ReceivablesReport, label: string) =>
  r.trend.find((t) => t.label === label)!.kpis;

describe('DSO netting partial payments', () => {
  const log = handLog();
  const asOf = '2024-02-20T00:00Z';
  const report = computeReceivables(log, mineReference(log), { asOf });

  it('counts an invoice paid in three parts at its unpaid rest', () => {
    // Created by Feb 20: A 1000 (cleared Jan 22), B 3000, C 500, E 800 (cleared Feb 10),
    // F 400 (cleared only Feb 23). B has had 1000 on Jan 25 and 1000 on Feb 15: open 1000.
    // Open 1000 + 500 + 400 = 1900; invoiced in the 90 days 1000+3000+500+800+400 = 5700.
    expect(dso(report).value).toBeCloseTo((1900 / 5700) * 90, 9); // 30
    expect(dso(report).casesUsed).toBe(5);
    expect(dso(report).definition).toMatch(/less the payment amounts/);
  });

  it('nets only the payments received by each month end of the trend', () => {
    // January, taken at Feb 1 00:00: A closed; B paid 1000 of 3000 → 2000; E paid Feb 9 → 800;
    // C (Feb 1 09:00) not yet created. 2800 ÷ (1000+3000+800) × 90 = 52.5.
    expect(dso(report, month(report, '2024-01')).value).toBeCloseTo(52.5, 9);
    // February, taken at the as-of date: as above.
    expect(dso(report, month(report, '2024-02')).value).toBeCloseTo(30, 9);
  });

  it('falls back to counting the whole amount when payments carry none, and says so', () => {
    const gross = handLog({ drop: ['Payment Amount'] });
    const r = computeReceivables(gross, mineReference(gross), { asOf });
    // B counts in full: (3000 + 500 + 400) ÷ 5700 × 90.
    expect(dso(r).value).toBeCloseTo((3900 / 5700) * 90, 9);
    expect(dso(r).definition).toMatch(/in full/);
    expect(r.notes.some((n) => /DSO counts a partly paid invoice in full/.test(n))).toBe(true);
    expect(report.notes.some((n) => /DSO/.test(n))).toBe(false);
  });

  it('never lets an overpaid open invoice go below 0', () => {
    // X: 100, paid 60 on Jan 10 and 60 on Jan 20, never cleared. Y: 100, cleared Jan 5.
    const b = new LogBuilder();
    const add = (id: string, activity: string, day: string, paid?: number) => {
      b.addEvent(id, activity, Date.parse(`2024-01-${day}T00:00Z`));
      if (paid !== undefined) b.setEventAttribute('Payment Amount', paid);
    };
    add('X', 'Invoice Created', '01');
    add('X', 'Payment Received', '10', 60);
    add('X', 'Payment Received', '20', 60);
    add('Y', 'Invoice Created', '01');
    add('Y', 'Invoice Cleared', '05');
    b.setCaseAttribute('X', 'Invoice Amount', 100);
    b.setCaseAttribute('Y', 'Invoice Amount', 100);
    const l = b.finish({ source: 'overpaid', format: 'test', mapping: {}, skippedRows: {} });
    const at = (date: string) => dso(computeReceivables(l, mineReference(l), { asOf: date }));
    expect(at('2024-01-15').value).toBeCloseTo((40 / 200) * 90, 9); // X open 100 − 60 = 40
    expect(at('2024-01-31').value).toBe(0); // 100 − 120 → 0, not −20
  });
});
