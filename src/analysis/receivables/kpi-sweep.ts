/**
 * The KPI sweep written out kind by kind: every case of the switch in the generic loop of
 * kpi-kernel.ts, each behind its own test of whether it was asked for, with the additions to
 * the three slots (whole log, group, month) written out in place.
 *
 * Same sums, same order: one KPI only ever touches its own numbers, and each number still gets
 * its invoices in invoice order, with the same expressions as kpi-specs.ts, so the results are
 * bit for bit those of the generic loop and of `aggregateKpi`.
 *
 * Why written out and not a helper `add(acc, offset, group, month, num, den)`: V8 inlines only
 * about 920 bytes of bytecode into one function, so with 23 KPIs most such calls stayed real
 * calls (about 30% of the sweep). Why one loop and not one per few KPIs: the eight-loop form
 * that kept each within that budget re-read the shared columns and cost as much as the calls.
 * @internal
 */
import type { SlotLayout } from './aggregate.js';
import { DAY_MS, utcDay, type CaseMetrics } from './case-metrics.js';
import type { KpiContext } from './kpi-specs.js';

/**
 * Sweeps the invoices once, `at[kind]` being each KPI kind's offset in a slot (-1: not asked
 * for); the kind numbers and the layout of `acc` are those of kpi-kernel.ts.
 */
export function sweepUnrolled(
  m: CaseMetrics, ctx: KpiContext, layout: SlotLayout, at: Int32Array, stride: number,
  acc: Float64Array,
): void {
  const { groupOf, monthOf } = layout;
  const monthBase = 1 + layout.groupCount;
  const { asOf, smallDispute } = ctx;
  const [k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11] = at;
  const [k12, k13, k14, k15, k16, k17, k18, k19, k20, k21, k22] = at.subarray(12);
  const {
    created: createdCol, closedAt: closedCol, payments: paymentsCol, lastPayment: lastPayCol,
    cleared: clearedCol, amount: amountCol, disputes: disputesCol, dueDate, termsDays,
    disputeResolved, disputeOpened, creditNote, cashApplied, cashFlagged, cashAutomated,
    promises, promisesDated, promisesKept, dunnings, dunningBeforePay, lastDunningBeforePay,
  } = m;
  for (let c = 0; c < m.caseCount; c++) {
    const created = createdCol[c];
    if (Number.isNaN(created)) continue; // outside every KPI's population
    const payments = paymentsCol[c];
    const lastPay = lastPayCol[c];
    const cleared = clearedCol[c];
    const amount = amountCol[c];
    const disputes = disputesCol[c];
    // paid state: 0 paid, 1 open (reason 0), 2 closed without a payment (reason 1)
    const ps = Number.isNaN(closedCol[c]) ? 1 : payments > 0 ? 0 : 2;
    const dtp = (lastPay - created) / DAY_MS;
    const g = groupOf !== null && groupOf[c] >= 0 ? (1 + groupOf[c]) * stride : -1;
    const mo = monthOf[c] >= 0 ? (monthBase + monthOf[c]) * stride : -1;
    if (k0 >= 0) { // days-to-pay
      if (ps !== 0) {
        const q = k0 + 3 + (ps - 1);
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = dtp;
        acc[k0] += n;
        acc[k0 + 1] += 1;
        acc[k0 + 2]++;
        if (g >= 0) {
          acc[g + k0] += n;
          acc[g + k0 + 1] += 1;
          acc[g + k0 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k0] += n;
          acc[mo + k0 + 1] += 1;
          acc[mo + k0 + 2]++;
        }
      }
    }
    if (k1 >= 0) { // days-to-pay-weighted
      if (ps !== 0) {
        const q = k1 + 3 + (ps - 1);
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else if (!(amount > 0)) {
        const q = k1 + 3 + 2;
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = dtp * amount;
        const d = amount;
        acc[k1] += n;
        acc[k1 + 1] += d;
        acc[k1 + 2]++;
        if (g >= 0) {
          acc[g + k1] += n;
          acc[g + k1 + 1] += d;
          acc[g + k1 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k1] += n;
          acc[mo + k1 + 1] += d;
          acc[mo + k1 + 2]++;
        }
      }
    }
    if (k2 >= 0) { // days-to-clear
      if (Number.isNaN(cleared)) {
        const q = k2 + 3 + 0;
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = (cleared - created) / DAY_MS;
        acc[k2] += n;
        acc[k2 + 1] += 1;
        acc[k2 + 2]++;
        if (g >= 0) {
          acc[g + k2] += n;
          acc[g + k2 + 1] += 1;
          acc[g + k2 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k2] += n;
          acc[mo + k2 + 1] += 1;
          acc[mo + k2 + 2]++;
        }
      }
    }
    if (k3 >= 0) { // days-to-clear-weighted
      if (Number.isNaN(cleared)) {
        const q = k3 + 3 + 0;
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else if (!(amount > 0)) {
        const q = k3 + 3 + 1;
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = ((cleared - created) / DAY_MS) * amount;
        const d = amount;
        acc[k3] += n;
        acc[k3 + 1] += d;
        acc[k3 + 2]++;
        if (g >= 0) {
          acc[g + k3] += n;
          acc[g + k3 + 1] += d;
          acc[g + k3 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k3] += n;
          acc[mo + k3 + 1] += d;
          acc[mo + k3 + 2]++;
        }
      }
    }
    if (k4 >= 0 || k5 >= 0) { // days-past-due, on-time-rate: same population and reasons
      const r = ps !== 0 ? ps - 1 : Number.isNaN(dueDate[c]) ? 2 : -1;
      if (r >= 0) {
        if (k4 >= 0) {
          const q = k4 + 3 + r;
          acc[q]++;
          if (g >= 0) acc[g + q]++;
          if (mo >= 0) acc[mo + q]++;
        }
        if (k5 >= 0) {
          const q = k5 + 3 + r;
          acc[q]++;
          if (g >= 0) acc[g + q]++;
          if (mo >= 0) acc[mo + q]++;
        }
      } else {
        const late = utcDay(lastPay) - utcDay(dueDate[c]);
        if (k4 >= 0) {
          const n = late;
          acc[k4] += n;
          acc[k4 + 1] += 1;
          acc[k4 + 2]++;
          if (g >= 0) {
            acc[g + k4] += n;
            acc[g + k4 + 1] += 1;
            acc[g + k4 + 2]++;
          }
          if (mo >= 0) {
            acc[mo + k4] += n;
            acc[mo + k4 + 1] += 1;
            acc[mo + k4 + 2]++;
          }
        }
        if (k5 >= 0) {
          const n = late <= 0 ? 1 : 0;
          acc[k5] += n;
          acc[k5 + 1] += 1;
          acc[k5 + 2]++;
          if (g >= 0) {
            acc[g + k5] += n;
            acc[g + k5 + 1] += 1;
            acc[g + k5 + 2]++;
          }
          if (mo >= 0) {
            acc[mo + k5] += n;
            acc[mo + k5 + 1] += 1;
            acc[mo + k5 + 2]++;
          }
        }
      }
    }
    if (k6 >= 0) { // payment-terms-compliance
      if (ps !== 0) {
        const q = k6 + 3 + (ps - 1);
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else if (Number.isNaN(termsDays[c])) {
        const q = k6 + 3 + 2;
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = utcDay(lastPay) - utcDay(created) <= termsDays[c] ? 1 : 0;
        acc[k6] += n;
        acc[k6 + 1] += 1;
        acc[k6 + 2]++;
        if (g >= 0) {
          acc[g + k6] += n;
          acc[g + k6 + 1] += 1;
          acc[g + k6 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k6] += n;
          acc[mo + k6 + 1] += 1;
          acc[mo + k6 + 2]++;
        }
      }
    }
    if (k7 >= 0) {
      const n = disputes > 0 ? 1 : 0;
      acc[k7] += n;
      acc[k7 + 1] += 1;
      acc[k7 + 2]++;
      if (g >= 0) {
        acc[g + k7] += n;
        acc[g + k7 + 1] += 1;
        acc[g + k7 + 2]++;
      }
      if (mo >= 0) {
        acc[mo + k7] += n;
        acc[mo + k7 + 1] += 1;
        acc[mo + k7 + 2]++;
      }
    } // dispute-rate
    if (disputes !== 0) {
      if (k8 >= 0) { // dispute-resolution-days
        if (Number.isNaN(disputeResolved[c])) {
          const q = k8 + 3 + 0;
          acc[q]++;
          if (g >= 0) acc[g + q]++;
          if (mo >= 0) acc[mo + q]++;
        } else {
          const n = (disputeResolved[c] - disputeOpened[c]) / DAY_MS;
          acc[k8] += n;
          acc[k8 + 1] += 1;
          acc[k8 + 2]++;
          if (g >= 0) {
            acc[g + k8] += n;
            acc[g + k8 + 1] += 1;
            acc[g + k8 + 2]++;
          }
          if (mo >= 0) {
            acc[mo + k8] += n;
            acc[mo + k8 + 1] += 1;
            acc[mo + k8 + 2]++;
          }
        }
      }
      if (Number.isNaN(amount)) { // small-dispute share, amount, cost-days
        if (k9 >= 0) {
          const q = k9 + 3 + 0;
          acc[q]++;
          if (g >= 0) acc[g + q]++;
          if (mo >= 0) acc[mo + q]++;
        }
        if (k10 >= 0) {
          const q = k10 + 3 + 0;
          acc[q]++;
          if (g >= 0) acc[g + q]++;
          if (mo >= 0) acc[mo + q]++;
        }
        if (k11 >= 0) {
          const q = k11 + 3 + 0;
          acc[q]++;
          if (g >= 0) acc[g + q]++;
          if (mo >= 0) acc[mo + q]++;
        }
      } else {
        const small = amount < smallDispute;
        if (k9 >= 0) {
          const n = small ? 1 : 0;
          acc[k9] += n;
          acc[k9 + 1] += 1;
          acc[k9 + 2]++;
          if (g >= 0) {
            acc[g + k9] += n;
            acc[g + k9 + 1] += 1;
            acc[g + k9 + 2]++;
          }
          if (mo >= 0) {
            acc[mo + k9] += n;
            acc[mo + k9 + 1] += 1;
            acc[mo + k9 + 2]++;
          }
        }
        if (k10 >= 0) {
          const n = small ? amount : 0;
          acc[k10] += n;
          acc[k10 + 1] += 1;
          acc[k10 + 2]++;
          if (g >= 0) {
            acc[g + k10] += n;
            acc[g + k10 + 1] += 1;
            acc[g + k10 + 2]++;
          }
          if (mo >= 0) {
            acc[mo + k10] += n;
            acc[mo + k10 + 1] += 1;
            acc[mo + k10 + 2]++;
          }
        }
        if (k11 >= 0) {
          let cost = 0;
          if (small) {
            const end = Number.isNaN(disputeResolved[c]) ? asOf : disputeResolved[c];
            cost = (end - disputeOpened[c]) / DAY_MS;
          }
          {
            const n = cost;
            acc[k11] += n;
            acc[k11 + 1] += 1;
            acc[k11 + 2]++;
            if (g >= 0) {
              acc[g + k11] += n;
              acc[g + k11 + 1] += 1;
              acc[g + k11 + 2]++;
            }
            if (mo >= 0) {
              acc[mo + k11] += n;
              acc[mo + k11 + 1] += 1;
              acc[mo + k11 + 2]++;
            }
          }
        }
      }
    }
    if (k12 >= 0 && !Number.isNaN(disputeResolved[c]) && !Number.isNaN(creditNote[c])) {
      {
        const n = (creditNote[c] - disputeResolved[c]) / DAY_MS;
        acc[k12] += n;
        acc[k12 + 1] += 1;
        acc[k12 + 2]++;
        if (g >= 0) {
          acc[g + k12] += n;
          acc[g + k12 + 1] += 1;
          acc[g + k12 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k12] += n;
          acc[mo + k12 + 1] += 1;
          acc[mo + k12 + 2]++;
        }
      }
    }
    if (k13 >= 0 && !Number.isNaN(creditNote[c])) { // credit-note-to-clear-days
      if (Number.isNaN(cleared)) {
        const q = k13 + 3 + 0;
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = (cleared - creditNote[c]) / DAY_MS;
        acc[k13] += n;
        acc[k13 + 1] += 1;
        acc[k13 + 2]++;
        if (g >= 0) {
          acc[g + k13] += n;
          acc[g + k13 + 1] += 1;
          acc[g + k13 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k13] += n;
          acc[mo + k13 + 1] += 1;
          acc[mo + k13 + 2]++;
        }
      }
    }
    if (k14 >= 0 && cashApplied[c] !== 0) { // cash-app-automation-rate
      if (cashFlagged[c] === 0) {
        const q = k14 + 3 + 0;
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = cashAutomated[c];
        const d = cashFlagged[c];
        acc[k14] += n;
        acc[k14 + 1] += d;
        acc[k14 + 2]++;
        if (g >= 0) {
          acc[g + k14] += n;
          acc[g + k14 + 1] += d;
          acc[g + k14 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k14] += n;
          acc[mo + k14 + 1] += d;
          acc[mo + k14 + 2]++;
        }
      }
    }
    if (k15 >= 0 && promises[c] !== 0) { // promise-kept-rate
      if (ps !== 0) {
        const q = k15 + 3 + (ps - 1);
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else if (promisesDated[c] === 0) {
        const q = k15 + 3 + 2;
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = promisesKept[c];
        const d = promisesDated[c];
        acc[k15] += n;
        acc[k15 + 1] += d;
        acc[k15 + 2]++;
        if (g >= 0) {
          acc[g + k15] += n;
          acc[g + k15 + 1] += d;
          acc[g + k15 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k15] += n;
          acc[mo + k15 + 1] += d;
          acc[mo + k15 + 2]++;
        }
      }
    }
    if (k16 >= 0) {
      const n = dunnings[c] > 0 ? 1 : 0;
      acc[k16] += n;
      acc[k16 + 1] += 1;
      acc[k16 + 2]++;
      if (g >= 0) {
        acc[g + k16] += n;
        acc[g + k16 + 1] += 1;
        acc[g + k16 + 2]++;
      }
      if (mo >= 0) {
        acc[mo + k16] += n;
        acc[mo + k16 + 1] += 1;
        acc[mo + k16 + 2]++;
      }
    } // dunning-rate
    if (k17 >= 0) { // dunning-before-payment
      if (ps !== 0) {
        const q = k17 + 3 + (ps - 1);
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = dunningBeforePay[c];
        acc[k17] += n;
        acc[k17 + 1] += 1;
        acc[k17 + 2]++;
        if (g >= 0) {
          acc[g + k17] += n;
          acc[g + k17 + 1] += 1;
          acc[g + k17 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k17] += n;
          acc[mo + k17 + 1] += 1;
          acc[mo + k17 + 2]++;
        }
      }
    }
    if (k18 >= 0 && !Number.isNaN(lastDunningBeforePay[c])) { // dunning-to-payment-days
      if (ps !== 0) {
        const q = k18 + 3 + (ps - 1);
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = (lastPay - lastDunningBeforePay[c]) / DAY_MS;
        acc[k18] += n;
        acc[k18 + 1] += 1;
        acc[k18 + 2]++;
        if (g >= 0) {
          acc[g + k18] += n;
          acc[g + k18 + 1] += 1;
          acc[g + k18 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k18] += n;
          acc[mo + k18 + 1] += 1;
          acc[mo + k18 + 2]++;
        }
      }
    }
    if (k19 >= 0) { // partial-payment-share
      if (ps !== 0) {
        const q = k19 + 3 + (ps - 1);
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = payments >= 2 ? 1 : 0;
        acc[k19] += n;
        acc[k19 + 1] += 1;
        acc[k19 + 2]++;
        if (g >= 0) {
          acc[g + k19] += n;
          acc[g + k19 + 1] += 1;
          acc[g + k19 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k19] += n;
          acc[mo + k19 + 1] += 1;
          acc[mo + k19 + 2]++;
        }
      }
    }
    if (k20 >= 0 && payments >= 2) { // partial-payment-days-to-pay
      if (ps !== 0) {
        const q = k20 + 3 + (ps - 1);
        acc[q]++;
        if (g >= 0) acc[g + q]++;
        if (mo >= 0) acc[mo + q]++;
      } else {
        const n = dtp;
        acc[k20] += n;
        acc[k20 + 1] += 1;
        acc[k20 + 2]++;
        if (g >= 0) {
          acc[g + k20] += n;
          acc[g + k20 + 1] += 1;
          acc[g + k20 + 2]++;
        }
        if (mo >= 0) {
          acc[mo + k20] += n;
          acc[mo + k20 + 1] += 1;
          acc[mo + k20 + 2]++;
        }
      }
    }
    if (k21 >= 0) {
      const n = ps === 0 ? 1 : 0;
      acc[k21] += n;
      acc[k21 + 1] += 1;
      acc[k21 + 2]++;
      if (g >= 0) {
        acc[g + k21] += n;
        acc[g + k21 + 1] += 1;
        acc[g + k21 + 2]++;
      }
      if (mo >= 0) {
        acc[mo + k21] += n;
        acc[mo + k21 + 1] += 1;
        acc[mo + k21 + 2]++;
      }
    } // paid-share
    if (k22 >= 0) {
      const n = ps === 1 ? 1 : 0;
      acc[k22] += n;
      acc[k22 + 1] += 1;
      acc[k22 + 2]++;
      if (g >= 0) {
        acc[g + k22] += n;
        acc[g + k22 + 1] += 1;
        acc[g + k22 + 2]++;
      }
      if (mo >= 0) {
        acc[mo + k22] += n;
        acc[mo + k22 + 1] += 1;
        acc[mo + k22 + 2]++;
      }
    } // open-at-cutoff-share
  }
}
