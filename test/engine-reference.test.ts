// The TypeScript reference against the hand-worked cases of /work/shared/cases/README.md.
// Logs are built in memory with LogBuilder from the same rows as the case files, so these tests
// check mining, not importing. Expected values are copied from the README (worked by hand).
import { describe, expect, it } from 'vitest';
import { LogBuilder } from '../src/log/log-builder.js';
import { mineReference } from '../src/engine/reference.js';
import { END, START, type MineResult } from '../src/engine/mine-result.js';
import type { CompiledLog } from '../src/log/compiled-log.js';

const info = { source: 'test', format: 'generated', mapping: {}, skippedRows: {} };

function edgeOf(log: CompiledLog, result: MineResult, from: string | number, to: string | number) {
  const code = (a: string | number) => (typeof a === 'number' ? a : log.activities.indexOf(a));
  return result.edges.find((e) => e.from === code(from) && e.to === code(to));
}

describe('mineReference on the shared cases', () => {
  it('09: variants and waiting times on rows given out of order', () => {
    const b = new LogBuilder();
    const t0 = Date.UTC(2024, 0, 1);
    // Shuffled rows as in 09-variants-unsorted.csv.
    b.addEvent('c2', 'Payment Received', t0 + 1_200_000);
    b.addEvent('c1', 'Reminder Sent', t0 + 600_000);
    b.addEvent('c3', 'Payment Received', t0 + 86_400_000);
    b.addEvent('c1', 'Invoice Created', t0);
    b.addEvent('c2', 'Invoice Created', t0);
    b.addEvent('c3', 'Invoice Created', t0);
    b.addEvent('c2', 'Reminder Sent', t0 + 600_000);
    b.addEvent('c1', 'Payment Received', t0 + 1_200_000);
    const log = b.finish(info);
    const r = mineReference(log);
    expect(r.variants.map((v) => [v.activities.map((a) => log.activities[a]), v.count])).toEqual([
      [['Invoice Created', 'Reminder Sent', 'Payment Received'], 2],
      [['Invoice Created', 'Payment Received'], 1],
    ]);
    const created = edgeOf(log, r, 'Invoice Created', 'Reminder Sent');
    expect(created?.count).toBe(2);
    expect(created?.waiting.minMs).toBe(600_000);
    expect(created?.waiting.maxMs).toBe(600_000);
    expect(edgeOf(log, r, 'Invoice Created', 'Payment Received')?.waiting.sumMs).toBe(86_400_000);
    expect(r.caseDurations.sumMs).toBe(1_200_000 + 1_200_000 + 86_400_000);
    expect(r.caseDurations.maxMs).toBe(86_400_000);
    expect(edgeOf(log, r, START, 'Invoice Created')?.count).toBe(3);
    expect(edgeOf(log, r, 'Payment Received', END)?.count).toBe(3);
    expect(Array.from(r.traceLengths)).toEqual([0, 0, 1, 2]);
  });

  it('11: case duration runs from the first start to the last end', () => {
    const b = new LogBuilder();
    const t0 = Date.UTC(2024, 0, 1);
    const h = 3_600_000;
    b.addEvent('c1', 'Invoice Created', t0 + h, t0);
    b.addEvent('c1', 'Invoice Approved', t0 + 2 * h, t0 + 1.5 * h);
    b.addEvent('c2', 'Invoice Created', t0 + 0.75 * h, t0);
    const log = b.finish(info);
    const r = mineReference(log);
    expect(r.caseDurations.minMs).toBe(2_700_000);
    expect(r.caseDurations.maxMs).toBe(7_200_000);
    const created = log.activities.indexOf('Invoice Created');
    const approved = log.activities.indexOf('Invoice Approved');
    expect(r.processingTimes?.[created].minMs).toBe(2_700_000);
    expect(r.processingTimes?.[created].maxMs).toBe(3_600_000);
    expect(r.processingTimes?.[approved].sumMs).toBe(1_800_000);
    const e = edgeOf(log, r, 'Invoice Created', 'Invoice Approved');
    expect(e?.count).toBe(1);
    expect(e?.endToEnd?.sumMs).toBe(3_600_000);
    expect(e?.waiting.sumMs).toBe(1_800_000);
  });

  it('15: keeps the empty trace as a case with the empty variant', () => {
    const b = new LogBuilder();
    const t0 = Date.UTC(2024, 0, 1);
    b.addEvent('c1', 'Ticket Opened', t0);
    b.addEvent('c1', 'Ticket Closed', t0 + 3_600_000);
    b.addEvent('c2', 'Ticket Opened', t0);
    b.addEvent('c2', 'Ticket Closed', t0 + 7_200_000);
    b.addCase('c3');
    b.addEvent('c4', 'Ticket Opened', t0);
    const log = b.finish(info);
    const r = mineReference(log);
    expect([r.caseCount, r.eventCount, r.emptyCases]).toEqual([4, 5, 1]);
    expect(r.variants.map((v) => v.count)).toEqual([2, 1, 1]);
    expect(r.variants.map((v) => v.activities.length)).toEqual([2, 0, 1]);
    const e = edgeOf(log, r, 'Ticket Opened', 'Ticket Closed');
    expect(e?.count).toBe(2);
    expect(e?.waiting.meanMs).toBe(5_400_000);
    expect(e?.waiting.minMs).toBe(3_600_000);
    expect(edgeOf(log, r, START, 'Ticket Opened')?.count).toBe(3);
    expect(edgeOf(log, r, 'Ticket Opened', END)?.count).toBe(1);
    expect(edgeOf(log, r, 'Ticket Closed', END)?.count).toBe(2);
    // c1 3600000, c2 7200000, c4 0; c3 has no duration.
    expect(r.caseDurations.count).toBe(3);
    expect(r.caseDurations.sumMs).toBe(10_800_000);
    expect(r.caseDurations.minMs).toBe(0);
  });

  it('16: an empty log gives empty statistics', () => {
    const log = new LogBuilder().finish(info);
    const r = mineReference(log);
    expect([r.caseCount, r.eventCount, r.edges.length, r.variants.length]).toEqual([0, 0, 0, 0]);
    expect(r.caseDurations.count).toBe(0);
    expect(r.caseDurations.meanMs).toBeNull();
    expect(r.caseDurations.medianMs).toBeNull();
    expect(r.traceLengths.length).toBe(0);
  });

  it('links kept events directly under an activity mask and skips masked cases', () => {
    // By hand: c1 = A B C, c2 = A C; keep A and C, drop case c2 → one edge A→C of 2 ms.
    const b = new LogBuilder();
    b.addEvent('c1', 'A', 0);
    b.addEvent('c1', 'B', 1);
    b.addEvent('c1', 'C', 2);
    b.addEvent('c2', 'A', 10);
    b.addEvent('c2', 'C', 20);
    const log = b.finish(info);
    const r = mineReference(log, {
      caseMask: Uint8Array.of(1, 0), activityMask: Uint8Array.of(1, 0, 1),
    });
    expect([r.caseCount, r.eventCount]).toEqual([1, 2]);
    expect(r.edges.map((e) => [e.from, e.to, e.count]))
      .toEqual([[-1, 0, 1], [0, 2, 1], [2, -2, 1]]);
    expect(edgeOf(log, r, 'A', 'C')?.waiting.sumMs).toBe(2);
    expect(Array.from(r.activityCounts)).toEqual([1, 0, 1]);
  });

  it('rejects a case mask of the wrong length', () => {
    const log = new LogBuilder().finish(info);
    expect(() => mineReference(log, { caseMask: new Uint8Array(3) }))
      .toThrow(/caseMask has 3 entries but the log has 0 cases/);
  });
});
