// Variant grouping per range (the kernel's groupRange) and the merge of range leaders, with
// every hash forced equal so only the exact sequence comparison can tell variants apart.
// Expected values worked by hand. Needs build/kernel.wasm (`npm run build:wasm`).
import { describe, expect, it } from 'vitest';
import { CallLayout } from '../src/engine/call-layout.js';
import {
  createSharedMemory, instantiateKernel, kernelModule,
} from '../src/engine/kernel-module.js';
import { F_STATS, P_GROUP_COUNT } from '../src/engine/kernel-params.js';
import { loadColumns } from '../src/engine/loaded-log.js';
import { SharedArena } from '../src/engine/shared-arena.js';
import { mergeGroups, type RangeGroups } from '../src/engine/variant-groups.js';
import { compiledLogFrom } from './helpers/random-compiled-log.js';

// Cases 0..5: [0,1], [1,0], [0,1], [], [1,0], [0,1,2]
const sequences = [[0, 1], [1, 0], [0, 1], [], [1, 0], [0, 1, 2]];
const log = compiledLogFrom(3, sequences.map((s) => s.map((act) => ({ act, gap: 1, dur: 0 }))),
  false);

/** Runs the kernel and groupRange over `ranges` with every case's hash set to one value. */
function groups(
  ranges: Array<[number, number]>, caseMask?: Uint8Array, activityMask?: Uint8Array,
): RangeGroups[] {
  const arena = new SharedArena(createSharedMemory());
  const kernel = instantiateKernel(kernelModule(), arena.memory);
  const layout = new CallLayout(arena, loadColumns(arena, log).columns, ranges, caseMask,
    activityMask);
  const params = layout.writeParams(F_STATS);
  return layout.tasks.map((t, k) => {
    kernel.mineRange(params[k]);
    const n = t.caseTo - t.caseFrom;
    const buffer = arena.memory.buffer;
    const words = new Uint32Array(buffer, t.hashes, n * 2).fill(7); // every case collides
    kernel.groupRange(params[k]);
    return {
      groups: new Int32Array(buffer, t.params, P_GROUP_COUNT + 1)[P_GROUP_COUNT],
      reps: new Int32Array(buffer, t.groups, n).slice(),
      counts: new Uint32Array(buffer, t.groups + n * 4, n).slice(),
      words: words.slice(),
    };
  });
}

describe('variant groups', () => {
  it('groups one range exactly despite equal hashes', () => {
    const [g] = groups([[0, 6]]);
    // By hand: [0,1] cases 0,2; [1,0] cases 1,4; [] case 3; [0,1,2] case 5.
    expect(g.groups).toBe(4);
    expect(Array.from(g.reps.subarray(0, 4))).toEqual([0, 1, 3, 5]);
    expect(Array.from(g.counts.subarray(0, 4))).toEqual([2, 2, 1, 1]);
  });

  it('merges leaders of two ranges into the same variants as one range', () => {
    const variants = mergeGroups(log, groups([[0, 3], [3, 6]]));
    expect(variants).toEqual([
      { activities: [0, 1], count: 2, representative: 0 },
      { activities: [1, 0], count: 2, representative: 1 },
      { activities: [], count: 1, representative: 3 },
      { activities: [0, 1, 2], count: 1, representative: 5 },
    ]);
  });

  it('honours a case mask and an activity projection', () => {
    // Keep activities 0 and 2: case 5 becomes [0,2]; masking out cases 0 and 1 leaves
    // [0] (case 2), [] (3), [0] (4), [0,2] (5).
    const activityMask = Uint8Array.of(1, 0, 1);
    const parts = groups([[0, 4], [4, 6]], Uint8Array.of(0, 0, 1, 1, 1, 1), activityMask);
    expect(mergeGroups({ offsets: log.offsets, activity: log.activity, activityMask }, parts))
      .toEqual([
        { activities: [0], count: 2, representative: 2 },
        { activities: [], count: 1, representative: 3 },
        { activities: [0, 2], count: 1, representative: 5 },
      ]);
  });
});
