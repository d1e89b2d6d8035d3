/**
 * A small synthetic log the engine runs a few times per worker (and in the calling thread)
 * before the first real question, so that question does not run in V8's baseline tier.
 * @internal
 */
import type { CompiledLog } from '../log/compiled-log.js';

const CASES = 2000;
const PER_CASE = 8;
const ACTIVITIES = 6;

/** The warm-up log: fixed cases of eight events over six activities. */
export function warmupLog(): CompiledLog {
  const n = CASES * PER_CASE;
  const offsets = new Int32Array(CASES + 1);
  const activity = new Int32Array(n);
  const time = new Float64Array(n);
  for (let c = 0; c < CASES; c++) {
    offsets[c + 1] = (c + 1) * PER_CASE;
    for (let k = 0; k < PER_CASE; k++) {
      const i = c * PER_CASE + k;
      activity[i] = (c + k * k) % ACTIVITIES;
      time[i] = c * 1000 + k * k * 60_000;
    }
  }
  return {
    caseCount: CASES, eventCount: n,
    caseIds: Array.from({ length: CASES }, (_, c) => `w${c}`),
    activities: Array.from({ length: ACTIVITIES }, (_, a) => `a${a}`),
    resources: [], offsets, activity, time, start: time, hasIntervals: false, resource: null,
    eventAttributes: new Map(), caseAttributes: new Map(),
    info: {
      source: 'warm-up', format: 'generated', mapping: {}, skippedRows: {},
      lifecycle: {
        rawEvents: n, pairedInstances: 0, unpairedStarts: 0, unpairedCompletes: 0,
        otherTransitions: 0,
      },
    },
  };
}
