/**
 * The library face: the README's example, run as written (through the package's own entry).
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { close, generateLog, mine, mineReference, openLog, summarizeLog } from '../src/index.js';
import { CASES_DIR, sharedAvailable } from './helpers/shared-data.js';

describe('library API', () => {
  it('opens, mines and summarizes a shared case', async () => {
    if (!sharedAvailable()) return;
    const log = await openLog(path.join(CASES_DIR, '09-variants-unsorted.csv'));
    const result = await mine(log);
    const summary = summarizeLog(log, result);
    // Case 09 of ../shared/cases: 2 variants, the first followed by c1 and c2.
    expect(summary.variants[0]).toEqual({
      activities: ['Invoice Created', 'Reminder Sent', 'Payment Received'], count: 2,
      share: 2 / 3,
    });
    await close();
  });

  it('mines a generated log through the pool exactly as the reference does', async () => {
    // Large enough (over the inline threshold) that the worker pool runs it.
    const log = generateLog({ invoices: 60_000, seed: 3 });
    expect(log.eventCount).toBeGreaterThan(200_000);
    const pooled = await mine(log);
    const reference = mineReference(log);
    expect(pooled.edges.map((e) => [e.from, e.to, e.count, e.waiting.sumMs]))
      .toEqual(reference.edges.map((e) => [e.from, e.to, e.count, e.waiting.sumMs]));
    expect(pooled.variants.length).toBe(reference.variants.length);
    expect(pooled.caseDurations.medianMs).toBe(reference.caseDurations.medianMs);
    await close();
  });
});
