// The WASM kernel (run inline, in this thread) against the TypeScript reference on random logs:
// the expected value is mineReference's, an independent, obviously-right implementation.
// Needs build/kernel.wasm (`npm run build:wasm`).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine/engine.js';
import { mineReference } from '../src/engine/reference.js';
import { compiledLogFrom, logWithOptions } from './helpers/random-compiled-log.js';

const engine = createEngine({ workers: 1, inlineBelowEvents: 2 ** 31 });
afterAll(() => engine.close());

describe('kernel equals the reference', () => {
  it('on random logs with masks, ties, intervals and up to 300 activities', async () => {
    await fc.assert(fc.asyncProperty(logWithOptions, async ({ log, options }) => {
      const handle = engine.load(log);
      try {
        expect(await engine.mine(handle, options)).toEqual(mineReference(log, options));
      } finally {
        engine.unload(handle);
      }
    }), { numRuns: 300 });
  });

  it('on an empty log', async () => {
    const log = compiledLogFrom(0, [], false);
    const result = await engine.mine(engine.load(log));
    expect(result).toEqual(mineReference(log));
    expect(result.caseCount).toBe(0);
  });

  it('on one long case that overflows the increment buffer', async () => {
    // 5000 events alternate between 2 activities: 4999 edges, by hand 2500 a0→a1, 2499 a1→a0.
    const events = Array.from({ length: 5000 }, (_, k) => ({ act: k % 2, gap: k, dur: 3 }));
    const log = compiledLogFrom(2, [events], true);
    const result = await engine.mine(engine.load(log));
    expect(result).toEqual(mineReference(log));
    expect(result.edges.find((e) => e.from === 0 && e.to === 1)?.count).toBe(2500);
    expect(result.edges.find((e) => e.from === 1 && e.to === 0)?.count).toBe(2499);
  });
});
