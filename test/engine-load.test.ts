// Loading without a second copy: columns built in the engine's shared memory are used in place,
// and `adopt` moves a log's columns there. Expected results come from mineReference (the
// independent TypeScript reference) on a plain copy of the same log.
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine/engine.js';
import { mineReference } from '../src/engine/reference.js';
import { compiledLogFrom } from './helpers/random-compiled-log.js';

const engine = createEngine({ workers: 1, inlineBelowEvents: 2 ** 31 });
afterAll(() => engine.close());

// 3 cases by hand: [a0 a1 a2], [a1], [a0 a2], one minute apart.
const cases = [[0, 1, 2], [1], [0, 2]].map((acts) =>
  acts.map((act) => ({ act, gap: 60_000, dur: 0 })));

describe('engine.load without a second copy', () => {
  it('uses columns from allocateColumns in place', async () => {
    const plain = compiledLogFrom(3, cases, false);
    const columns = engine.allocateColumns(plain.caseCount, plain.eventCount);
    columns.offsets.set(plain.offsets);
    columns.activity.set(plain.activity);
    columns.time.set(plain.time);
    expect(columns.start).toBe(columns.time);
    const log = { ...plain, ...columns };
    const handle = engine.load(log);
    // Nothing was copied: the handle owns no region and reads the views' own addresses.
    expect(handle.loaded.regions).toEqual([]);
    expect(handle.loaded.columns.activity).toBe(columns.activity.byteOffset);
    expect(handle.loaded.columns.end).toBe(columns.time.byteOffset);
    const result = await engine.mine(handle);
    expect(result).toEqual(mineReference(plain));
    // By hand: a0 occurs twice, a1 twice, a2 twice; 3 cases start, 2 of them with a0.
    expect(Array.from(result.activityCounts)).toEqual([2, 2, 2]);
    expect(result.edges.find((e) => e.from === -1 && e.to === 0)?.count).toBe(2);
  });

  it('adopts a log: its fields become shared views with the same values', async () => {
    const log = compiledLogFrom(3, cases, true);
    const before = { activity: log.activity.slice(), time: log.time.slice(),
      start: log.start.slice(), offsets: log.offsets.slice() };
    const handle = engine.load(log, { adopt: true });
    expect(log.activity.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(log.start.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(handle.loaded.regions).toEqual([]);
    expect(log.activity).toEqual(before.activity);
    expect(log.time).toEqual(before.time);
    expect(log.start).toEqual(before.start);
    expect(log.offsets).toEqual(before.offsets);
    const plain = { ...log, ...before };
    expect(await engine.mine(handle)).toEqual(mineReference(plain));
  });

  it('keeps start and time one array when adopting a log without intervals', () => {
    const log = compiledLogFrom(3, cases, false);
    engine.load(log, { adopt: true });
    expect(log.start).toBe(log.time);
    expect(log.time.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
