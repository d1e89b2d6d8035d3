// Variant grouping per range and the merge of range leaders, with every hash forced equal so
// only the exact sequence comparison can tell variants apart. Expected values worked by hand.
import { describe, expect, it } from 'vitest';
import { groupRange, mergeGroups, type RangeGroups } from '../src/engine/variant-groups.js';

// Cases 0..5: [0,1], [1,0], [0,1], [], [1,0], [0,1,2]
const offsets = Int32Array.of(0, 2, 4, 6, 6, 8, 11);
const activity = Int32Array.of(0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 2);
const seq = { offsets, activity };

function group(from: number, to: number, caseMask?: Uint8Array): RangeGroups {
  const n = to - from;
  const words = new Uint32Array(n * 2).fill(7); // every case collides
  const reps = new Int32Array(n);
  const counts = new Uint32Array(n);
  const groups = groupRange(seq, from, to, words, reps, counts, caseMask);
  return { groups, reps, counts, words };
}

describe('variant groups', () => {
  it('groups one range exactly despite equal hashes', () => {
    const g = group(0, 6);
    // By hand: [0,1] cases 0,2; [1,0] cases 1,4; [] case 3; [0,1,2] case 5.
    expect(g.groups).toBe(4);
    expect(Array.from(g.reps.subarray(0, 4))).toEqual([0, 1, 3, 5]);
    expect(Array.from(g.counts.subarray(0, 4))).toEqual([2, 2, 1, 1]);
  });

  it('merges leaders of two ranges into the same variants as one range', () => {
    const variants = mergeGroups(seq, [group(0, 3), group(3, 6)]);
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
    const projected = { offsets, activity, activityMask: Uint8Array.of(1, 0, 1) };
    const mask = Uint8Array.of(0, 0, 1, 1, 1, 1);
    const n = 6;
    const words = new Uint32Array(n * 2).fill(3);
    const reps = new Int32Array(n);
    const counts = new Uint32Array(n);
    const groups = groupRange(projected, 0, 6, words, reps, counts, mask);
    const variants = mergeGroups(projected, [{ groups, reps, counts, words }]);
    expect(variants).toEqual([
      { activities: [0], count: 2, representative: 2 },
      { activities: [], count: 1, representative: 3 },
      { activities: [0, 2], count: 1, representative: 5 },
    ]);
  });
});
