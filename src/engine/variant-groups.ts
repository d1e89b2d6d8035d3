/**
 * Exact variant grouping in two steps, from the kernel's per-case hashes.
 *
 * 1. Each task groups its own range of cases (the kernel's groupRange, assembly/groups.ts, run
 *    in the worker right after the stats pass): an open-addressing table keyed by the 64-bit
 *    hash, where a case joins a group only when its kept activity sequence equals the group
 *    leader's, compared event by event.
 * 2. The calling thread merges only the leaders of every range ({@link mergeGroups}), in range
 *    order, with the same exact comparison; the first leader of a variant is its lowest case.
 *
 * Two sequences with the same hash therefore still form two variants: the hash only narrows the
 * search. Work on the calling thread is per distinct variant and range, not per case.
 * @internal
 */
import { compareVariants, type Variant } from './mine-result.js';

/** Case boundaries and activity codes (whole-log arrays or views into shared memory). */
export interface Sequences {
  offsets: Int32Array;
  activity: Int32Array;
  /** Kept activity codes (non-zero); undefined keeps all. */
  activityMask?: Uint8Array;
}

/** One range's groups: entry g of each array describes group g, in order of first case. */
export interface RangeGroups {
  groups: number;
  /** Leader (first case) of each group. */
  reps: Int32Array;
  counts: Uint32Array;
  /** Two u32 words (low, high) of each group's hash. */
  words: Uint32Array;
}

/** Merges the groups of ranges given in case order into the sorted variants of the contract. */
export function mergeGroups(seq: Sequences, parts: RangeGroups[]): Variant[] {
  let total = 0;
  for (const part of parts) total += part.groups;
  let size = 16;
  while (size < total * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const reps = new Int32Array(total);
  const counts = new Float64Array(total);
  const lows = new Uint32Array(total);
  const highs = new Uint32Array(total);
  const same = sameSequence(seq);
  let groups = 0;
  for (const part of parts) {
    for (let k = 0; k < part.groups; k++) {
      const low = part.words[k * 2];
      const high = part.words[k * 2 + 1];
      const c = part.reps[k];
      let i = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
      for (;;) {
        const g = slots[i];
        if (g < 0) {
          slots[i] = groups;
          reps[groups] = c;
          counts[groups] = part.counts[k];
          lows[groups] = low;
          highs[groups] = high;
          groups++;
          break;
        }
        if (lows[g] === low && highs[g] === high && same(reps[g], c)) {
          counts[g] += part.counts[k];
          break;
        }
        i = (i + 1) & mask;
      }
    }
  }
  const variants: Variant[] = new Array(groups);
  for (let g = 0; g < groups; g++) {
    variants[g] = { activities: keptSequence(seq, reps[g]), count: counts[g],
      representative: reps[g] };
  }
  return variants.sort(compareVariants);
}

/** The kept activity codes of one case, in order. */
export function keptSequence(seq: Sequences, c: number): number[] {
  const { offsets, activity, activityMask } = seq;
  const out: number[] = [];
  for (let i = offsets[c]; i < offsets[c + 1]; i++) {
    const a = activity[i];
    if (activityMask === undefined || activityMask[a] !== 0) out.push(a);
  }
  return out;
}

function sameSequence(seq: Sequences): (x: number, y: number) => boolean {
  const { offsets, activity, activityMask } = seq;
  if (activityMask === undefined) {
    return (x: number, y: number): boolean => {
      const n = offsets[x + 1] - offsets[x];
      if (n !== offsets[y + 1] - offsets[y]) return false;
      for (let k = 0; k < n; k++) {
        if (activity[offsets[x] + k] !== activity[offsets[y] + k]) return false;
      }
      return true;
    };
  }
  return (x: number, y: number): boolean => {
    let i = offsets[x];
    let j = offsets[y];
    const iEnd = offsets[x + 1];
    const jEnd = offsets[y + 1];
    for (;;) {
      while (i < iEnd && activityMask[activity[i]] === 0) i++;
      while (j < jEnd && activityMask[activity[j]] === 0) j++;
      if (i === iEnd || j === jEnd) return i === iEnd && j === jEnd;
      if (activity[i] !== activity[j]) return false;
      i++;
      j++;
    }
  };
}
