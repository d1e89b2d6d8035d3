/**
 * The long fuzzing run (`npm run fuzz`): every property of test/hostile/fuzz-properties.ts with
 * many more runs and a fresh seed each time, printed so a failure can be replayed.
 *
 *   FUZZ_RUNS=20000 FUZZ_SEED=123 npm run fuzz      # runs per async property, fixed seed
 */
import fc from 'fast-check';
import { PROPERTIES } from '../test/hostile/fuzz-properties.js';

const runs = Number(process.env.FUZZ_RUNS ?? 5000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
let failed = 0;
console.log(`fuzzing with seed ${seed}, ${runs} runs per reader property`);
for (const [name, property] of Object.entries(PROPERTIES)) {
  // The parser properties are cheap: ten times the runs.
  const numRuns = name.startsWith('timestamps') ? runs * 10 : runs;
  const started = performance.now();
  const result = await fc.check(property as fc.IAsyncProperty<unknown[]>,
    { numRuns, seed, timeout: 30_000 });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.failed) {
    failed++;
    console.log(`FAIL ${name} (${seconds} s)\n${fc.defaultReportMessage(result)}`);
  } else {
    console.log(`ok   ${name}: ${result.numRuns} runs, ${seconds} s`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
