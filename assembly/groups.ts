// Exact variant grouping of one range of cases, run right after the kernel's stats pass in the
// same worker. Cases are grouped in an open-addressing table keyed by their 64-bit variant word
// (hash.ts); a case joins a group only when its kept activity sequence equals the group's: by
// the word alone when it is exact (packed codes), else compared event by event.
//
// Allocation-free like the kernel: the table region is laid out by JS with room for 2 × cases
// slots, but only a prefix is used, doubled (and refilled from the group hashes) as groups come,
// so a range with few variants keeps its table in cache. Each group's kept sequence is copied
// into a compact pool when the group is made, so comparisons read a small, hot region instead
// of the leader's events scattered over the whole log.
//
//  slot (16 B): +-----------+----------+-----------+----------+
//               | group + 1 | hash low | hash high | pool pos |
//               +-----------+----------+-----------+----------+
//  groups region: reps i32 × n, counts u32 × n, pool positions i32 × n (n = cases of the range)
//  pool: per group its length, then its kept activity codes
//  hashes region: on return, group g's hash at slot g
import { EXACT_BIT, finish, HASH_PRIME, HASH_SEED, maxPackedLength } from "./hash";
import {
  F_COLLIDE, param, P_ACTIVITIES, P_ACTIVITY, P_ACTIVITY_MASK, P_CASE_FROM, P_CASE_MASK, P_CASE_TO,
  P_FLAGS, P_GROUP_COUNT, P_GROUPS, P_HASHES, P_OFFSETS, P_PACK_BITS, P_POOL, P_TABLE,
  P_TABLE_SLOTS,
} from "./params";

const FIRST_SLOTS: i32 = 1024;

// Exact words (hash.ts) are packed codes, not hashes: mix before taking the low bits.
// @ts-ignore: decorator
@inline export function home(low: u32, high: u32, mask: u32): u32 {
  let h = low ^ (high * 0x9e3779b1);
  h = (h ^ (h >> 16)) * 0x85ebca6b;
  return (h ^ (h >> 13)) & mask;
}

/** Whether case c's kept events equal the pooled sequence at `seq` (length, then codes). */
function samePooled(
  offsets: usize, activity: usize, actMask: usize, c: i32, seq: usize,
): bool {
  const n = load<i32>(seq);
  let i = load<i32>(offsets + (<usize>c << 2));
  const end = load<i32>(offsets + (<usize>c << 2), 4);
  if (actMask == 0) {
    if (end - i != n) return false;
    const p = activity + (<usize>i << 2);
    for (let k = 0; k < n; k++) {
      if (load<i32>(p + (<usize>k << 2)) != load<i32>(seq + (<usize>(k + 1) << 2))) return false;
    }
    return true;
  }
  let k = 0;
  for (; i < end; i++) {
    const act = load<i32>(activity + (<usize>i << 2));
    if (load<u8>(actMask + <usize>act) == 0) continue;
    if (k == n || act != load<i32>(seq + (<usize>(k + 1) << 2))) return false;
    k++;
  }
  return k == n;
}

/**
 * The hashed word (bit 63 clear) of case c's kept sequence, from the kernel's tail word (its
 * last maxPacked kept codes, exact) and the codes before them; see hash.ts.
 */
function caseHash(
  offsets: usize, activity: usize, actMask: usize, c: i32, tail: u64, maxPacked: i32,
): u64 {
  const start = load<i32>(offsets + (<usize>c << 2));
  const end = load<i32>(offsets + (<usize>c << 2), 4);
  let n = end - start;
  if (actMask != 0) {
    n = 0;
    for (let i = start; i < end; i++) {
      if (load<u8>(actMask + <usize>load<i32>(activity + (<usize>i << 2))) != 0) n++;
    }
  }
  let hash = HASH_SEED;
  let k = n - maxPacked;
  for (let i = start; k > 0; i++) {
    const act = load<i32>(activity + (<usize>i << 2));
    if (actMask != 0 && load<u8>(actMask + <usize>act) == 0) continue;
    hash = (hash ^ <u64>(act + 1)) * HASH_PRIME;
    k--;
  }
  return finish(hash ^ finish(tail) ^ <u64>n) & ~EXACT_BIT;
}

/** Appends case c's kept sequence to the pool at `at`; returns the words written. */
function pool(offsets: usize, activity: usize, actMask: usize, c: i32, at: usize): i32 {
  let n = 0;
  const end = load<i32>(offsets + (<usize>c << 2), 4);
  for (let i = load<i32>(offsets + (<usize>c << 2)); i < end; i++) {
    const act = load<i32>(activity + (<usize>i << 2));
    if (actMask != 0 && load<u8>(actMask + <usize>act) == 0) continue;
    n++;
    store<i32>(at + (<usize>n << 2), act);
  }
  store<i32>(at, n);
  return n + 1;
}

/** Clears the first `slots` slots and puts groups 0..groups−1 back by their hashes. */
function refill(table: usize, slots: i32, hashes: usize, poolPos: usize, groups: i32): void {
  memory.fill(table, 0, <usize>slots << 4);
  const mask = <u32>(slots - 1);
  for (let g = 0; g < groups; g++) {
    const low = load<u32>(hashes + (<usize>g << 3));
    const high = load<u32>(hashes + (<usize>g << 3), 4);
    let i = home(low, high, mask);
    while (load<i32>(table + (<usize>i << 4)) != 0) i = (i + 1) & mask;
    const s = table + (<usize>i << 4);
    store<i32>(s, g + 1);
    store<u32>(s, low, 4);
    store<u32>(s, high, 8);
    store<i32>(s, load<i32>(poolPos + (<usize>g << 2)), 12);
  }
}

/** Groups cases [CASE_FROM, CASE_TO); writes the group count at slot P_GROUP_COUNT. */
export function groupRange(params: usize): void {
  const from = param(params, P_CASE_FROM);
  const to = param(params, P_CASE_TO);
  const offsets = <usize>param(params, P_OFFSETS);
  const activity = <usize>param(params, P_ACTIVITY);
  const caseMask = <usize>param(params, P_CASE_MASK);
  const actMask = param(params, P_ACTIVITIES) > 0 ? <usize>param(params, P_ACTIVITY_MASK) : 0;
  const hashes = <usize>param(params, P_HASHES);
  const reps = <usize>param(params, P_GROUPS);
  const counts = reps + (<usize>(to - from) << 2);
  const poolPos = counts + (<usize>(to - from) << 2);
  const poolAt = <usize>param(params, P_POOL);
  const table = <usize>param(params, P_TABLE);
  const capacity = param(params, P_TABLE_SLOTS);
  const maxPacked = maxPackedLength(param(params, P_PACK_BITS));
  let slots = min<i32>(FIRST_SLOTS, capacity);
  let mask = <u32>(slots - 1);
  memory.fill(table, 0, <usize>slots << 4);
  let groups: i32 = 0;
  let poolTop: i32 = 0;
  const collide = (param(params, P_FLAGS) & F_COLLIDE) != 0;
  for (let c = from; c < to; c++) {
    if (caseMask != 0 && load<u8>(caseMask + <usize>c) == 0) continue;
    const at = hashes + (<usize>(c - from) << 3);
    let low = load<u32>(at);
    let high = load<u32>(at, 4);
    if (collide) {
      low = 7;
      high = 0;
    } else if (<i32>high >= 0) {
      // Too long to pack: hash it here, from the tail the kernel packed.
      const tail = (<u64>high << 32) | <u64>low;
      const h = caseHash(offsets, activity, actMask, c, tail, maxPacked);
      low = <u32>h;
      high = <u32>(h >> 32);
    }
    let i = home(low, high, mask);
    while (true) {
      const s = table + (<usize>i << 4);
      const g1 = load<i32>(s);
      if (g1 == 0) {
        store<i32>(s, groups + 1);
        store<u32>(s, low, 4);
        store<u32>(s, high, 8);
        store<i32>(s, poolTop, 12);
        store<i32>(reps + (<usize>groups << 2), c);
        store<u32>(counts + (<usize>groups << 2), 1);
        store<i32>(poolPos + (<usize>groups << 2), poolTop);
        poolTop += pool(offsets, activity, actMask, c, poolAt + (<usize>poolTop << 2));
        // Slot `groups` is at or before this case's own slot: nothing unread is overwritten.
        store<u32>(hashes + (<usize>groups << 3), low);
        store<u32>(hashes + (<usize>groups << 3), high, 4);
        groups++;
        if (groups * 2 > slots && slots < capacity) {
          slots <<= 1;
          mask = <u32>(slots - 1);
          refill(table, slots, hashes, poolPos, groups);
        }
        break;
      }
      // An exact word (bit 63) is the sequence itself; a hash needs the events compared.
      if (load<u32>(s, 4) == low && load<u32>(s, 8) == high && (<i32>high < 0
        || samePooled(offsets, activity, actMask, c, poolAt + (<usize>load<i32>(s, 12) << 2)))) {
        const k = counts + (<usize>(g1 - 1) << 2);
        store<u32>(k, load<u32>(k) + 1);
        break;
      }
      i = (i + 1) & mask;
    }
  }
  store<i32>(params + (<usize>P_GROUP_COUNT << 2), groups);
}
