// The mining kernel over one range of cases. It allocates nothing: the AssemblyScript allocator
// must not run in a memory shared by several instances (they would hand out the same
// addresses), so every input and output region is laid out by JS and reached with load/store.
//
// Edge e of (from, to) is row (from + 1) × (A + 1) + col, where row 0 is START, col A is END:
//
//          col 0 … A−1   col A
//  row 0   START → a     (never)
//  row r   a(r−1) → a    a(r−1) → END
//
// The two-pass increment: the address of a histogram bucket depends on the duration just
// computed, and incrementing it at once stalls the CPU on that load. Instead, the addresses of
// up to KEY_CHUNK increments are written to a small buffer that stays in L1, then applied in a
// second, tight loop.
import {
  F_EDGE_HIST, F_INTERVALS, F_STATS, param, P_ACTIVITIES, P_ACTIVITY, P_ACTIVITY_COUNTS,
  P_ACTIVITY_MASK, P_CASE_FROM, P_CASE_HIST, P_CASE_MASK, P_CASE_TO, P_E2E_BASE, P_E2E_HIST,
  P_E2E_LEN, P_E2E_LOW, P_E2E_STATS, P_EDGE_STATS, P_END, P_FLAGS, P_HASHES, P_KEY_BUF,
  P_OFFSETS, P_PACK_BITS, P_PROC_HIST, P_PROC_STATS, P_SCALARS, P_START, P_TRACE_LENGTHS,
  P_TRACE_MAX, P_WAIT_BASE, P_WAIT_HIST, P_WAIT_LEN, P_WAIT_LOW, S_CASE_DUR_COUNT, S_CASE_DUR_MAX,
  S_CASE_DUR_MIN, S_CASE_DUR_SUM, S_CASES, S_EMPTY, S_EVENTS, SCALAR_SLOTS,
} from "./params";
import { bucketKey, KEY_COUNT, MAX_KEY } from "./keys";
import { maxPackedLength, packedTailMask, variantWord } from "./hash";
import { mineFast } from "./fast";

/** Increments buffered before they are applied (2 × 4 KiB of addresses stays in L1). */
export const KEY_CHUNK: i32 = 1024;


// @ts-ignore: decorator
@inline function addStat(at: usize, v: f64): void {
  store<f64>(at, load<f64>(at, 8) + v, 8);
  store<f64>(at, min<f64>(load<f64>(at, 16), v), 16);
  store<f64>(at, max<f64>(load<f64>(at, 24), v), 24);
}

// @ts-ignore: decorator
@inline function bump(at: usize): void {
  store<u32>(at, load<u32>(at) + 1);
}

/** Sets count/sum to 0, min to +∞ and max to −∞ in `n` records of 4 f64. */
function resetStats(at: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const p = at + (<usize>i << 5);
    store<f64>(p, 0);
    store<f64>(p, 0, 8);
    store<f64>(p, Infinity, 16);
    store<f64>(p, -Infinity, 24);
  }
}

function resetOutputs(params: usize, flags: i32, a: i32, edges: i32): void {
  const intervals = (flags & F_INTERVALS) != 0;
  if (flags & F_STATS) {
    const scalars = <usize>param(params, P_SCALARS);
    memory.fill(scalars, 0, <usize>SCALAR_SLOTS << 3);
    store<f64>(scalars + (<usize>S_CASE_DUR_MIN << 3), Infinity);
    store<f64>(scalars + (<usize>S_CASE_DUR_MAX << 3), -Infinity);
    memory.fill(<usize>param(params, P_ACTIVITY_COUNTS), 0, <usize>a << 3);
    memory.fill(<usize>param(params, P_TRACE_LENGTHS), 0,
      <usize>(param(params, P_TRACE_MAX) + 1) << 3);
    resetStats(<usize>param(params, P_EDGE_STATS), edges);
    memory.fill(<usize>param(params, P_CASE_HIST), 0, <usize>KEY_COUNT << 2);
    if (intervals) {
      resetStats(<usize>param(params, P_E2E_STATS), edges);
      resetStats(<usize>param(params, P_PROC_STATS), a);
      memory.fill(<usize>param(params, P_PROC_HIST), 0, (<usize>KEY_COUNT * <usize>a) << 2);
    }
  }
  if (flags & F_EDGE_HIST) {
    memory.fill(<usize>param(params, P_WAIT_HIST), 0, <usize>param(params, P_WAIT_LEN) << 2);
    if (intervals) {
      memory.fill(<usize>param(params, P_E2E_HIST), 0, <usize>param(params, P_E2E_LEN) << 2);
    }
  }
}

function flush(buf: usize, n: i32): void {
  for (let i = 0; i < n; i++) bump(<usize>load<u32>(buf + (<usize>i << 2)));
}

/** Mines cases [CASE_FROM, CASE_TO) into the regions named by the parameter block. */
export function mineRange(params: usize): void {
  const flags = param(params, P_FLAGS);
  const a = param(params, P_ACTIVITIES);
  const width = a + 1;
  const edges = width * width;
  resetOutputs(params, flags, a, edges);

  const stats = (flags & F_STATS) != 0;
  const hist = (flags & F_EDGE_HIST) != 0;
  const intervals = (flags & F_INTERVALS) != 0;
  const from = param(params, P_CASE_FROM);
  const to = param(params, P_CASE_TO);
  const offsets = <usize>param(params, P_OFFSETS);
  const activity = <usize>param(params, P_ACTIVITY);
  const endAt = <usize>param(params, P_END);
  const startAt = <usize>param(params, P_START);
  const caseMask = <usize>param(params, P_CASE_MASK);
  const actMask = <usize>param(params, P_ACTIVITY_MASK);
  const scalars = <usize>param(params, P_SCALARS);
  const actCounts = <usize>param(params, P_ACTIVITY_COUNTS);
  const traceLengths = <usize>param(params, P_TRACE_LENGTHS);
  const edgeStats = <usize>param(params, P_EDGE_STATS);
  const e2eStats = <usize>param(params, P_E2E_STATS);
  const caseHist = <usize>param(params, P_CASE_HIST);
  const procStats = <usize>param(params, P_PROC_STATS);
  const procHist = <usize>param(params, P_PROC_HIST);
  const waitBase = <usize>param(params, P_WAIT_BASE);
  const waitLow = <usize>param(params, P_WAIT_LOW);
  const waitHist = <usize>param(params, P_WAIT_HIST);
  const e2eBase = <usize>param(params, P_E2E_BASE);
  const e2eLow = <usize>param(params, P_E2E_LOW);
  const e2eHist = <usize>param(params, P_E2E_HIST);
  const hashes = <usize>param(params, P_HASHES);
  const buf = <usize>param(params, P_KEY_BUF);
  const bits = <u64>param(params, P_PACK_BITS);
  const maxPacked = maxPackedLength(<i32>bits);
  const tailMask = packedTailMask(bits, maxPacked);
  if (caseMask == 0 && actMask == 0 && !intervals) {
    mineFast(params);
    return;
  }

  let cases: f64 = 0;
  let empty: f64 = 0;
  let events: f64 = 0;
  let durCount: f64 = 0;
  let durSum: f64 = 0;
  let durMin: f64 = Infinity;
  let durMax: f64 = -Infinity;
  let pending: i32 = 0;

  for (let c = from; c < to; c++) {
    if (caseMask != 0 && load<u8>(caseMask + <usize>c) == 0) continue;
    cases += 1;
    const first = load<i32>(offsets + (<usize>c << 2));
    const last = load<i32>(offsets + (<usize>c << 2), 4);
    let n: i32 = 0;
    let prev: i32 = -1;
    let prevEnd: f64 = 0;
    let firstStart: f64 = Infinity;
    let lastEnd: f64 = -Infinity;
    let packed: u64 = 0;
    for (let i = first; i < last; i++) {
      const act = load<i32>(activity + (<usize>i << 2));
      if (actMask != 0 && load<u8>(actMask + <usize>act) == 0) continue;
      const end = load<f64>(endAt + (<usize>i << 3));
      const start = load<f64>(startAt + (<usize>i << 3));
      n++;
      // Room for this event's increments (two at most); a well-predicted branch.
      if (pending > KEY_CHUNK - 2) {
        flush(buf, pending);
        pending = 0;
      }
      const edge = (prev + 1) * width + act;
      if (stats) {
        packed = (packed << bits) | <u64>(act + 1);
        const ac = actCounts + (<usize>act << 3);
        store<f64>(ac, load<f64>(ac) + 1);
        const es = edgeStats + (<usize>edge << 5);
        store<f64>(es, load<f64>(es) + 1);
        firstStart = min<f64>(firstStart, start);
        lastEnd = max<f64>(lastEnd, end);
      }
      if (prev >= 0) {
        const wait = start - prevEnd;
        if (stats) addStat(edgeStats + (<usize>edge << 5), wait);
        if (hist) {
          const slot = <usize>edge << 2;
          const at = <i32>load<i32>(waitBase + slot) + bucketKey(wait) - load<i32>(waitLow + slot);
          store<u32>(buf + (<usize>pending << 2), <u32>(waitHist + (<usize>at << 2)));
          pending++;
        }
        if (intervals) {
          const e2e = end - prevEnd;
          if (stats) addStat(e2eStats + (<usize>edge << 5), e2e);
          if (hist) {
            const slot = <usize>edge << 2;
            const at = load<i32>(e2eBase + slot) + bucketKey(e2e) - load<i32>(e2eLow + slot);
            store<u32>(buf + (<usize>pending << 2), <u32>(e2eHist + (<usize>at << 2)));
            pending++;
          }
        }
      }
      if (stats && intervals) {
        const proc = end - start;
        const ps = procStats + (<usize>act << 5);
        store<f64>(ps, load<f64>(ps) + 1);
        addStat(ps, proc);
        const k = bucketKey(proc) + MAX_KEY;
        bump(procHist + ((<usize>act * <usize>KEY_COUNT + <usize>k) << 2));
      }
      prev = act;
      prevEnd = end;
    }
    if (!stats) continue;
    const tl = traceLengths + (<usize>n << 3);
    store<f64>(tl, load<f64>(tl) + 1);
    const word = variantWord(packed, n, maxPacked, tailMask);
    store<u64>(hashes + (<usize>(c - from) << 3), word);
    if (n == 0) {
      empty += 1;
      continue;
    }
    events += <f64>n;
    const es = edgeStats + ((<usize>(prev + 1) * <usize>width + <usize>a) << 5);
    store<f64>(es, load<f64>(es) + 1);
    const dur = lastEnd - firstStart;
    durCount += 1;
    durSum += dur;
    durMin = min<f64>(durMin, dur);
    durMax = max<f64>(durMax, dur);
    bump(caseHist + (<usize>(bucketKey(dur) + MAX_KEY) << 2));
  }
  if (hist) flush(buf, pending);
  if (!stats) return;
  store<f64>(scalars + (<usize>S_CASES << 3), cases);
  store<f64>(scalars + (<usize>S_EMPTY << 3), empty);
  store<f64>(scalars + (<usize>S_EVENTS << 3), events);
  store<f64>(scalars + (<usize>S_CASE_DUR_COUNT << 3), durCount);
  store<f64>(scalars + (<usize>S_CASE_DUR_SUM << 3), durSum);
  store<f64>(scalars + (<usize>S_CASE_DUR_MIN << 3), durMin);
  store<f64>(scalars + (<usize>S_CASE_DUR_MAX << 3), durMax);
}
