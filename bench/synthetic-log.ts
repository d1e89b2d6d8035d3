/**
 * A seeded synthetic AR log built straight into compiled-log columns (no strings per event):
 * 14 activities, cases of 3–17 events (mean 10) walking an invoice-like chain, gaps of minutes
 * to weeks in integer milliseconds.
 */
import type { CompiledLog } from '../src/log/compiled-log.js';

/** Activity names of the synthetic log (codes are their indices). */
export const BENCH_ACTIVITIES = [
  'Invoice Created', 'Invoice Sent', 'Dunning Letter Sent', 'Promise To Pay', 'Dispute Opened',
  'Dispute Resolved', 'Credit Note Issued', 'Payment Received', 'Cash Applied', 'Invoice Cleared',
  'Call Customer', 'Reminder Email', 'Write Off', 'Invoice Corrected',
];

/** A small, fast, seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where the generator puts its columns: plain arrays, or an engine's shared memory. */
export type ColumnSpace = (caseCount: number, eventCount: number) => {
  offsets: Int32Array; activity: Int32Array; time: Float64Array;
};

const plainSpace: ColumnSpace = (caseCount, eventCount) => ({
  offsets: new Int32Array(caseCount + 1), activity: new Int32Array(eventCount),
  time: new Float64Array(eventCount),
});

/**
 * Builds a log of `events` events from `seed`. Case lengths come from their own stream, so the
 * case count is known before the columns are allocated (in `space`, e.g. an engine's
 * allocateColumns, to build the log straight in shared memory).
 */
export function syntheticLog(events: number, seed = 7, space = plainSpace): CompiledLog {
  const lengths = seededRandom(seed ^ 0x5bd1e995);
  const caseLength = (remaining: number) => Math.min(remaining, 3 + Math.floor(lengths() * 15));
  let caseCount = 0;
  for (let left = events; left > 0; left -= caseLength(left)) caseCount++;
  const { offsets, activity, time } = space(caseCount, events);
  const rand = seededRandom(seed);
  const rewind = seededRandom(seed ^ 0x5bd1e995);
  const a = BENCH_ACTIVITIES.length;
  let i = 0;
  let c = 0;
  offsets[0] = 0;
  while (i < events) {
    const length = Math.min(events - i, 3 + Math.floor(rewind() * 15));
    let t = 1_704_067_200_000 + Math.floor(rand() * 31_536_000_000);
    let act = 0;
    for (let k = 0; k < length; k++) {
      activity[i] = act;
      time[i] = t;
      i++;
      // Mostly forward along the chain, sometimes a jump (rework, disputes, dunning loops),
      // so variants follow a long-tailed distribution as in real AR logs.
      const r = rand();
      act = r < 0.9 ? Math.min(act + 1, a - 1) : r < 0.97 ? (act + 2) % a : Math.floor(rand() * a);
      t += Math.floor(rand() * rand() * 1_209_600_000);
    }
    offsets[++c] = i;
  }
  return {
    caseCount, eventCount: events,
    caseIds: Array.from({ length: caseCount }, (_, k) => `INV-${k}`),
    activities: BENCH_ACTIVITIES.slice(), resources: [],
    offsets, activity, time, start: time,
    hasIntervals: false, resource: null,
    eventAttributes: new Map(), caseAttributes: new Map(),
    info: {
      source: `synthetic-${events}`, format: 'generated', mapping: {}, skippedRows: {},
      lifecycle: {
        rawEvents: events, pairedInstances: 0, unpairedStarts: 0, unpairedCompletes: 0,
        otherTransitions: 0,
      },
    },
  };
}
