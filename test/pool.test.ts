// The pooled engine: identical results for 1, 2, 3 and 7 workers, equal to the reference
// (the independent expected value); worker failure; option validation.
// Needs `npm run build` first: Piscina workers are the compiled dist/src/engine/mine-worker.js.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, splitCases, type Engine } from '../src/engine/engine.js';
import { closeDefaultEngine, mine } from '../src/engine/default-engine.js';
import { mineReference } from '../src/engine/reference.js';
import { isLedgerflowError } from '../src/errors.js';
import { compiledLogFrom, logWithOptions } from './helpers/random-compiled-log.js';

const engines: Engine[] = [];
afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
  await closeDefaultEngine();
});

function pooled(workers: number): Engine {
  const engine = createEngine({ workers, inlineBelowEvents: 0 });
  engines.push(engine);
  return engine;
}

// A log of 3000 cases built from a fixed seed: 8 activities, 0–12 events each, intervals.
function mediumLog(intervals: boolean, activityCount = 8) {
  let s = 42;
  const next = (m: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % m;
  };
  const cases = Array.from({ length: 3000 }, () => Array.from({ length: next(13) },
    () => ({ act: next(activityCount), gap: next(100_000), dur: next(5000) })));
  return compiledLogFrom(activityCount, cases, intervals);
}

describe('pooled engine', () => {
  it('gives the same result for 1, 2, 3 and 7 workers, equal to the reference', async () => {
    for (const [intervals, activities] of [[false, 8], [true, 8], [true, 40]] as const) {
      const log = mediumLog(intervals, activities);
      const options = { caseMask: Uint8Array.from(log.caseIds, (_, c) => (c % 5 === 0 ? 0 : 1)) };
      const expected = mineReference(log, options);
      for (const workers of [1, 2, 3, 7]) {
        const engine = pooled(workers);
        expect(await engine.mine(engine.load(log), options)).toEqual(expected);
      }
    }
  }, 60_000);

  it('equals the reference on random logs with 3 workers', async () => {
    const engine = pooled(3);
    await fc.assert(fc.asyncProperty(logWithOptions, async ({ log, options }) => {
      const handle = engine.load(log);
      expect(await engine.mine(handle, options)).toEqual(mineReference(log, options));
      engine.unload(handle);
    }), { numRuns: 60 });
  }, 60_000);

  it('reports a failing worker as LF_ERR_ENGINE_WORKER_FAILED and stays usable', async () => {
    const engine = pooled(2);
    const log = mediumLog(false);
    const handle = engine.load(log);
    // A parameter block far outside the memory makes the kernel trap.
    const failure = await engine.runRawTask(2 ** 31 + 64).catch((err: unknown) => err);
    expect(isLedgerflowError(failure, 'LF_ERR_ENGINE_WORKER_FAILED')).toBe(true);
    expect(await engine.mine(handle)).toEqual(mineReference(log));
  }, 30_000);

  it('splits cases into ranges of about equal events', () => {
    // By hand: cases of 4, 4, 1, 1, 2 events (12); two parts → the cut at event 6 falls
    // after case 1 (offset 8 is the first ≥ 6), three parts → targets 4 and 8.
    const offsets = Int32Array.of(0, 4, 8, 9, 10, 12);
    expect(splitCases(offsets, 2)).toEqual([[0, 2], [2, 5]]);
    expect(splitCases(offsets, 3)).toEqual([[0, 1], [1, 2], [2, 5]]);
  });

  it('runs the default engine through mine()', async () => {
    const log = mediumLog(false);
    expect(await mine(log)).toEqual(mineReference(log));
  });
});

describe('engine options', () => {
  it('rejects workers outside 1..256 and a negative inline threshold, naming the option', () => {
    expect(() => createEngine({ workers: 0 }))
      .toThrow(/option "workers" must be an integer from 1 to 256/);
    expect(() => createEngine({ workers: 2.5 })).toThrow(/"workers"/);
    expect(() => createEngine({ inlineBelowEvents: -1 })).toThrow(/"inlineBelowEvents"/);
  });

  it('refuses calls after close', async () => {
    const engine = createEngine({ workers: 1 });
    await engine.close();
    expect(() => engine.load(mediumLog(false))).toThrow(/engine was closed/);
  });
});
