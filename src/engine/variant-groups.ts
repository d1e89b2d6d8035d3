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
  const reps: number[] = [];
  const counts: number[] = [];
  const lows: number[] = [];
  const highs: number[] = [];
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
          slots[i] = reps.length;
          reps.push(c);
          counts.push(1);
          lows.push(low);
          highs.push(high);
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

  const variants: Variant[] = reps.map((rep, g) => ({
    activities: keptSequence(log, rep, activityMask), count: counts[g], representative: rep,
  }));
  return variants.sort(compareVariants);
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
