// The fast path of the mining kernel: no case mask, no activity projection, no intervals (the
// common question: the whole log's map). Same outputs as the general loop in mine.ts, bit for
// bit; the property tests hold both to the TypeScript reference.
//
// Two passes per chunk of FAST_CHUNK events:
//  1. `prepare`, with SIMD, four events per step: the waiting time t[i] - t[i-1], its bucket key
//     (from the float's bits) and the edge index (prev + 1) × width + act, into two small
//     buffers that stay in L1. Keys and edges of a case's first event are garbage and unused.
//  2. the scalar loop per case reads key and edge from the buffers, so the histogram address is
//     known without waiting for the float subtraction, and updates the edge's record.
//
// Edge records are (count, sum, min, max). While this path runs, max is kept negated so one
// `pmin` of (min, −max) with (w, −w) updates both extremes; it is negated back at the end.
// Activity counts are not touched per event: each kept event has exactly one incoming edge
// (from START or its predecessor), so activity a's count is the sum of column a.
import {
  F_DENSE, F_EDGE_HIST, F_STATS, param, P_ACTIVITIES, P_ACTIVITY, P_ACTIVITY_COUNTS, P_CASE_FROM,
  P_CASE_HIST, P_CASE_TO, P_EDGE_STATS, P_END, P_FLAGS, P_HASHES, P_KEY_BUF, P_OFFSETS,
  P_PACK_BITS, P_SCALARS, P_TRACE_LENGTHS, P_WAIT_BASE, P_WAIT_HIST, P_WAIT_LOW, S_CASE_DUR_COUNT,
  S_CASE_DUR_MAX, S_CASE_DUR_MIN, S_CASE_DUR_SUM, S_CASES, S_EMPTY, S_EVENTS,
} from "./params";
import { bucketKey, KEY_COUNT, MAX_KEY } from "./keys";
import { maxPackedLength, packedTailMask, variantWord } from "./hash";

/** Events whose keys and edges are computed ahead (two i32 buffers of this many entries). */
export const FAST_CHUNK: i32 = 1024;

// (bits >> 47) of 1.0 is 1023 << 5; on the high word of the f64 that is a shift by 15.
const KEY_BIAS32: i32 = (1023 << 5) - 1;

/** Pass 1: keys and edge indices of events [from, to) into keys[i − from], edges[i − from]. */
// @ts-ignore: decorator
@inline function prepare(
  activity: usize, endAt: usize, width: i32, from: i32, to: i32, keys: usize, edges: usize,
  dense: bool,
): void {
  const denseKey = i32x4.splat(KEY_COUNT);
  const denseBias = i32x4.splat(MAX_KEY);
  const bias = i32x4.splat(KEY_BIAS32);
  const zero = i32x4.splat(0);
  const top = i32x4.splat(MAX_KEY);
  const magnitude = i32x4.splat(0x7fffffff);
  const one = i32x4.splat(1);
  const w4 = i32x4.splat(width);
  let i = from;
  // The loads at i − 1 stay in the log: a chunk starts at a case's second event or later.
  for (; i + 4 <= to; i += 4) {
    const t = endAt + (<usize>i << 3);
    const wa = f64x2.sub(v128.load(t), v128.load(t - 8));
    const wb = f64x2.sub(v128.load(t, 16), v128.load(t, 8));
    // The high words hold sign, exponent and the top 20 mantissa bits.
    const high = v128.shuffle<i32>(wa, wb, 1, 3, 5, 7);
    const sign = i32x4.shr_s(high, 31);
    let k = i32x4.sub(i32x4.shr_u(v128.and(high, magnitude), 15), bias);
    k = i32x4.min_s(i32x4.max_s(k, zero), top);
    k = i32x4.sub(v128.xor(k, sign), sign);
    const j = <usize>(i - from) << 2;
    const a = activity + (<usize>i << 2);
    const e = i32x4.add(i32x4.mul(i32x4.add(v128.load(a - 4), one), w4), v128.load(a));
    v128.store(edges + j, e);
    // A dense table puts edge e's key k at e × KEY_COUNT + k + MAX_KEY: store that index.
    if (dense) k = i32x4.add(i32x4.add(i32x4.mul(e, denseKey), denseBias), k);
    v128.store(keys + j, k);
  }
  for (; i < to; i++) {
    const t = endAt + (<usize>i << 3);
    const j = <usize>(i - from) << 2;
    const a = activity + (<usize>i << 2);
    const e = (load<i32>(a - 4) + 1) * width + load<i32>(a);
    store<i32>(edges + j, e);
    const k = bucketKey(load<f64>(t) - load<f64>(t - 8));
    store<i32>(keys + j, dense ? e * KEY_COUNT + k + MAX_KEY : k);
  }
}

/** Negates the max field of `n` records of 4 f64 (to and from the pmin form). */
function negateMax(at: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const p = at + (<usize>i << 5);
    store<f64>(p, -load<f64>(p, 24), 24);
  }
}

/** Mines cases [CASE_FROM, CASE_TO) of an unmasked log without intervals (outputs are reset). */
export function mineFast(params: usize): void {
  const flags = param(params, P_FLAGS);
  const stats = (flags & F_STATS) != 0;
  const hist = (flags & F_EDGE_HIST) != 0;
  // One copy of the loop per combination, so no flag is tested per event.
  if (stats && hist) {
    if (flags & F_DENSE) run(params, true, true, true);
    else run(params, true, true, false);
  } else if (stats) {
    run(params, true, false, false);
  } else if (hist) {
    if (flags & F_DENSE) run(params, false, true, true);
    else run(params, false, true, false);
  }
}

// @ts-ignore: decorator
@inline function run(params: usize, stats: bool, hist: bool, dense: bool): void {
  const a = param(params, P_ACTIVITIES);
  const width = a + 1;
  const from = param(params, P_CASE_FROM);
  const to = param(params, P_CASE_TO);
  const offsets = <usize>param(params, P_OFFSETS);
  const activity = <usize>param(params, P_ACTIVITY);
  const endAt = <usize>param(params, P_END);
  const edgeStats = <usize>param(params, P_EDGE_STATS);
  const traceLengths = <usize>param(params, P_TRACE_LENGTHS);
  const caseHist = <usize>param(params, P_CASE_HIST);
  const waitBase = <usize>param(params, P_WAIT_BASE);
  const waitLow = <usize>param(params, P_WAIT_LOW);
  const waitHist = <usize>param(params, P_WAIT_HIST);
  const hashes = <usize>param(params, P_HASHES);
  const keys = <usize>param(params, P_KEY_BUF);
  const edgeBuf = keys + (<usize>FAST_CHUNK << 2);
  const eventEnd = load<i32>(offsets + (<usize>to << 2));
  const bits = <u64>param(params, P_PACK_BITS);
  const maxPacked = maxPackedLength(<i32>bits);
  const tailMask = packedTailMask(bits, maxPacked);
  const ones = f64x2.splat(1);
  // XOR with this flips the sign of lane 1: (w, w) → (w, −w).
  const flipHigh = i64x2.replace_lane(i64x2.splat(0), 1, <i64>0x8000000000000000);
  if (stats) negateMax(edgeStats, width * width);

  let cases: f64 = 0;
  let empty: f64 = 0;
  let events: f64 = 0;
  let durSum: f64 = 0;
  let durMin: f64 = Infinity;
  let durMax: f64 = -Infinity;
  let chunkStart: i32 = 0;
  let chunkEnd: i32 = 0;

  for (let c = from; c < to; c++) {
    cases += 1;
    const first = load<i32>(offsets + (<usize>c << 2));
    const last = load<i32>(offsets + (<usize>c << 2), 4);
    const n = last - first;
    if (n == 0) {
      if (stats) {
        empty += 1;
        store<f64>(traceLengths, load<f64>(traceLengths) + 1);
        const word = variantWord(0, 0, maxPacked, tailMask);
        store<u64>(hashes + (<usize>(c - from) << 3), word);
      }
      continue;
    }
    const act0 = load<i32>(activity + (<usize>first << 2));
    let lo = load<f64>(endAt + (<usize>first << 3));
    let hi = lo;
    let prevT = lo;
    let packed = <u64>(act0 + 1);
    if (stats) {
      const es = edgeStats + (<usize>act0 << 5);
      store<f64>(es, load<f64>(es) + 1);
    }
    let i = first + 1;
    while (i < last) {
      if (i >= chunkEnd) {
        chunkStart = i;
        chunkEnd = min<i32>(i + FAST_CHUNK, eventEnd);
        prepare(activity, endAt, width, chunkStart, chunkEnd, keys, edgeBuf, dense);
      }
      const segEnd = min<i32>(last, chunkEnd);
      for (; i < segEnd; i++) {
        const j = <usize>(i - chunkStart) << 2;
        const edge = load<i32>(edgeBuf + j);
        if (hist) {
          let at = load<i32>(keys + j);
          if (!dense) {
            const slot = <usize>edge << 2;
            at += load<i32>(waitBase + slot) - load<i32>(waitLow + slot);
          }
          const h = waitHist + (<usize>at << 2);
          store<u32>(h, load<u32>(h) + 1);
        }
        if (stats) {
          const t = load<f64>(endAt + (<usize>i << 3));
          const w = t - prevT;
          prevT = t;
          const es = edgeStats + (<usize>edge << 5);
          const ww = f64x2.splat(w);
          // (count, sum) += (1, w); (min, −max) = pmin with (w, −w).
          v128.store(es, f64x2.add(v128.load(es), v128.shuffle<f64>(ones, ww, 0, 3)));
          v128.store(es, f64x2.pmin(v128.load(es, 16), v128.xor(ww, flipHigh)), 16);
          // Past maxPacked codes the high digits fall off; such a case is hashed later, from
          // its tail.
          packed = (packed << bits) | <u64>(load<i32>(activity + (<usize>i << 2)) + 1);
          lo = t < lo ? t : lo;
          hi = t > hi ? t : hi;
        }
      }
    }
    if (!stats) continue;
    const tl = traceLengths + (<usize>n << 3);
    store<f64>(tl, load<f64>(tl) + 1);
    const word = variantWord(packed, n, maxPacked, tailMask);
    store<u64>(hashes + (<usize>(c - from) << 3), word);
    events += <f64>n;
    const lastAct = load<i32>(activity + (<usize>(last - 1) << 2));
    const es = edgeStats + ((<usize>(lastAct + 1) * <usize>width + <usize>a) << 5);
    store<f64>(es, load<f64>(es) + 1);
    const dur = hi - lo;
    durSum += dur;
    durMin = dur < durMin ? dur : durMin;
    durMax = dur > durMax ? dur : durMax;
    const ch = caseHist + (<usize>(bucketKey(dur) + MAX_KEY) << 2);
    store<u32>(ch, load<u32>(ch) + 1);
  }
  if (!stats) return;
  negateMax(edgeStats, width * width);
  // Activity a's count: the edges into a, from START (row 0) and from every activity.
  const actCounts = <usize>param(params, P_ACTIVITY_COUNTS);
  for (let col = 0; col < a; col++) {
    let sum: f64 = 0;
    for (let row = 0; row < width; row++) {
      sum += load<f64>(edgeStats + ((<usize>(row * width + col)) << 5));
    }
    store<f64>(actCounts + (<usize>col << 3), sum);
  }
  const scalars = <usize>param(params, P_SCALARS);
  store<f64>(scalars + (<usize>S_CASES << 3), cases);
  store<f64>(scalars + (<usize>S_EMPTY << 3), empty);
  store<f64>(scalars + (<usize>S_EVENTS << 3), events);
  store<f64>(scalars + (<usize>S_CASE_DUR_COUNT << 3), cases - empty);
  store<f64>(scalars + (<usize>S_CASE_DUR_SUM << 3), durSum);
  store<f64>(scalars + (<usize>S_CASE_DUR_MIN << 3), durMin);
  store<f64>(scalars + (<usize>S_CASE_DUR_MAX << 3), durMax);
}
