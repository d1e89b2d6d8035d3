/**
 * DSO with unusual payment amounts: a negative payment is a refund, which reopens what it
 * returns but never makes an invoice owe more than its amount; an amount that is there but is
 * no number is skipped and counted in a note; a DSO whose sums overflow is null with a note.
 * Expected values worked out by hand from the CSV texts below; arithmetic beside each. DSO =
 * open ÷ invoiced in the 90 days up to the date × 90.
 */
import { describe, expect, it } from 'vitest';
import {
  computeReceivables, renderReceivables, type ReceivablesReport,
} from '../src/analysis/receivables/index.js';
import { mineReference } from '../src/engine/reference.js';
import { byteSourceFromBytes } from '../src/ingest/byte-source.js';
import { importLog } from '../src/ingest/import-log.js';

const HEAD = 'Invoice Number,Activity,Timestamp,Invoice Amount,Payment Amount';

async function report(lines: string[], asOf?: string): Promise<ReceivablesReport> {
  const log = await importLog(byteSourceFromBytes(Buffer.from([HEAD, ...lines].join('\n')),
    'dso.csv'));
  return computeReceivables(log, mineReference(log), asOf === undefined ? {} : { asOf });
}
const dsoOf = (r: ReceivablesReport) => r.kpis.find((k) => k.id === 'dso')!;

describe('DSO with refunds and unreadable payment amounts', () => {
  it('a payment of -50 on an invoice of 100 leaves it open for 100, not 150', async () => {
    const r = await report([
      'I1,Invoice Created,2024-11-01T00:00:00Z,100,',
      'I1,Payment Received,2024-11-05T00:00:00Z,100,-50',
      'I1,Invoice Cleared,2024-12-25T00:00:00Z,100,',
      'I2,Invoice Created,2024-11-01T00:00:00Z,100,',
      'I2,Invoice Cleared,2024-12-25T00:00:00Z,100,',
    ], '2024-11-30T00:00:00Z');
    // Open: I1 min(100, 100 + 50) = 100, I2 100 → 200; invoiced 200 → 200 / 200 × 90 = 90.
    expect(dsoOf(r).value).toBeCloseTo(90, 10);
  });

  it('a refund after a full payment reopens the refunded part', async () => {
    const lines = [
      'I1,Invoice Created,2024-11-01T00:00:00Z,100,',
      'I1,Payment Received,2024-11-05T00:00:00Z,100,100',
      'I1,Payment Received,2024-11-10T00:00:00Z,100,-40',
      'I1,Invoice Cleared,2024-12-25T00:00:00Z,100,',
      'I2,Invoice Created,2024-11-01T00:00:00Z,100,',
      'I2,Invoice Cleared,2024-12-25T00:00:00Z,100,',
    ];
    // Nov 7: I1 paid 100 → open 0; I2 100 → 100 / 200 × 90 = 45.
    expect(dsoOf(await report(lines, '2024-11-07T00:00:00Z')).value).toBeCloseTo(45, 10);
    // Nov 30: I1 paid 100 - 40 = 60 → open 40; I2 100 → 140 / 200 × 90 = 63.
    expect(dsoOf(await report(lines, '2024-11-30T00:00:00Z')).value).toBeCloseTo(63, 10);
  });

  it('skips "50 EUR" and says so in a note', async () => {
    const r = await report([
      'I1,Invoice Created,2024-11-01T00:00:00Z,100,',
      'I1,Payment Received,2024-11-05T00:00:00Z,100,50',
      'I1,Invoice Cleared,2024-12-25T00:00:00Z,100,',
      'I2,Invoice Created,2024-11-01T00:00:00Z,100,',
      'I2,Payment Received,2024-11-05T00:00:00Z,100,50 EUR',
      'I2,Invoice Cleared,2024-12-25T00:00:00Z,100,',
    ], '2024-11-30T00:00:00Z');
    // Open: I1 100 - 50 = 50, I2 100 (its payment unreadable) → 150 / 200 × 90 = 67.5.
    expect(dsoOf(r).value).toBeCloseTo(67.5, 10);
    expect(r.notes.some((n) => n.startsWith('paymentAmountsUnreadable: 1 '))).toBe(true);
  });

  it('a blank payment amount is missing, not unreadable: no note', async () => {
    const r = await report([
      'I1,Invoice Created,2024-11-01T00:00:00Z,100,',
      'I1,Payment Received,2024-11-05T00:00:00Z,100,',
      'I2,Invoice Created,2024-11-01T00:00:00Z,100,',
      'I2,Payment Received,2024-11-05T00:00:00Z,100,x',
    ], '2024-11-30T00:00:00Z');
    // Only I2's "x" is unreadable; I1's empty cell is a payment without an amount.
    expect(r.notes.filter((n) => n.startsWith('paymentAmountsUnreadable'))).toEqual([
      expect.stringMatching(/^paymentAmountsUnreadable: 1 /),
    ]);
  });

  it('amounts of 1e308 overflow: DSO is null with the reason, never NaN days', async () => {
    const r = await report([
      'I1,Invoice Created,2024-10-01T00:00:00Z,1e308,',
      'I2,Invoice Created,2024-10-01T00:00:00Z,1e308,',
      'I3,Invoice Created,2024-10-02T00:00:00Z,100,',
      'I3,Payment Received,2024-10-05T00:00:00Z,100,-1e308',
      'I3,Invoice Cleared,2024-12-05T00:00:00Z,100,',
    ]);
    // As of Dec 5: open 1e308 + 1e308 = Infinity, invoiced Infinity too → Infinity / Infinity.
    expect(dsoOf(r).value).toBeNull();
    expect(dsoOf(r).note).toContain('more than a number can hold');
    expect(r.notes.some((n) => n.startsWith('dso: the open or invoiced amount'))).toBe(true);
    expect(renderReceivables(r)).not.toContain('NaN');
  });
});
