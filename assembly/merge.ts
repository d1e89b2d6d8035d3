// The merge of the ranges' variant groups into the ranked variants of a call, on the calling
// thread after the workers grouped their ranges (groups.ts). It does what mergeGroups in
// src/engine/variant-groups.ts does (that TypeScript version is the reference the tests hold
// it to), here because at a hundred thousand variants the JS version cost tens of ms.
//
//  block (i32 slots, laid out by src/engine/variant-merge.ts)
//  +-------+------------+-------+-------------+------+-------+------------------------------+
//  | parts | part count | table | table slots | work | total | out: counts reps starts codes|
//  +-------+------------+-------+-------------+------+-------+------------------------------+
//  part record (6 × i32): groups, reps, counts (u32), words (2 × u32), pool positions, pool
//  work: counts f64 × total, then i32 × total each: lows, highs, home part, home group, reps,
//        lengths, rank of group, order, spare; then the radix tally (RADIX + 1)
//  out:  counts f64 × total, reps i32 × total, starts i32 × (total + 1), codes i32
import { home } from "./groups";

export const M_PARTS: i32 = 0;
export const M_PART_COUNT: i32 = 1;
export const M_TABLE: i32 = 2;
export const M_TABLE_SLOTS: i32 = 3;
export const M_WORK: i32 = 4;
export const M_TOTAL: i32 = 5;
export const M_OUT_COUNTS: i32 = 6;
export const M_OUT_REPS: i32 = 7;
export const M_OUT_STARTS: i32 = 8;
export const M_OUT_CODES: i32 = 9;
export const M_GROUPS: i32 = 10;

const RADIX_BITS: u64 = 11;
const RADIX: i32 = 1 << <i32>RADIX_BITS;
const RADIX_MASK: u64 = <u64>(RADIX - 1);

// @ts-ignore: decorator
@inline function slot(block: usize, s: i32): usize {
  return <usize>load<i32>(block + (<usize>s << 2));
}

// @ts-ignore: decorator
@inline function at4(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** Whether pooled sequences at a and b (length, then codes) are equal. */
function samePooled(a: usize, b: usize): bool {
  const n = load<i32>(a);
  if (load<i32>(b) != n) return false;
  for (let k = 1; k <= n; k++) {
    if (load<i32>(at4(a, k)) != load<i32>(at4(b, k))) return false;
  }
  return true;
}

/** Merges the parts' groups and writes the ranked variants; the variant count at M_GROUPS. */
export function mergeVariants(block: usize): void {
  const parts = slot(block, M_PARTS);
  const partCount = <i32>slot(block, M_PART_COUNT);
  const table = slot(block, M_TABLE);
  const mask = <u32>(slot(block, M_TABLE_SLOTS) - 1);
  const total = <i32>slot(block, M_TOTAL);
  const counts = slot(block, M_WORK);
  const lows = counts + (<usize>total << 3);
  const highs = at4(lows, total);
  const homePart = at4(highs, total);
  const homeGroup = at4(homePart, total);
  const reps = at4(homeGroup, total);
  const lengths = at4(reps, total);
  const rankOf = at4(lengths, total);
  let order = at4(rankOf, total);
  let spare = at4(order, total);
  const tally = at4(spare, total);
  memory.fill(table, 0, (<usize>mask + 1) << 2);

  // One range (an inline call, one worker) has nothing to merge: its groups are the variants.
  const single = partCount == 1;
  let groups: i32 = 0;
  for (let p = 0; p < partCount; p++) {
    const rec = parts + <usize>(p * 24);
    const n = load<i32>(rec);
    const pReps = <usize>load<i32>(rec, 4);
    const pCounts = <usize>load<i32>(rec, 8);
    const pWords = <usize>load<i32>(rec, 12);
    const pPoolPos = <usize>load<i32>(rec, 16);
    const pPool = <usize>load<i32>(rec, 20);
    // The first range's groups are distinct already: no comparison can match among them.
    const fresh = groups == 0;
    for (let k = 0; k < n; k++) {
      const count = <f64>load<u32>(at4(pCounts, k));
      const low = load<u32>(pWords + (<usize>k << 3));
      const high = load<u32>(pWords + (<usize>k << 3), 4);
      let i = single ? 0 : home(low, high, mask);
      while (true) {
        const g1 = single ? 0 : load<i32>(at4(table, <i32>i));
        if (g1 == 0) {
          if (!single) store<i32>(at4(table, <i32>i), groups + 1);
          store<f64>(counts + (<usize>groups << 3), count);
          store<u32>(at4(lows, groups), low);
          store<u32>(at4(highs, groups), high);
          store<i32>(at4(homePart, groups), p);
          store<i32>(at4(homeGroup, groups), k);
          store<i32>(at4(reps, groups), load<i32>(at4(pReps, k)));
          store<i32>(at4(lengths, groups), load<i32>(at4(pPool, load<i32>(at4(pPoolPos, k)))));
          groups++;
          break;
        }
        const g = g1 - 1;
        // An exact word is the sequence; a hash needs the pooled copies compared.
        if (!fresh && load<u32>(at4(lows, g)) == low && load<u32>(at4(highs, g)) == high &&
          (<i32>high < 0 || samePooled(pooledAt(parts, g, homePart, homeGroup),
            at4(pPool, load<i32>(at4(pPoolPos, k)))))) {
          const c = counts + (<usize>g << 3);
          store<f64>(c, load<f64>(c) + count);
          break;
        }
        i = (i + 1) & mask;
      }
    }
  }

  // Rank order: count descending, then group number (first appearance). A stable LSD radix
  // sort of the group numbers on top − count, which is a whole number below 2^53.
  let top: f64 = 0;
  for (let g = 0; g < groups; g++) top = max<f64>(top, load<f64>(counts + (<usize>g << 3)));
  const topKey = <u64>top;
  for (let g = 0; g < groups; g++) store<i32>(at4(order, g), g);
  for (let shift: u64 = 0; shift < 64 && (topKey >> shift) != 0; shift += RADIX_BITS) {
    memory.fill(tally, 0, <usize>(RADIX + 1) << 2);
    for (let r = 0; r < groups; r++) {
      const g = load<i32>(at4(order, r));
      const d = <i32>(((topKey - <u64>load<f64>(counts + (<usize>g << 3))) >> shift) & RADIX_MASK);
      const t = at4(tally, d + 1);
      store<i32>(t, load<i32>(t) + 1);
    }
    for (let d = 1; d <= RADIX; d++) {
      store<i32>(at4(tally, d), load<i32>(at4(tally, d)) + load<i32>(at4(tally, d - 1)));
    }
    for (let r = 0; r < groups; r++) {
      const g = load<i32>(at4(order, r));
      const d = <i32>(((topKey - <u64>load<f64>(counts + (<usize>g << 3))) >> shift) & RADIX_MASK);
      const t = at4(tally, d);
      const to = load<i32>(t);
      store<i32>(t, to + 1);
      store<i32>(at4(spare, to), g);
    }
    const swap = order;
    order = spare;
    spare = swap;
  }

  const outCounts = slot(block, M_OUT_COUNTS);
  const outReps = slot(block, M_OUT_REPS);
  const starts = slot(block, M_OUT_STARTS);
  const codes = slot(block, M_OUT_CODES);
  store<i32>(starts, 0);
  for (let r = 0; r < groups; r++) {
    const g = load<i32>(at4(order, r));
    store<i32>(at4(rankOf, g), r);
    store<f64>(outCounts + (<usize>r << 3), load<f64>(counts + (<usize>g << 3)));
    store<i32>(at4(outReps, r), load<i32>(at4(reps, g)));
    store<i32>(at4(starts, r + 1), load<i32>(at4(starts, r)) + load<i32>(at4(lengths, g)));
  }
  // Sequences are copied in group order, which reads each range's pool front to back.
  for (let g = 0; g < groups; g++) {
    const from = pooledAt(parts, g, homePart, homeGroup) + 4;
    const to = at4(codes, load<i32>(at4(starts, load<i32>(at4(rankOf, g)))));
    memory.copy(to, from, <usize>load<i32>(at4(lengths, g)) << 2);
  }
  store<i32>(block + (<usize>M_GROUPS << 2), groups);
}

/** Where merged group g's pooled sequence (length, then codes) lies. */
// @ts-ignore: decorator
@inline function pooledAt(parts: usize, g: i32, homePart: usize, homeGroup: usize): usize {
  const rec = parts + <usize>(load<i32>(at4(homePart, g)) * 24);
  const poolPos = <usize>load<i32>(rec, 16);
  return at4(<usize>load<i32>(rec, 20), load<i32>(at4(poolPos, load<i32>(at4(homeGroup, g)))));
}
