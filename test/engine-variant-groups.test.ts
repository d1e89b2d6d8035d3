// Variant grouping per range (the kernel's groupRange) and the merge of range groups over their
// pooled sequences, with every hash forced equal so only the exact sequence comparison can tell
// variants apart. Expected values worked by hand from the
// six sequences below. Needs build/kernel.wasm (`npm run build:wasm`).
import { describe, expect, it } from 'vitest';
import { CallLayout, type TaskRegion } from '../src/engine/call-layout.js';
import {
  createSharedMemory, instantiateKernel, kernelModule,
} from '../src/engine/kernel-module.js';
import { F_COLLIDE, F_STATS, P_GROUP_COUNT } from '../src/engine/kernel-params.js';
import { loadColumns } from '../src/engine/loaded-log.js';
import { SharedArena } from '../src/engine/shared-arena.js';
import { mergeGroups, variantOrder, type RangeGroups } from '../src/engine/variant-groups.js';
import { mergeVariantsInKernel } from '../src/engine/variant-merge.js';
import { mineReference } from '../src/engine/reference.js';
import type { Variant } from '../src/engine/variant-table.js';
import { compiledLogFrom } from './helpers/random-compiled-log.js';

// Cases 0..5: [0,1], [1,0], [0,1], [], [1,0], [0,1,2]
const sequences = [[0, 1], [1, 0], [0, 1], [], [1, 0], [0, 1, 2]];
const log = compiledLogFrom(3, sequences.map((s) => s.map((act) => ({ act, gap: 1, dur: 0 }))),
  false);

/** Copies of a task's groups (the memory is dropped after the call). */
function copyGroups(buffer: ArrayBufferLike, t: TaskRegion, params: number): RangeGroups {
  const n = t.caseTo - t.caseFrom;
  return {
    groups: new Int32Array(buffer, params, P_GROUP_COUNT + 1)[P_GROUP_COUNT],
    reps: new Int32Array(buffer, t.groups, n).slice(),
    counts: new Uint32Array(buffer, t.groups + n * 4, n).slice(),
    words: new Uint32Array(buffer, t.hashes, n * 2).slice(),
    poolPos: new Int32Array(buffer, t.groups + n * 8, n).slice(),
    pool: new Int32Array(buffer, t.pool, t.poolWords).slice(),
  };
}

/**
 * Runs the kernel and groupRange over `ranges`, by default with every case's hash set to one
 * value.
 */
function groups(
  ranges: Array<[number, number]>, caseMask?: Uint8Array, activityMask?: Uint8Array,
  of = log, collide = true,
): RangeGroups[] {
  const arena = new SharedArena(createSharedMemory());
  const kernel = instantiateKernel(kernelModule(), arena.memory);
  const layout = new CallLayout(arena, loadColumns(arena, of).columns, ranges, caseMask,
    activityMask);
  // F_COLLIDE: every case gets one hashed word; only the exact comparison separates variants.
  const params = layout.writeParams(collide ? F_STATS | F_COLLIDE : F_STATS);
  return layout.tasks.map((t, k) => {
    kernel.mineRange(params[k]);
    kernel.groupRange(params[k]);
    return copyGroups(arena.memory.buffer, t, params[k]);
  });
}

const mergeArena = new SharedArena(createSharedMemory());
const mergeKernel = instantiateKernel(kernelModule(), mergeArena.memory);

/**
 * The merged variants as objects, to compare with lists worked by hand. Both merges run: the
 * kernel's (assembly/merge.ts, what the engine uses) must equal the TypeScript one exactly.
 */
function merged(parts: RangeGroups[]): Variant[] {
  const table = mergeGroups(parts);
  expect(mergeVariantsInKernel(mergeKernel, mergeArena, parts)).toEqual(table);
  return table.toArray();
}

const allFour = [
  { activities: [0, 1], count: 2, representative: 0 },
  { activities: [1, 0], count: 2, representative: 1 },
  { activities: [], count: 1, representative: 3 },
  { activities: [0, 1, 2], count: 1, representative: 5 },
];

describe('variant groups', () => {
  it('groups one range exactly despite equal hashes', () => {
    const [g] = groups([[0, 6]]);
    // By hand: [0,1] cases 0,2; [1,0] cases 1,4; [] case 3; [0,1,2] case 5.
    expect(g.groups).toBe(4);
    expect(Array.from(g.reps.subarray(0, 4))).toEqual([0, 1, 3, 5]);
    expect(Array.from(g.counts.subarray(0, 4))).toEqual([2, 2, 1, 1]);
    // Pool: length then codes, per group in order.
    expect(Array.from(g.pool.subarray(0, 10))).toEqual([2, 0, 1, 2, 1, 0, 0, 3, 0, 1]);
  });

  it('merges groups of two ranges into the same variants as one range', () => {
    expect(merged(groups([[0, 3], [3, 6]]))).toEqual(allFour);
    // Three ranges, one of them empty, and one case per range.
    expect(merged(groups([[0, 2], [2, 2], [2, 6]]))).toEqual(allFour);
    expect(merged(groups([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6]])))
      .toEqual(allFour);
  });

  it('merges thousands of groups across ranges as the reference counts them', () => {
    // 3,000 cases over 700 sequences (case c spells c mod 700 in base 4, so some variants
    // recur in every range): enough groups to grow the kernel's and the merge's tables.
    // Expected: mineReference's variants (a Map keyed by the joined sequence).
    const many = compiledLogFrom(4, Array.from({ length: 3000 }, (_, c) =>
      Array.from((c % 700).toString(4), (d) => ({ act: Number(d), gap: 1, dur: 0 }))), false);
    const expected = mineReference(many).variants.toArray();
    expect(expected.length).toBe(700);
    expect(merged(groups([[0, 1000], [1000, 1001], [1001, 3000]], undefined, undefined,
      many, false))).toEqual(expected);
    expect(merged(groups([[0, 3000]], undefined, undefined, many, false)))
      .toEqual(expected);
  });

  it('keeps packed and hashed words apart at the packing limit', () => {
    // One activity: codes plus one take 1 bit, so up to 63 events pack exactly and 64 or more
    // are hashed. Three activities: 2 bits, up to 31. Lengths around each limit, each twice,
    // in separate ranges. Expected: mineReference's variants.
    for (const [activities, limit] of [[1, 63], [3, 31]]) {
      const lengths = [limit - 1, limit, limit + 1, limit + 2, 0, limit, limit + 1];
      const cases = [...lengths, ...lengths].map((n) =>
        Array.from({ length: n }, (_, i) => ({ act: i % activities, gap: 1, dur: 0 })));
      const of = compiledLogFrom(activities, cases, false);
      const expected = mineReference(of).variants.toArray();
      expect(expected.length).toBe(5);
      expect(merged(groups([[0, 7], [7, 14]], undefined, undefined, of, false)))
        .toEqual(expected);
    }
  });

  it('honours a case mask and an activity projection', () => {
    // Keep activities 0 and 2: case 5 becomes [0,2]; masking out cases 0 and 1 leaves
    // [0] (case 2), [] (3), [0] (4), [0,2] (5).
    const activityMask = Uint8Array.of(1, 0, 1);
    const parts = groups([[0, 4], [4, 6]], Uint8Array.of(0, 0, 1, 1, 1, 1), activityMask);
    expect(merged(parts)).toEqual([
      { activities: [0], count: 2, representative: 2 },
      { activities: [], count: 1, representative: 3 },
      { activities: [0, 2], count: 1, representative: 5 },
    ]);
  });

  it('orders by count descending, then group number, with either sort', () => {
    // By hand: counts 1, 3, 3, 2 → groups 1, 2 (tie, lower first), 3, 0.
    const counts = Float64Array.of(1, 3, 3, 2);
    expect(Array.from(variantOrder(counts, 4))).toEqual([1, 2, 3, 0]);
    // Counts of 2^32 and more, or not whole: the comparator sort.
    const big = Float64Array.of(2 ** 51, 2 ** 52, 2 ** 52, 5, 2 ** 51);
    expect(Array.from(variantOrder(big, 5))).toEqual([1, 2, 0, 4, 3]);
    expect(Array.from(variantOrder(Float64Array.of(1.5, 2, 1.5), 3))).toEqual([1, 0, 2]);
    // Counts needing three radix passes (11 bits each), by hand: 2^31 twice (tie, lower
    // group first), then 2^22 + 1, 2^11, 5.
    const wide = Float64Array.of(2 ** 31, 5, 2 ** 31, 2 ** 22 + 1, 2 ** 11);
    expect(Array.from(variantOrder(wide, 5))).toEqual([0, 2, 3, 4, 1]);
  });

  it('merges counts that need several radix passes, past 2^32 in sum', () => {
    // Hand-made ranges with exact words (bit 63 set). Range A: [0] × 5, [1] × 2^31,
    // [2] × 3000; range B: [0] × 2^32 − 1 (same word as A's first), [3] × 2^22. By hand: [0]
    // has 2^32 + 4 cases, then [1], [3], [2].
    const exact = (code: number): [number, number] => [code + 1, 0x80000000];
    const part = (reps: number[], counts: number[], codes: number[]): RangeGroups => ({
      groups: reps.length,
      reps: Int32Array.from(reps),
      counts: Uint32Array.from(counts),
      words: Uint32Array.from(codes.flatMap(exact)),
      poolPos: Int32Array.from(codes, (_, k) => k * 2),
      pool: Int32Array.from(codes.flatMap((code) => [1, code])),
    });
    const a = part([0, 1, 2], [5, 2 ** 31, 3000], [0, 1, 2]);
    const b = part([10, 11], [2 ** 32 - 1, 2 ** 22], [0, 3]);
    expect(merged([a, b])).toEqual([
      { activities: [0], count: 2 ** 32 + 4, representative: 0 },
      { activities: [1], count: 2 ** 31, representative: 1 },
      { activities: [3], count: 2 ** 22, representative: 11 },
      { activities: [2], count: 3000, representative: 2 },
    ]);
  });

  it('orders random counts as a comparator sort does', () => {
    // Expected: Array.prototype.sort with the contract's comparator (count desc, then group).
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (const top of [1, 7, 3000, 2 ** 20, 2 ** 32 - 1]) {
      const n = 500;
      const counts = Float64Array.from({ length: n }, () => next() % (top + 1));
      const expected = Array.from({ length: n }, (_, g) => g)
        .sort((x, y) => counts[y] - counts[x] || x - y);
      expect(Array.from(variantOrder(counts, n))).toEqual(expected);
    }
  });
});
