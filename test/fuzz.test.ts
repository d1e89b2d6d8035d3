/**
 * A bounded fuzzing run (seconds): the CSV and XES readers and the timestamp parsers answer a
 * correct import or a typed error, never another exception nor a hang. The properties and
 * their oracles are in test/hostile/fuzz-properties.ts; `npm run fuzz` runs them far longer.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PROPERTIES } from './hostile/fuzz-properties.js';

// A property run slower than this is a hang (a fast-check timeout fails the run).
const RUN_TIMEOUT_MS = 10_000;
const RUNS: Record<keyof typeof PROPERTIES, number> = {
  csvNeverCrashes: 1000, bytesNeverCrash: 500, csvRoundTrip: 400, xesNeverCrashes: 1000,
  xesRoundTrip: 300, timestampsNeverCrash: 20_000, timestampsRoundTrip: 20_000,
};

describe('fuzzing, bounded', () => {
  for (const [name, property] of Object.entries(PROPERTIES)) {
    test(name, async () => {
      const runs = RUNS[name as keyof typeof PROPERTIES];
      const result = await fc.check(property as fc.IAsyncProperty<unknown[]>,
        { numRuns: runs, timeout: RUN_TIMEOUT_MS, seed: Number(process.env.FUZZ_SEED ?? 42) });
      expect(result.failed, fc.defaultReportMessage(result) ?? '').toBe(false);
      expect(result.numRuns).toBe(runs);
    }, 120_000);
  }
});
