// The kernel's fast path (no masks, no intervals: assembly/fast.ts) against the TypeScript
// reference, on logs large enough that cases straddle its 1024-event chunks. The expected
// values are mineReference's (an independent, obviously-right implementation) and, in the
// hand-made log, counts worked out by hand. Needs build/kernel.wasm (`npm run build:wasm`).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine/engine.js';
import { mineReference } from '../src/engine/reference.js';
import { compiledLogFrom } from './helpers/random-compiled-log.js';

const engine = createEngine({ workers: 1, inlineBelowEvents: 2 ** 31 });
afterAll(() => engine.close());

const event = fc.record({
  act: fc.nat(400),
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 }),
    fc.integer({ min: 0, max: 2 ** 42 })),
  dur: fc.constant(0),
});

const bigLog = fc.record({
  activityCount: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 60, max: 120 })),
  // Short and long cases (up to 1500 events), so chunk edges fall inside cases.
  cases: fc.array(fc.oneof(fc.array(event, { maxLength: 15 }),
    fc.array(event, { minLength: 900, maxLength: 2500 })), { maxLength: 12 }),
  base: fc.integer({ min: -(2 ** 43), max: 2 ** 44 }),
});

describe('kernel fast path equals the reference', () => {
  it('on random unmasked logs whose cases cross chunk boundaries', async () => {
    await fc.assert(fc.asyncProperty(bigLog, async (r) => {
      const log = compiledLogFrom(r.activityCount, r.cases, false, r.base);
      const handle = engine.load(log);
      try {
        expect(await engine.mine(handle)).toEqual(mineReference(log));
      } finally {
        engine.unload(handle);
      }
    }), { numRuns: 12 });
  }, 120_000);

  it('on a log whose times go backwards (negative waits, negative keys)', async () => {
    // 3000 events in one case alternating a0, a1; times t, t-7, t, t-7...: by hand, 1500 a0->a1
    // edges each waiting −7 ms and 1499 a1→a0 edges each waiting +7 ms.
    const cases = [Array.from({ length: 3000 }, (_, k) => ({ act: k % 2, gap: 0, dur: 0 }))];
    const log = compiledLogFrom(2, cases, false);
    for (let i = 0; i < 3000; i++) log.time[i] = 1_700_000_000_000 - (i % 2) * 7;
    const result = await engine.mine(engine.load(log));
    expect(result).toEqual(mineReference(log));
    const forward = result.edges.find((e) => e.from === 0 && e.to === 1);
    expect(forward?.count).toBe(1500);
    expect(forward?.waiting.minMs).toBe(-7);
    expect(forward?.waiting.maxMs).toBe(-7);
    const back = result.edges.find((e) => e.from === 1 && e.to === 0);
    expect(back?.count).toBe(1499);
    expect(back?.waiting.sumMs).toBe(1499 * 7);
    expect(Array.from(result.activityCounts)).toEqual([1500, 1500]);
    expect(result.caseDurations.maxMs).toBe(7);
  });

  it('with more than 60 activities (compact histograms, two passes)', async () => {
    // 61 activities → 62² × 4097 buckets exceed the dense limit; one case walks 0..60 twice.
    const cases = [Array.from({ length: 122 }, (_, k) => ({ act: k % 61, gap: k, dur: 0 }))];
    const log = compiledLogFrom(61, cases, false);
    const result = await engine.mine(engine.load(log));
    expect(result).toEqual(mineReference(log));
    // By hand: 121 edges, of which 60→0 once; every activity occurs twice.
    expect(result.edges.reduce((s, e) => s + e.count, 0)).toBe(121 + 2);
    expect(Array.from(result.activityCounts)).toEqual(Array(61).fill(2));
  });
});
