// Exact variant grouping of one range of cases, run right after the kernel's stats pass in the
// same worker. Cases are grouped in an open-addressing table keyed by their 64-bit hash; a case
// joins a group only when its kept activity sequence equals the group leader's, event by event.
//
// Allocation-free like the kernel: the table region is laid out by JS with room for 2 × cases
// slots, but only a prefix is used, doubled (and refilled from the group hashes) as groups come,
// so a range with few variants keeps its table in cache.
//
//  slot: ┌───────────┬──────────────┐   groups region: reps i32 × n, then counts u32 × n
//        │ group + 1 │ hash low word│   hashes region: on return, group g's hash at slot g
//        └───────────┴──────────────┘
import {
  param, P_ACTIVITIES, P_ACTIVITY, P_ACTIVITY_MASK, P_CASE_FROM, P_CASE_MASK, P_CASE_TO,
  P_GROUP_COUNT, P_GROUPS, P_HASHES, P_OFFSETS, P_TABLE, P_TABLE_SLOTS,
} from "./params";

const FIRST_SLOTS: i32 = 1024;

// @ts-ignore: decorator
@inline function home(low: u32, high: u32, mask: u32): u32 {
  return (low ^ (high * 0x9e3779b1)) & mask;
}

/** Whether cases x and y have the same sequence, all activities kept. */
function samePlain(offsets: usize, activity: usize, x: i32, y: i32): bool {
  const xi = load<i32>(offsets + (<usize>x << 2));
  const yi = load<i32>(offsets + (<usize>y << 2));
  const n = load<i32>(offsets + (<usize>x << 2), 4) - xi;
  if (n != load<i32>(offsets + (<usize>y << 2), 4) - yi) return false;
  const px = activity + (<usize>xi << 2);
  const py = activity + (<usize>yi << 2);
  for (let k = 0; k < n; k++) {
    if (load<i32>(px + (<usize>k << 2)) != load<i32>(py + (<usize>k << 2))) return false;
  }
  return true;
}

/** Whether cases x and y have the same sequence of kept activities (actMask byte non-zero). */
function sameKept(offsets: usize, activity: usize, actMask: usize, x: i32, y: i32): bool {
  let i = load<i32>(offsets + (<usize>x << 2));
  let j = load<i32>(offsets + (<usize>y << 2));
  const iEnd = load<i32>(offsets + (<usize>x << 2), 4);
  const jEnd = load<i32>(offsets + (<usize>y << 2), 4);
  while (true) {
    while (i < iEnd && load<u8>(actMask + <usize>load<i32>(activity + (<usize>i << 2))) == 0) i++;
    while (j < jEnd && load<u8>(actMask + <usize>load<i32>(activity + (<usize>j << 2))) == 0) j++;
    if (i == iEnd || j == jEnd) return i == iEnd && j == jEnd;
    if (load<i32>(activity + (<usize>i << 2)) != load<i32>(activity + (<usize>j << 2))) {
      return false;
    }
    i++;
    j++;
  }
}

/** Clears the first `slots` slots and puts groups 0..groups−1 back by their hashes. */
function refill(table: usize, slots: i32, hashes: usize, groups: i32): void {
  memory.fill(table, 0, <usize>slots << 3);
  const mask = <u32>(slots - 1);
  for (let g = 0; g < groups; g++) {
    const low = load<u32>(hashes + (<usize>g << 3));
    let i = home(low, load<u32>(hashes + (<usize>g << 3), 4), mask);
    while (load<i32>(table + (<usize>i << 3)) != 0) i = (i + 1) & mask;
    store<i32>(table + (<usize>i << 3), g + 1);
    store<u32>(table + (<usize>i << 3), low, 4);
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
  const table = <usize>param(params, P_TABLE);
  const capacity = param(params, P_TABLE_SLOTS);
  let slots = min<i32>(FIRST_SLOTS, capacity);
  let mask = <u32>(slots - 1);
  memory.fill(table, 0, <usize>slots << 3);
  let groups: i32 = 0;
  for (let c = from; c < to; c++) {
    if (caseMask != 0 && load<u8>(caseMask + <usize>c) == 0) continue;
    const at = hashes + (<usize>(c - from) << 3);
    const low = load<u32>(at);
    const high = load<u32>(at, 4);
    let i = home(low, high, mask);
    while (true) {
      const s = table + (<usize>i << 3);
      const g1 = load<i32>(s);
      if (g1 == 0) {
        store<i32>(s, groups + 1);
        store<u32>(s, low, 4);
        store<i32>(reps + (<usize>groups << 2), c);
        store<u32>(counts + (<usize>groups << 2), 1);
        // Slot `groups` is at or before this case's own slot: nothing unread is overwritten.
        store<u32>(hashes + (<usize>groups << 3), low);
        store<u32>(hashes + (<usize>groups << 3), high, 4);
        groups++;
        if (groups * 2 > slots && slots < capacity) {
          slots <<= 1;
          mask = <u32>(slots - 1);
          refill(table, slots, hashes, groups);
        }
        break;
      }
      const g = g1 - 1;
      if (load<u32>(s, 4) == low && load<u32>(hashes + (<usize>g << 3), 4) == high) {
        const rep = load<i32>(reps + (<usize>g << 2));
        const same = actMask == 0 ? samePlain(offsets, activity, rep, c)
          : sameKept(offsets, activity, actMask, rep, c);
        if (same) {
          const k = counts + (<usize>g << 2);
          store<u32>(k, load<u32>(k) + 1);
          break;
        }
      }
      i = (i + 1) & mask;
    }
  }
  store<i32>(params + (<usize>P_GROUP_COUNT << 2), groups);
}
