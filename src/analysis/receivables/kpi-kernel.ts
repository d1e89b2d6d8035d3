/**
 * Every ratio-of-sums KPI in one sweep over the invoices: each invoice's contribution to each
 * KPI is worked out inline and added to its three slots (whole log, group, month) in the same
 * order as {@link aggregateKpi} adds them, so the sums — and the results — are bit for bit the
 * same. `aggregateKpi` over `KPI_SPECS` stays as the readable reference the tests hold this
 * against.
 *
 * Why a second form: one loop per KPI through `spec.contribute` was a call through a closure
 * that differs per KPI (so never inlined), often making another closure per invoice; 23 such
 * loops cost about 20–110 ns per invoice each.
 *
 * Accumulator layout, per slot, `stride` numbers; per KPI, from its offset:
 * ```
 *  [ num | den | used | skipped by reason 0 | reason 1 | … ]
 * ```
 * @internal
 */
import { slotCount, type KpiResult, type SlotLayout } from './aggregate.js';
import { DAY_MS, utcDay, type CaseMetrics } from './case-metrics.js';
import { USED, type KpiContext, type KpiSpec } from './kpi-specs.js';
import { sweepUnrolled } from './kpi-sweep.js';

const OUT = -2;

/** Kind number of each KPI id the kernel knows (the switch below). */
const KIND: Readonly<Record<string, number>> = {
  'days-to-pay': 0, 'days-to-pay-weighted': 1, 'days-to-clear': 2, 'days-to-clear-weighted': 3,
  'days-past-due': 4, 'on-time-rate': 5, 'payment-terms-compliance': 6, 'dispute-rate': 7,
  'dispute-resolution-days': 8, 'small-dispute-share': 9, 'small-dispute-amount': 10,
  'small-dispute-cost-days': 11, 'credit-note-delay-days': 12, 'credit-note-to-clear-days': 13,
  'cash-app-automation-rate': 14, 'promise-kept-rate': 15, 'dunning-rate': 16,
  'dunning-before-payment': 17, 'dunning-to-payment-days': 18, 'partial-payment-share': 19,
  'partial-payment-days-to-pay': 20, 'paid-share': 21, 'open-at-cutoff-share': 22,
};

const KIND_COUNT = 23;

/**
 * Aggregates every spec of `specs` (each must be one of `KPI_SPECS`) into results per slot:
 * `out[slot][i]` is spec i's result in that slot.
 */
export function aggregateKpis(
  specs: readonly KpiSpec[], m: CaseMetrics, ctx: KpiContext, layout: SlotLayout,
): KpiResult[][] {
  const count = specs.length;
  const kinds = new Int32Array(count);
  const offset = new Int32Array(count);
  let stride = 0;
  for (let i = 0; i < count; i++) {
    const kind = KIND[specs[i].id];
    if (kind === undefined) throw new Error(`no kernel for KPI ${specs[i].id}`);
    kinds[i] = kind;
    offset[i] = stride;
    stride += 3 + specs[i].reasons.length;
  }
  const slots = slotCount(layout);
  const acc = new Float64Array(slots * stride);
  // Offset of each kind, -1 when not asked for. A kind asked for twice keeps the generic loop.
  const at = new Int32Array(KIND_COUNT).fill(-1);
  let repeated = false;
  for (let i = 0; i < count; i++) {
    if (at[kinds[i]] >= 0) repeated = true;
    at[kinds[i]] = offset[i];
  }
  if (repeated) sweep(m, ctx, layout, kinds, offset, stride, acc);
  else sweepUnrolled(m, ctx, layout, at, stride, acc);
  const out: KpiResult[][] = [];
  for (let s = 0; s < slots; s++) {
    const row: KpiResult[] = [];
    for (let i = 0; i < count; i++) row.push(resultOf(specs[i], acc, s * stride + offset[i]));
    out.push(row);
  }
  return out;
}

function resultOf(spec: KpiSpec, acc: Float64Array, at: number): KpiResult {
  const num = acc[at];
  const den = acc[at + 1];
  const used = acc[at + 2];
  const skippedBy: Record<string, number> = {};
  let casesSkipped = 0;
  for (let r = 0; r < spec.reasons.length; r++) {
    const n = acc[at + 3 + r];
    if (n > 0) skippedBy[spec.reasons[r]] = n;
    casesSkipped += n;
  }
  let value: number | null = null;
  if (used > 0) value = spec.sum === true ? num : den > 0 ? num / den : null;
  return {
    id: spec.id, value, unit: spec.unit, definition: spec.definition, casesUsed: used,
    casesSkipped, skippedBy,
  };
}

// The contributions mirror kpi-specs.ts one for one (same expressions, same order of
// operations), which is what keeps the floating-point sums identical.
function sweep(
  m: CaseMetrics, ctx: KpiContext, layout: SlotLayout, kinds: Int32Array, offset: Int32Array,
  stride: number, acc: Float64Array,
): void {
  const { groupOf, monthOf } = layout;
  const monthBase = 1 + layout.groupCount;
  const count = kinds.length;
  const { asOf, smallDispute } = ctx;
  for (let c = 0; c < m.caseCount; c++) {
    const created = m.created[c];
    if (Number.isNaN(created)) continue; // outside every KPI's population
    const closedAt = m.closedAt[c];
    const payments = m.payments[c];
    const lastPay = m.lastPayment[c];
    const cleared = m.cleared[c];
    const amount = m.amount[c];
    const disputes = m.disputes[c];
    // paid state: 0 paid, 1 open (reason 0), 2 closed without a payment (reason 1)
    const ps = Number.isNaN(closedAt) ? 1 : payments > 0 ? 0 : 2;
    const dtp = (lastPay - created) / DAY_MS;
    const g = groupOf !== null && groupOf[c] >= 0 ? (1 + groupOf[c]) * stride : -1;
    const mo = monthOf[c] >= 0 ? (monthBase + monthOf[c]) * stride : -1;
    for (let i = 0; i < count; i++) {
      let r = USED;
      let num = 0;
      let den = 1;
      switch (kinds[i]) {
        case 0: // days-to-pay
          if (ps !== 0) r = ps - 1;
          else num = dtp;
          break;
        case 1: // days-to-pay-weighted
          if (ps !== 0) r = ps - 1;
          else if (!(amount > 0)) r = 2;
          else {
            num = dtp * amount;
            den = amount;
          }
          break;
        case 2: // days-to-clear
          if (Number.isNaN(cleared)) r = 0;
          else num = (cleared - created) / DAY_MS;
          break;
        case 3: // days-to-clear-weighted
          if (Number.isNaN(cleared)) r = 0;
          else if (!(amount > 0)) r = 1;
          else {
            num = ((cleared - created) / DAY_MS) * amount;
            den = amount;
          }
          break;
        case 4: // days-past-due
        case 5: // on-time-rate
          if (ps !== 0) r = ps - 1;
          else if (Number.isNaN(m.dueDate[c])) r = 2;
          else {
            const late = utcDay(lastPay) - utcDay(m.dueDate[c]);
            num = kinds[i] === 4 ? late : late <= 0 ? 1 : 0;
          }
          break;
        case 6: // payment-terms-compliance
          if (ps !== 0) r = ps - 1;
          else if (Number.isNaN(m.termsDays[c])) r = 2;
          else num = utcDay(lastPay) - utcDay(created) <= m.termsDays[c] ? 1 : 0;
          break;
        case 7: // dispute-rate
          num = disputes > 0 ? 1 : 0;
          break;
        case 8: // dispute-resolution-days
          if (disputes === 0) r = OUT;
          else if (Number.isNaN(m.disputeResolved[c])) r = 0;
          else num = (m.disputeResolved[c] - m.disputeOpened[c]) / DAY_MS;
          break;
        case 9: // small-dispute-share
        case 10: // small-dispute-amount
        case 11: // small-dispute-cost-days
          if (disputes === 0) r = OUT;
          else if (Number.isNaN(amount)) r = 0;
          else num = smallValue(kinds[i], m, c, amount < smallDispute, asOf);
          break;
        case 12: // credit-note-delay-days
          if (Number.isNaN(m.disputeResolved[c]) || Number.isNaN(m.creditNote[c])) r = OUT;
          else num = (m.creditNote[c] - m.disputeResolved[c]) / DAY_MS;
          break;
        case 13: // credit-note-to-clear-days
          if (Number.isNaN(m.creditNote[c])) r = OUT;
          else if (Number.isNaN(cleared)) r = 0;
          else num = (cleared - m.creditNote[c]) / DAY_MS;
          break;
        case 14: // cash-app-automation-rate
          if (m.cashApplied[c] === 0) r = OUT;
          else if (m.cashFlagged[c] === 0) r = 0;
          else {
            num = m.cashAutomated[c];
            den = m.cashFlagged[c];
          }
          break;
        case 15: // promise-kept-rate
          if (m.promises[c] === 0) r = OUT;
          else if (ps !== 0) r = ps - 1;
          else if (m.promisesDated[c] === 0) r = 2;
          else {
            num = m.promisesKept[c];
            den = m.promisesDated[c];
          }
          break;
        case 16: // dunning-rate
          num = m.dunnings[c] > 0 ? 1 : 0;
          break;
        case 17: // dunning-before-payment
          if (ps !== 0) r = ps - 1;
          else num = m.dunningBeforePay[c];
          break;
        case 18: // dunning-to-payment-days
          if (Number.isNaN(m.lastDunningBeforePay[c])) r = OUT;
          else if (ps !== 0) r = ps - 1;
          else num = (lastPay - m.lastDunningBeforePay[c]) / DAY_MS;
          break;
        case 19: // partial-payment-share
          if (ps !== 0) r = ps - 1;
          else num = payments >= 2 ? 1 : 0;
          break;
        case 20: // partial-payment-days-to-pay
          if (payments < 2) r = OUT;
          else if (ps !== 0) r = ps - 1;
          else num = dtp;
          break;
        case 21: // paid-share
          num = ps === 0 ? 1 : 0;
          break;
        default: // 22, open-at-cutoff-share
          num = Number.isNaN(closedAt) ? 1 : 0;
      }
      if (r === OUT) continue;
      const o = offset[i];
      if (r === USED) {
        acc[o] += num;
        acc[o + 1] += den;
        acc[o + 2]++;
        if (g >= 0) {
          acc[g + o] += num;
          acc[g + o + 1] += den;
          acc[g + o + 2]++;
        }
        if (mo >= 0) {
          acc[mo + o] += num;
          acc[mo + o + 1] += den;
          acc[mo + o + 2]++;
        }
      } else {
        acc[o + 3 + r]++;
        if (g >= 0) acc[g + o + 3 + r]++;
        if (mo >= 0) acc[mo + o + 3 + r]++;
      }
    }
  }
}

function smallValue(
  kind: number, m: CaseMetrics, c: number, small: boolean, asOf: number,
): number {
  if (kind === 9) return small ? 1 : 0;
  if (!small) return 0;
  if (kind === 10) return m.amount[c];
  const end = Number.isNaN(m.disputeResolved[c]) ? asOf : m.disputeResolved[c];
  return (end - m.disputeOpened[c]) / DAY_MS;
}
