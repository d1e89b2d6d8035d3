/**
 * A process-based DSO (days sales outstanding), read from the invoices' own timelines instead
 * of a balance sheet.
 *
 * DSO at an instant T = (invoice amount created by T and not closed at T) ÷ (invoice amount
 * created in the 90 days up to T) × 90. "Closed" is the clearing (or the last payment when the
 * log has no clearing): a partly paid invoice counts in full until it closes, because partial
 * payments are not always carried on the events.
 */
import { DAY_MS, type CaseMetrics } from './case-metrics.js';
import type { KpiResult } from './aggregate.js';

/** Id of the DSO KPI. */
export const DSO_ID = 'dso';
/** Days of sales the DSO window spans. */
export const DSO_WINDOW_DAYS = 90;

const DEFINITION = 'open invoice amount at the date ÷ amount invoiced in the 90 days up to it '
  + '× 90, an invoice counting as open until cleared (or paid, without clearing); in a trend, '
  + 'taken at each month\'s end';
const NO_AMOUNT = 'no invoice amount';

/**
 * DSO at `at`, for the whole log (slot 0) and each group (slot 1 + group index).
 */
export function dsoAt(
  m: CaseMetrics, at: number, groupOf: Int32Array | null, groupCount: number,
): KpiResult[] {
  const slots = 1 + groupCount;
  const open = new Float64Array(slots);
  const invoiced = new Float64Array(slots);
  const used = new Float64Array(slots);
  const skipped = new Float64Array(slots);
  const windowStart = at - DSO_WINDOW_DAYS * DAY_MS;
  for (let c = 0; c < m.caseCount; c++) {
    const created = m.created[c];
    if (!(created <= at)) continue;
    const g = groupOf !== null && groupOf[c] >= 0 ? 1 + groupOf[c] : -1;
    const amount = m.amount[c];
    if (Number.isNaN(amount)) {
      skipped[0]++;
      if (g > 0) skipped[g]++;
      continue;
    }
    const openAmount = m.closedAt[c] <= at ? 0 : amount;
    const newAmount = created > windowStart ? amount : 0;
    used[0]++;
    open[0] += openAmount;
    invoiced[0] += newAmount;
    if (g > 0) {
      used[g]++;
      open[g] += openAmount;
      invoiced[g] += newAmount;
    }
  }
  const results: KpiResult[] = [];
  for (let s = 0; s < slots; s++) {
    results.push({
      id: DSO_ID, value: invoiced[s] > 0 ? (open[s] / invoiced[s]) * DSO_WINDOW_DAYS : null,
      unit: 'days', definition: DEFINITION, casesUsed: used[s], casesSkipped: skipped[s],
      skippedBy: skipped[s] > 0 ? { [NO_AMOUNT]: skipped[s] } : {},
    });
  }
  return results;
}
