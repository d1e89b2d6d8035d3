/**
 * Case groupings: the `by` attribute's dictionary codes as group indices, and the month of
 * creation of each invoice.
 * @internal
 */
import { LedgerflowError, quoteValue } from '../../errors.js';
import type { AttributeColumn, CompiledLog } from '../../log/compiled-log.js';
import { DAY_MS, type CaseMetrics } from './case-metrics.js';
import { OWNER_RULE, groupByOwner } from './owner-grouping.js';
import type { RoleMapping } from './roles.js';

/** Group index per case and the label of each group. */
export interface Grouping {
  attribute: string;
  /** Where the value lives: the case table, an event attribute, or the events' resource. */
  scope: 'case' | 'event' | 'resource';
  /** How an invoice gets its one value (for event-level values, the owner rule). */
  rule: string;
  groupOf: Int32Array;
  labels: string[];
  /** Invoices with no value, in no group. */
  ungrouped: number;
}

const CASE_RULE = 'each invoice belongs to the value of its case attribute';

/**
 * Groups cases by an attribute named directly or through the mapping's attribute keys
 * (`segment` → the column mapped to it). A case attribute is used as it is. An event
 * attribute, or the resource (`resource`, the resource column's source name, or `agent` when
 * no column of the agent's mapped name exists), gives each invoice its owner's value
 * ({@link OWNER_RULE}), read up to `asOf`. String columns use their dictionary codes; other
 * kinds get a small dictionary of their distinct values.
 */
export function groupBy(
  log: CompiledLog, by: string, mapping: RoleMapping, asOf = Infinity,
): Grouping {
  const key = mappingKey(mapping, by);
  const mapped = key === undefined ? undefined : mapping.attributes[key];
  const name = log.caseAttributes.has(by) || log.eventAttributes.has(by) || mapped === undefined
    ? by : mapped;
  const column = log.caseAttributes.get(name);
  if (column !== undefined) {
    const { groupOf, labels } = groupCaseColumn(log, column);
    let ungrouped = 0;
    for (let c = 0; c < log.caseCount; c++) if (groupOf[c] < 0) ungrouped++;
    return { attribute: name, scope: 'case', rule: CASE_RULE, groupOf, labels, ungrouped };
  }
  const onEvents = log.eventAttributes.get(name);
  if (onEvents !== undefined) {
    return { attribute: name, scope: 'event', rule: OWNER_RULE,
      ...groupByOwner(log, onEvents, asOf) };
  }
  if (log.resource !== null && isResource(log, by, name)) {
    const attribute = log.info.mapping.resource ?? 'resource';
    return { attribute, scope: 'resource', rule: OWNER_RULE,
      ...groupByOwner(log, { kind: 'resource', codes: log.resource }, asOf) };
  }
  const known = [...log.caseAttributes.keys(), ...log.eventAttributes.keys()]
    .map((k) => quoteValue(k));
  if (log.resource !== null) known.push('"resource"', '"agent" (the resource)');
  const choices = known.length === 0 ? '(the log has no attributes)' : known.join(', ');
  if (key === 'agent') {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `there is no agent to group by: the log has no column ${quoteValue(name)} (the roles `
      + 'mapping\'s attributes.agent) and no resource column. Map the agent column as the '
      + 'resource when importing (--resource COLUMN, or resource= over HTTP), or name it in '
      + 'the roles file\'s attributes.agent, or group by one of: ' + choices, { field: 'by' });
  }
  throw new LedgerflowError('LF_ERR_OPTION_INVALID',
    `there is no case or event attribute ${quoteValue(by)}`
    + `${name === by ? '' : ` (mapped to ${quoteValue(name)})`} to group by. Choose one of: `
    + choices, { field: 'by' });
}

/**
 * The mapping's attribute key `by` names, matched without regard to case (`AGENT` is the
 * agent), as an own key only: `constructor` or `__proto__` are names like any other.
 */
type AttributeKey = keyof RoleMapping['attributes'];

function mappingKey(mapping: RoleMapping, by: string): AttributeKey | undefined {
  const lower = by.toLowerCase();
  for (const key of Object.keys(mapping.attributes)) {
    if (key.toLowerCase() === lower) return key as AttributeKey;
  }
  return undefined;
}

// `resource` always means the resource column; so does the name it had in the source; and the
// agent key falls back to it, since the agent is the resource of logs that name it otherwise.
function isResource(log: CompiledLog, by: string, name: string): boolean {
  const lower = by.toLowerCase();
  return lower === 'resource' || name === log.info.mapping.resource || lower === 'agent';
}

function groupCaseColumn(
  log: CompiledLog, column: AttributeColumn,
): { groupOf: Int32Array; labels: string[] } {
  if (column.kind === 'string') return { groupOf: column.codes, labels: column.dictionary };
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
  return { groupOf, labels };
}

/** Month index of each case from its creation (UTC), and the `YYYY-MM` label of each index. */
export function monthsOfCreation(m: CaseMetrics): { monthOf: Int32Array; labels: string[] } {
  const n = m.caseCount;
  let first = Infinity;
  let last = -Infinity;
  for (let c = 0; c < n; c++) {
    const t = m.created[c];
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const monthOf = new Int32Array(n);
  if (!(first <= last)) {
    monthOf.fill(-1);
    return { monthOf, labels: [] };
  }
  const firstDay = Math.floor(first / DAY_MS);
  const days = Math.floor(last / DAY_MS) - firstDay + 1;
  // Month keys grow with the day, so the first and last days give the month range; a table of
  // each day's month index then costs one lookup per invoice (invoices are not always in
  // creation order, so a one-day cache missed often). Spans past ~2,700 years go day by day.
  const lo = monthKeyOfDay(firstDay);
  const hi = monthKeyOfDay(firstDay + days - 1);
  if (days <= 1_000_000) {
    const table = new Int32Array(days);
    for (let d = 0; d < days; d++) table[d] = monthKeyOfDay(firstDay + d) - lo;
    for (let c = 0; c < n; c++) {
      const t = m.created[c];
      monthOf[c] = Number.isNaN(t) ? -1 : table[Math.floor(t / DAY_MS) - firstDay];
    }
  } else {
    for (let c = 0; c < n; c++) {
      const t = m.created[c];
      monthOf[c] = Number.isNaN(t) ? -1 : monthKeyOfDay(Math.floor(t / DAY_MS)) - lo;
    }
  }
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

/**
 * year × 12 + month (0-based) of a UTC day counted from the epoch, in integer arithmetic (the
 * proleptic Gregorian calendar, as Date uses): a Date per invoice cost more than the rest of
 * the month grouping.
 */
export function monthKeyOfDay(day: number): number {
  // Days are counted from 0000-03-01 so that the leap day ends each 400-year era's year.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524)
    - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153); // 0 = March … 11 = February
  const year = yoe + era * 400 + (mp >= 10 ? 1 : 0);
  return year * 12 + (mp < 10 ? mp + 2 : mp - 10);
}
