/**
 * Exact variant grouping from the kernel's per-case hashes.
 *
 * The kernel hashes each case's kept activity sequence (64-bit FNV-1a); here cases are grouped
 * in an open-addressing table keyed by that hash, and a case joins a group only when its
 * sequence equals the group representative's, compared event by event. Two sequences with the
 * same hash therefore still form two variants: the hash only narrows the search.
 * @internal
 */
import type { CompiledLog } from '../log/compiled-log.js';
import { compareVariants, type Variant } from './mine-result.js';

/** One task's hashes: cases [caseFrom, caseTo), two u32 words (low, high) per case. */
export interface HashRun {
  caseFrom: number;
  caseTo: number;
  words: Uint32Array;
}

/** Groups the participating cases into variants, sorted as the contract says. */
export function groupVariants(
  log: CompiledLog, runs: HashRun[], caseMask?: Uint8Array, activityMask?: Uint8Array,
): Variant[] {
  let participating = 0;
  for (const run of runs) participating += run.caseTo - run.caseFrom;
  let size = 16;
  while (size < participating * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  // Group g: representative case, count and hash words (typed, so 10^6 groups stay cheap).
  let reps = new Int32Array(1024);
  let counts = new Float64Array(1024);
  let lows = new Uint32Array(1024);
  let highs = new Uint32Array(1024);
  let groups = 0;
  const same = sameSequence(log, activityMask);

  for (const run of runs) {
    for (let c = run.caseFrom; c < run.caseTo; c++) {
      if (caseMask !== undefined && caseMask[c] === 0) continue;
      const low = run.words[(c - run.caseFrom) * 2];
      const high = run.words[(c - run.caseFrom) * 2 + 1];
      let i = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
      for (;;) {
        const g = slots[i];
        if (g < 0) {
          if (groups === reps.length) {
            reps = grow(reps, new Int32Array(groups * 2));
            counts = grow(counts, new Float64Array(groups * 2));
            lows = grow(lows, new Uint32Array(groups * 2));
            highs = grow(highs, new Uint32Array(groups * 2));
          }
          slots[i] = groups;
          reps[groups] = c;
          counts[groups] = 1;
          lows[groups] = low;
          highs[groups] = high;
          groups++;
          break;
        }
        if (lows[g] === low && highs[g] === high && same(reps[g], c)) {
          counts[g]++;
          break;
        }
        i = (i + 1) & mask;
      }
    }
  }

  const variants: Variant[] = [];
  for (let g = 0; g < groups; g++) {
    variants.push({
      activities: keptSequence(log, reps[g], activityMask), count: counts[g],
      representative: reps[g],
    });
  }
  return variants.sort(compareVariants);
}

function grow<T extends Int32Array | Float64Array | Uint32Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** The kept activity codes of one case, in order. */
export function keptSequence(log: CompiledLog, c: number, activityMask?: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = log.offsets[c]; i < log.offsets[c + 1]; i++) {
    const a = log.activity[i];
    if (activityMask === undefined || activityMask[a] !== 0) out.push(a);
  }
  return out;
}

function sameSequence(log: CompiledLog, activityMask?: Uint8Array) {
  const { offsets, activity } = log;
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
