/**
 * Case groupings: the `by` attribute's dictionary codes as group indices, and the month of
 * creation of each invoice.
 * @internal
 */
import { LedgerflowError, quoteValue } from '../../errors.js';
import type { CompiledLog } from '../../log/compiled-log.js';
import type { CaseMetrics } from './case-metrics.js';
import type { RoleMapping } from './roles.js';

/** Group index per case and the label of each group. */
export interface Grouping {
  attribute: string;
  groupOf: Int32Array;
  labels: string[];
}

/**
 * Groups cases by a case attribute, named directly or through the mapping's attribute keys
 * (`segment` → the column mapped to it). String columns use their dictionary codes as they
 * are; other kinds get a small dictionary of their distinct values.
 */
export function groupBy(log: CompiledLog, by: string, mapping: RoleMapping): Grouping {
  const mapped = (mapping.attributes as Record<string, string>)[by];
  const name = log.caseAttributes.has(by) || mapped === undefined ? by : mapped;
  const column = log.caseAttributes.get(name);
  if (column === undefined) {
    const known = [...log.caseAttributes.keys()].map((k) => JSON.stringify(k)).join(', ');
    const onEvents = log.eventAttributes.has(name)
      ? ' It is an event attribute; grouping needs one value per invoice.' : '';
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `there is no case attribute ${quoteValue(name)} to group by.${onEvents} Choose one of: `
      + `${known === '' ? '(the log has no case attributes)' : known}`, { field: 'by' });
  }
  if (column.kind === 'string') {
    return { attribute: name, groupOf: column.codes, labels: column.dictionary };
  }
  const groupOf = new Int32Array(log.caseCount).fill(-1);
  const codeOf = new Map<number, number>();
  const labels: string[] = [];
  for (let c = 0; c < log.caseCount; c++) {
    const v = column.values[c];
    if (column.kind === 'boolean' ? v < 0 : Number.isNaN(v)) continue;
    let code = codeOf.get(v);
    if (code === undefined) {
      code = labels.length;
      codeOf.set(v, code);
      labels.push(column.kind === 'boolean' ? String(v === 1)
        : column.kind === 'time' ? new Date(v).toISOString() : String(v));
    }
    groupOf[c] = code;
  }
  return { attribute: name, groupOf, labels };
}

/** Month index of each case from its creation (UTC), and the `YYYY-MM` label of each index. */
export function monthsOfCreation(m: CaseMetrics): { monthOf: Int32Array; labels: string[] } {
  const monthOf = new Int32Array(m.caseCount).fill(-1);
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = 0; c < m.caseCount; c++) {
    const t = m.created[c];
    if (Number.isNaN(t)) continue;
    const d = new Date(t);
    const key = d.getUTCFullYear() * 12 + d.getUTCMonth();
    monthOf[c] = key;
    if (key < lo) lo = key;
    if (key > hi) hi = key;
  }
  if (lo > hi) return { monthOf, labels: [] };
  for (let c = 0; c < m.caseCount; c++) if (monthOf[c] >= 0) monthOf[c] -= lo;
  const labels: string[] = [];
  for (let key = lo; key <= hi; key++) {
    const year = Math.floor(key / 12);
    labels.push(`${String(year).padStart(4, '0')}-${String((key % 12) + 1).padStart(2, '0')}`);
  }
  return { monthOf, labels };
}

/** Epoch ms of the end of a `YYYY-MM` month (the first instant of the next month). */
export function monthEnd(label: string): number {
  const [year, month] = label.split('-').map(Number);
  return Date.UTC(year, month, 1);
}
