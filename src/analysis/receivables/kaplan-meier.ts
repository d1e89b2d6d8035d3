/**
 * Days to pay with open invoices counted honestly. An invoice still unpaid at the as-of date
 * has not "taken forever": it is right-censored, known only to take longer than its age. The
 * Kaplan–Meier estimator uses those invoices, where a mean over paid invoices silently drops
 * them (and so looks better the more invoices are stuck).
 */
import { DAY_MS, type CaseMetrics } from './case-metrics.js';
import type { KpiResult, SlotLayout } from './aggregate.js';
import { slotCount } from './aggregate.js';
import { bucketedMedian, durationBuckets, kmMedian } from './km-buckets.js';

export { bucketedMedian, kmMedian };

/** Id of the Kaplan–Meier median days to pay. */
export const KM_MEDIAN_ID = 'days-to-pay-km-median';

const DEFINITION = 'Kaplan–Meier median days from creation to last payment; invoices open at '
  + 'the as-of date count as right-censored at their age (null when fewer than half are paid)';
const NO_PAY = 'closed without a payment';

/** The KM median days to pay per slot (whole log, groups, months). */
export function kaplanMeierDaysToPay(
  m: CaseMetrics, asOf: number, layout: SlotLayout,
): KpiResult[] {
  const slots = slotCount(layout);
  // One walk serves every slot while a case's two slot numbers pack into 32 bits; beyond
  // that (a grouping by a near-unique value) each slot gets its own sorted keys.
  const medians = slots <= 0xffff ? medianPerSlotInOneWalk(m, asOf, layout)
    : medianPerSlotApart(m, asOf, layout);
  const results: KpiResult[] = [];
  for (let s = 0; s < slots; s++) {
    const median = medians.median[s];
    const skipped = medians.skipped[s];
    results.push({
      id: KM_MEDIAN_ID, value: Number.isNaN(median) ? null : median / DAY_MS, unit: 'days',
      definition: DEFINITION, casesUsed: medians.used[s], casesSkipped: skipped,
      skippedBy: skipped > 0 ? { [NO_PAY]: skipped } : {},
    });
  }
  return results;
}

/** Per slot: the KM median in ms (NaN: none), keys used and invoices skipped. */
interface SlotMedians {
  median: Float64Array;
  used: Float64Array;
  skipped: Float64Array;
}

// Each observation is one f64 key: duration (whole ms) × 2, plus 1 when censored. A plain
// numeric sort then orders by duration with events before censorings at equal durations,
// the usual convention, without an index array or a comparator. NaN: not in the population;
// +Infinity: closed without a payment.
function keyOf(m: CaseMetrics, c: number, asOf: number): number {
  if (Number.isNaN(m.created[c])) return NaN;
  if (!Number.isNaN(m.closedAt[c])) {
    if (m.payments[c] === 0) return Number.POSITIVE_INFINITY;
    return Math.round(m.lastPayment[c] - m.created[c]) * 2;
  }
  return Math.round(asOf - m.created[c]) * 2 + 1;
}

/**
 * The median of every slot from one ascending walk over the whole log's keys: each slot keeps
 * its own KM state and sees its own keys in the same ascending order, grouped by duration, as
 * `kmMedian` over that slot's sorted keys would — so the same products in the same order.
 * Sorting a million keys once (by duration buckets, each bucket on its own, stopping when every
 * slot has its median) costs far less than copying and bucketing them once per slot.
 */
function medianPerSlotInOneWalk(m: CaseMetrics, asOf: number, layout: SlotLayout): SlotMedians {
  const slots = slotCount(layout);
  const n = m.caseCount;
  const used = new Float64Array(slots);
  const skipped = new Float64Array(slots);
  const median = new Float64Array(slots).fill(NaN);
  const monthBase = 1 + layout.groupCount;
  const { groupOf, monthOf } = layout;
  const keys = new Float64Array(n);
  // Group slot in the low 16 bits, month slot in the high 16; 0 is "none" (slot 0 is whole).
  const packs = new Int32Array(n);
  let count = 0;
  for (let c = 0; c < n; c++) {
    const key = keyOf(m, c, asOf);
    if (Number.isNaN(key)) continue;
    const gs = groupOf !== null && groupOf[c] >= 0 ? 1 + groupOf[c] : 0;
    const ms = monthOf[c] >= 0 ? monthBase + monthOf[c] : 0;
    const counts = key === Number.POSITIVE_INFINITY ? skipped : used;
    counts[0]++;
    if (gs > 0) counts[gs]++;
    if (ms > 0) counts[ms]++;
    if (key === Number.POSITIVE_INFINITY) continue;
    keys[count] = key;
    packs[count++] = gs | (ms << 16);
  }
  const walk = new SlotWalk(used, median);
  const k = keys.subarray(0, count);
  const p = packs.subarray(0, count);
  if (count < 4096) {
    const order = sortedOrder(k, 0, count);
    for (let i = 0; i < count && walk.open > 0; i++) walk.add(k[order[i]], p[order[i]]);
  } else bucketWalk(k, p, walk);
  walk.finish();
  return { median, used, skipped };
}

/** KM state per slot, fed keys in ascending order. */
class SlotWalk {
  /** Slots still without a median and with keys. */
  open = 0;
  private readonly duration: Float64Array;
  private readonly events: Float64Array;
  private readonly censored: Float64Array;
  private readonly atRisk: Float64Array;
  private readonly survival: Float64Array;
  private readonly done: Uint8Array;

  constructor(sizes: Float64Array, private readonly median: Float64Array) {
    const slots = sizes.length;
    this.duration = new Float64Array(slots).fill(NaN);
    this.events = new Float64Array(slots);
    this.censored = new Float64Array(slots);
    this.atRisk = sizes.slice();
    this.survival = new Float64Array(slots).fill(1);
    this.done = new Uint8Array(slots);
    for (let s = 0; s < slots; s++) {
      if (sizes[s] > 0) this.open++;
      else this.done[s] = 1;
    }
  }

  add(key: number, pack: number): void {
    const duration = Math.floor(key / 2);
    const censored = key - duration * 2 === 1;
    this.one(0, duration, censored);
    const gs = pack & 0xffff;
    if (gs > 0) this.one(gs, duration, censored);
    const ms = pack >>> 16;
    if (ms > 0) this.one(ms, duration, censored);
  }

  /** Closes every slot's last duration (the walk reached the end of the keys). */
  finish(): void {
    for (let s = 0; s < this.done.length; s++) if (this.done[s] === 0) this.close(s);
  }

  private one(s: number, duration: number, censored: boolean): void {
    if (this.done[s] !== 0) return;
    if (duration !== this.duration[s]) {
      this.close(s);
      if (this.done[s] !== 0) return;
      this.duration[s] = duration;
    }
    if (censored) this.censored[s]++;
    else this.events[s]++;
  }

  // The step kmMedian takes at the end of one duration's run of keys.
  private close(s: number): void {
    const events = this.events[s];
    if (events > 0) {
      this.survival[s] *= 1 - events / this.atRisk[s];
      if (this.survival[s] <= 0.5) {
        this.median[s] = this.duration[s];
        this.done[s] = 1;
        this.open--;
        return;
      }
    }
    this.atRisk[s] -= events + this.censored[s];
    this.events[s] = 0;
    this.censored[s] = 0;
  }
}

// Feeds the keys to `walk` in ascending order: spread into duration buckets (bucket order is
// duration order, one duration never spans two), each bucket sorted on its own when reached.
function bucketWalk(keys: Float64Array, packs: Int32Array, walk: SlotWalk): void {
  const n = keys.length;
  const bucketOf = new Int32Array(n);
  const start = durationBuckets(keys, bucketOf);
  const BUCKETS = start.length - 1;
  const cursor = start.slice(0, BUCKETS);
  const sk = new Float64Array(n);
  const sp = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const at = cursor[bucketOf[i]]++;
    sk[at] = keys[i];
    sp[at] = packs[i];
  }
  for (let b = 0; b < BUCKETS && walk.open > 0; b++) {
    const from = start[b];
    const to = start[b + 1];
    if (to - from <= 64) {
      insertionSortPairs(sk, sp, from, to);
      for (let i = from; i < to; i++) walk.add(sk[i], sp[i]);
    } else sortLargeBucket(sk, sp, from, to, walk);
  }
}

const TWO_32 = 2 ** 32;

// A large bucket (ties: many keys of a few durations) in ascending order. Its keys span a
// small range, so key − least key and the pack fit together in one exact f64 below 2^53, and
// the built-in numeric sort orders them. A wide span (the clamped first or last bucket, or a
// bucket a little over the insertion limit) goes by insertion up to 512 keys, else by a
// comparator sort.
function sortLargeBucket(
  sk: Float64Array, sp: Int32Array, from: number, to: number, walk: SlotWalk,
): void {
  let least = sk[from];
  let most = sk[from];
  for (let i = from + 1; i < to; i++) {
    if (sk[i] < least) least = sk[i];
    if (sk[i] > most) most = sk[i];
  }
  const narrow = most - least < 2 ** 21 && Number.isSafeInteger(least)
    && Number.isSafeInteger(most);
  if (!narrow && to - from <= 512) {
    insertionSortPairs(sk, sp, from, to);
    for (let i = from; i < to; i++) walk.add(sk[i], sp[i]);
    return;
  }
  if (!narrow) {
    const order = sortedOrder(sk, from, to);
    for (let i = 0; i < order.length; i++) walk.add(sk[from + order[i]], sp[from + order[i]]);
    return;
  }
  const both = new Float64Array(to - from);
  for (let i = from; i < to; i++) both[i - from] = (sk[i] - least) * TWO_32 + (sp[i] >>> 0);
  both.sort();
  for (let i = 0; i < both.length; i++) {
    const rel = Math.floor(both[i] / TWO_32);
    walk.add(least + rel, (both[i] - rel * TWO_32) | 0);
  }
}

// Positions (relative to `from`) of keys[from..to) in ascending key order.
function sortedOrder(keys: Float64Array, from: number, to: number): Uint32Array {
  const order = new Uint32Array(to - from);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => keys[from + a] - keys[from + b]);
}

function insertionSortPairs(a: Float64Array, p: Int32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = a[i];
    const w = p[i];
    let j = i - 1;
    while (j >= from && a[j] > v) {
      a[j + 1] = a[j];
      p[j + 1] = p[j];
      j--;
    }
    a[j + 1] = v;
    p[j + 1] = w;
  }
}

// Each slot's keys apart, each slot's median by bucketedMedian (many slots).
function medianPerSlotApart(m: CaseMetrics, asOf: number, layout: SlotLayout): SlotMedians {
  const slots = slotCount(layout);
  const size = new Int32Array(slots + 1);
  const skipped = new Float64Array(slots);
  const monthBase = 1 + layout.groupCount;
  // The slots of one case, written into a reused array (no allocation per case).
  const mine = new Int32Array(3);
  const slotsOf = (c: number): number => {
    let k = 0;
    mine[k++] = 0;
    if (layout.groupOf !== null && layout.groupOf[c] >= 0) mine[k++] = 1 + layout.groupOf[c];
    if (layout.monthOf[c] >= 0) mine[k++] = monthBase + layout.monthOf[c];
    return k;
  };
  for (let c = 0; c < m.caseCount; c++) {
    const key = keyOf(m, c, asOf);
    if (Number.isNaN(key)) continue;
    const k = slotsOf(c);
    const counts = key === Number.POSITIVE_INFINITY ? skipped : null;
    for (let j = 0; j < k; j++) {
      if (counts !== null) counts[mine[j]]++;
      else size[mine[j] + 1]++;
    }
  }
  for (let s = 0; s < slots; s++) size[s + 1] += size[s];
  const keys = new Float64Array(size[slots]);
  const cursor = size.slice(0, slots);
  for (let c = 0; c < m.caseCount; c++) {
    const key = keyOf(m, c, asOf);
    if (Number.isNaN(key) || key === Number.POSITIVE_INFINITY) continue;
    const k = slotsOf(c);
    for (let j = 0; j < k; j++) keys[cursor[mine[j]]++] = key;
  }
  // Scratch shared by the slots: fresh memory costs a page fault per 4 KiB on first touch.
  const largest = maxPart(size, slots);
  const scratch = new Float64Array(largest);
  const bucketOf = new Int32Array(largest);
  const median = new Float64Array(slots).fill(NaN);
  const used = new Float64Array(slots);
  for (let s = 0; s < slots; s++) {
    const part = keys.subarray(size[s], size[s + 1]);
    median[s] = bucketedMedian(part, scratch, bucketOf) ?? NaN;
    used[s] = part.length;
  }
  return { median, used, skipped };
}

function maxPart(size: Int32Array, slots: number): number {
  let max = 0;
  for (let s = 0; s < slots; s++) max = Math.max(max, size[s + 1] - size[s]);
  return max;
}
