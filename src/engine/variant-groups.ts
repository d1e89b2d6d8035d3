/**
 * Exact variant grouping in two steps, from the kernel's per-case hashes.
 *
 * 1. Each task groups its own range of cases in the kernel (assembly/groups.ts groupRange,
 *    right after the stats pass in the same worker): an open-addressing table keyed by the
 *    64-bit hash, where a case joins a group only when its kept activity sequence
 *    equals the group's, code by code. Each group's sequence is copied into the task's pool.
 * 2. The calling thread merges only the groups of every range, in range order, comparing the
 *    pooled copies (compact, unlike the leaders' events spread over the log); the first leader
 *    of a variant is its lowest case. The engine runs this step in the kernel
 *    (assembly/merge.ts via variant-merge.ts); {@link mergeGroups} here is the same merge in
 *    TypeScript, kept as the reference the kernel's is tested against.
 *
 * Two sequences with the same hash therefore still form two variants: the hash only narrows the
 * search. Work on the calling thread is per distinct variant and range, not per case, and the
 * result is a table of columns: no object is made per variant.
 * @internal
 */
import { VariantTable } from './variant-table.js';

/** One range's groups: entry g of each array describes group g, in order of first case. */
export interface RangeGroups {
  groups: number;
  /** Leader (first case) of each group. */
  reps: Int32Array;
  counts: Uint32Array;
  /**
   * Two u32 words (low, high) of each group's variant word: with bit 63 set it is the packed
   * sequence itself (exact), otherwise a hash (assembly/hash.ts).
   */
  words: Uint32Array;
  /** Where each group's sequence starts in `pool`. */
  poolPos: Int32Array;
  /** Per group: its kept length n, then its n kept activity codes. */
  pool: Int32Array;
}

/** Merges the groups of ranges given in case order into the sorted variants of the contract. */
export function mergeGroups(parts: RangeGroups[]): VariantTable {
  let total = 0;
  for (const part of parts) total += part.groups;
  // One range (an inline call, one worker) has nothing to merge: its groups are the variants.
  const single = parts.length === 1;
  let size = 16;
  while (!single && size < total * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  // Merged group g: its leader, count, hash and the (range, group) that holds its sequence.
  const reps = new Int32Array(total);
  const counts = new Float64Array(total);
  const lows = new Uint32Array(total);
  const highs = new Uint32Array(total);
  const homePart = new Int32Array(total);
  const homeGroup = new Int32Array(total);
  let groups = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    // The first range's groups are distinct already: no comparison can match among them.
    const fresh = groups === 0;
    for (let k = 0; k < part.groups; k++) {
      if (single) {
        reps[groups] = part.reps[k];
        counts[groups] = part.counts[k];
        homeGroup[groups] = k;
        groups++;
        continue;
      }
      const low = part.words[k * 2];
      const high = part.words[k * 2 + 1];
      let i = home(low, high) & mask;
      for (;;) {
        const g = slots[i];
        if (g < 0) {
          slots[i] = groups;
          reps[groups] = part.reps[k];
          counts[groups] = part.counts[k];
          lows[groups] = low;
          highs[groups] = high;
          homePart[groups] = p;
          homeGroup[groups] = k;
          groups++;
          break;
        }
        // An exact word is the sequence; a hash needs the pooled copies compared.
        if (!fresh && lows[g] === low && highs[g] === high &&
          ((high & 0x80000000) !== 0 || samePooled(parts[homePart[g]], homeGroup[g], part, k))) {
          counts[g] += part.counts[k];
          break;
        }
        i = (i + 1) & mask;
      }
    }
  }
  const order = variantOrder(counts, groups);
  // Sequences are copied in group order, which reads each range's pool front to back (rank
  // order would jump across megabytes of pool for every variant).
  const lengths = new Int32Array(groups);
  for (let g = 0; g < groups; g++) {
    const part = parts[homePart[g]];
    lengths[g] = part.pool[part.poolPos[homeGroup[g]]];
  }
  const rankOf = new Int32Array(groups);
  const rankedCounts = new Float64Array(groups);
  const rankedReps = new Int32Array(groups);
  const starts = new Int32Array(groups + 1);
  for (let r = 0; r < groups; r++) {
    const g = order[r];
    rankOf[g] = r;
    rankedCounts[r] = counts[g];
    rankedReps[r] = reps[g];
    starts[r + 1] = starts[r] + lengths[g];
  }
  const codes = new Int32Array(starts[groups]);
  for (let g = 0; g < groups; g++) {
    const pool = parts[homePart[g]].pool;
    const from = parts[homePart[g]].poolPos[homeGroup[g]] + 1;
    const to = starts[rankOf[g]];
    // A plain loop: a subarray view per variant would cost more than the copy.
    for (let i = 0; i < lengths[g]; i++) codes[to + i] = pool[from + i];
  }
  return new VariantTable(rankedCounts, rankedReps, starts, codes);
}

/**
 * Merged groups in the contract's order: count descending, then first appearance. Groups are
 * numbered in order of their leaders (ranges in case order, each in order of first case), so
 * first appearance is the group number, and a stable sort by count alone keeps it: a radix
 * sort on top − count, 11 bits a pass (counts are whole numbers of cases). Counts that are not
 * whole numbers below 2^32 take a comparator sort of indices instead.
 */
export function variantOrder(counts: Float64Array, groups: number): Int32Array {
  let top = 0;
  let whole = true;
  for (let g = 0; g < groups; g++) {
    const c = counts[g];
    if (c > top) top = c;
    if (!(c >= 0 && Number.isInteger(c))) whole = false;
  }
  let order = new Int32Array(groups);
  for (let g = 0; g < groups; g++) order[g] = g;
  if (!whole || top >= 2 ** 32) {
    return order.sort((x, y) => counts[y] - counts[x] || x - y);
  }
  let spare = new Int32Array(groups);
  const tally = new Int32Array(RADIX + 1);
  for (let shift = 0; shift < 32 && top >>> shift > 0; shift += RADIX_BITS) {
    tally.fill(0);
    for (let r = 0; r < groups; r++) {
      tally[(((top - counts[order[r]]) >>> shift) & RADIX_MASK) + 1]++;
    }
    for (let d = 1; d <= RADIX; d++) tally[d] += tally[d - 1];
    for (let r = 0; r < groups; r++) {
      const g = order[r];
      spare[tally[((top - counts[g]) >>> shift) & RADIX_MASK]++] = g;
    }
    [order, spare] = [spare, order];
  }
  return order;
}

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;
const RADIX_MASK = RADIX - 1;

/** A table index from a variant word (mixed: exact words are packed codes, not hashes). */
function home(low: number, high: number): number {
  let h = low ^ Math.imul(high, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** Whether group x of range a and group y of range b have the same pooled sequence. */
function samePooled(a: RangeGroups, x: number, b: RangeGroups, y: number): boolean {
  const i = a.poolPos[x];
  const j = b.poolPos[y];
  const n = a.pool[i];
  if (b.pool[j] !== n) return false;
  for (let k = 1; k <= n; k++) {
    if (a.pool[i + k] !== b.pool[j + k]) return false;
  }
  return true;
}
