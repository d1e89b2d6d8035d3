/**
 * fast-check arbitraries of compiled logs built directly (sorted by case, then start), with
 * optional intervals and masks, for the kernel-versus-reference property tests.
 */
import fc from 'fast-check';
import type { CompiledLog } from '../../src/log/compiled-log.js';
import type { MineOptions } from '../../src/engine/mine-result.js';

interface RawEvent { act: number; gap: number; dur: number }

/** Builds a compiled log from per-case event lists (start = previous start + gap). */
export function compiledLogFrom(
  activityCount: number, cases: RawEvent[][], intervals: boolean, base = 1_700_000_000_000,
): CompiledLog {
  const n = cases.reduce((s, c) => s + c.length, 0);
  const offsets = new Int32Array(cases.length + 1);
  const activity = new Int32Array(n);
  const time = new Float64Array(n);
  const start = intervals ? new Float64Array(n) : time;
  let i = 0;
  cases.forEach((events, c) => {
    let t = base + c * 17;
    for (const e of events) {
      t += e.gap;
      activity[i] = e.act % activityCount;
      start[i] = t;
      time[i] = intervals ? t + e.dur : t;
      i++;
    }
    offsets[c + 1] = i;
  });
  return {
    caseCount: cases.length, eventCount: n,
    caseIds: cases.map((_, c) => `c${c}`),
    activities: Array.from({ length: activityCount }, (_, a) => `a${a}`),
    resources: [], offsets, activity, time, start, hasIntervals: intervals, resource: null,
    eventAttributes: new Map(), caseAttributes: new Map(),
    info: {
      source: 'random', format: 'generated', mapping: {}, skippedRows: {},
      lifecycle: {
        rawEvents: n, pairedInstances: 0, unpairedStarts: 0, unpairedCompletes: 0,
        otherTransitions: 0,
      },
    },
  };
}

const gap = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 1000 }),
  fc.integer({ min: 0, max: 2 ** 40 }),
);

/** A random log with masks: few or many activities, empty and one-event cases, ties. */
export const logWithOptions = fc.record({
  activityCount: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 100, max: 300 })),
  cases: fc.array(fc.array(fc.record({
    act: fc.nat(400), gap, dur: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 36 })),
  }), { maxLength: 12 }), { maxLength: 40 }),
  intervals: fc.boolean(),
  base: fc.oneof(fc.constant(1_700_000_000_000), fc.integer({ min: -(2 ** 43), max: 2 ** 44 })),
  maskCases: fc.boolean(),
  maskActivities: fc.boolean(),
  seed: fc.nat(),
}).map((r) => {
  const log = compiledLogFrom(r.activityCount, r.cases, r.intervals, r.base);
  const options: MineOptions = {};
  let s = r.seed;
  const bit = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 16) & 1;
  };
  if (r.maskCases) options.caseMask = Uint8Array.from(log.caseIds, () => bit());
  if (r.maskActivities) options.activityMask = Uint8Array.from(log.activities, () => bit());
  return { log, options };
});
