/**
 * The receivables report of one compiled log: KPI cards for the whole log, per group and per
 * month of creation; days to pay with open invoices censored; aging; stuck invoices;
 * bottlenecks and rework.
 */
import { LedgerflowError, quoteValue } from '../../errors.js';
import type { MineResult } from '../../engine/mine-result.js';
import { parseIsoTimestamp } from '../../ingest/timestamp.js';
import type { CompiledLog } from '../../log/compiled-log.js';
import type { KpiResult, SlotLayout } from './aggregate.js';
import { computeAging, findStuck, type Aging, type StuckReport } from './aging.js';
import { listRework, rankBottlenecks, type Bottlenecks, type Rework } from './bottlenecks.js';
import { computeCaseMetrics } from './case-metrics.js';
import {
  DSO_GROSS_NOTE, DSO_ID, dsoAt, dsoNets, dsoTrend, unreadablePaymentsNote,
} from './dso.js';
import { groupBy, monthEnd, monthsOfCreation } from './grouping.js';
import { KM_MEDIAN_ID, kaplanMeierDaysToPay } from './kaplan-meier.js';
import { aggregateKpis } from './kpi-kernel.js';
import { KPI_SPECS, type KpiSpec } from './kpi-specs.js';
import { bindRoles, type BoundRoles } from './resolve.js';
import {
  defaultRoleMapping, parseRoleMapping, type RoleMapping, type Thresholds,
} from './roles.js';

/** Options of {@link computeReceivables}; every field is optional. */
export interface ReceivablesOptions {
  /** A role mapping (validated) or its raw JSON object; default the template's names. */
  roles?: RoleMapping | unknown;
  /**
   * Attribute to group by: a case attribute, a mapped key such as `segment` or `agent`, an
   * event attribute or `resource` (event-level values group each invoice by its owner, the
   * value of its last event up to the as-of date that carries one).
   */
  by?: string;
  /** Report as of this instant (ISO text, epoch ms or Date); default the log's last event. */
  asOf?: string | number | Date;
  stuckDays?: number;
  graceDays?: number;
  smallDisputeThreshold?: number;
  /** How many stuck invoices and bottleneck edges to list; default 20 and 10. */
  stuckLimit?: number;
  edgeLimit?: number;
}

/** A KPI that could not be computed on this log, and why. */
export interface UnavailableKpi {
  id: string;
  reason: string;
}

/** The KPI cards of one group or one month. */
export interface KpiSlot {
  /** Group value or `YYYY-MM`; null for invoices without a value. */
  label: string | null;
  kpis: KpiResult[];
}

/** The grouped KPI cards, with the rule that put each invoice in one group. */
export interface ReceivablesGrouping {
  attribute: string;
  scope: 'case' | 'event' | 'resource';
  /** How each invoice got its one value (the owner rule for event-level values). */
  rule: string;
  /** Invoices with no value, so in no group (they still count in the whole-log KPIs). */
  ungrouped: number;
  groups: KpiSlot[];
}

/** Everything {@link computeReceivables} finds. */
export interface ReceivablesReport {
  source: string;
  asOf: string;
  /** Invoices with an event on or before the as-of date. */
  invoices: number;
  thresholds: Thresholds;
  kpis: KpiResult[];
  unavailable: UnavailableKpi[];
  /** Facts about how the log was read (a role missing and its fallback, say). */
  notes: string[];
  by: ReceivablesGrouping | null;
  /** By month of invoice creation (UTC); DSO is taken at each month's end. */
  trend: KpiSlot[];
  aging: Aging;
  stuck: StuckReport;
  bottlenecks: Bottlenecks;
  rework: Rework[];
}

/** Computes the receivables report of `log`, with bottlenecks from `mined` (a mine of it). */
export function computeReceivables(
  log: CompiledLog, mined: MineResult, options: ReceivablesOptions = {},
): ReceivablesReport {
  const mapping = readMapping(options.roles);
  const thresholds: Thresholds = {
    graceDays: checkNumber('graceDays', options.graceDays, mapping.thresholds.graceDays),
    stuckDays: checkNumber('stuckDays', options.stuckDays, mapping.thresholds.stuckDays),
    smallDispute: checkNumber('smallDisputeThreshold', options.smallDisputeThreshold,
      mapping.thresholds.smallDispute),
  };
  const asOf = readAsOf(options.asOf, log);
  const bound = bindRoles(log, mapping);
  const m = computeCaseMetrics(log, bound, { asOf, graceDays: thresholds.graceDays });

  const grouping = options.by === undefined ? null : groupBy(log, options.by, mapping, asOf);
  const months = monthsOfCreation(m);
  const layout: SlotLayout = {
    groupOf: grouping?.groupOf ?? null, groupCount: grouping?.labels.length ?? 0,
    monthOf: months.monthOf, monthCount: months.labels.length,
  };
  const slots = 1 + layout.groupCount + layout.monthCount;
  const perSlot: KpiResult[][] = Array.from({ length: slots }, () => []);
  const unavailable: UnavailableKpi[] = [];
  const ctx = { asOf, smallDispute: thresholds.smallDispute };

  const payment = missingFor(['payment'], [], bound, mapping);
  if (payment === null) {
    kaplanMeierDaysToPay(m, asOf, layout).forEach((r, s) => perSlot[s].push(r));
  } else unavailable.push({ id: KM_MEDIAN_ID, reason: payment });
  const available: KpiSpec[] = [];
  for (const spec of KPI_SPECS) {
    const missing = missingOf(spec, bound, mapping);
    if (missing === null) available.push(spec);
    else unavailable.push({ id: spec.id, reason: missing });
  }
  aggregateKpis(available, m, ctx, layout).forEach((row, s) => perSlot[s].push(...row));
  const dsoMissing = closureMissing(bound) ?? missingFor([], ['amount'], bound, mapping);
  if (dsoMissing === null) {
    dsoAt(m, asOf, layout.groupOf, layout.groupCount).forEach((r, s) => perSlot[s].push(r));
    const ends = Float64Array.from(months.labels, (label) => Math.min(asOf, monthEnd(label)));
    dsoTrend(m, ends).forEach((r, i) => perSlot[1 + layout.groupCount + i].push(r));
  } else unavailable.push({ id: DSO_ID, reason: dsoMissing });
  const notes = notesOf(bound, mapping);
  if (dsoMissing === null && !dsoNets(m)) notes.push(DSO_GROSS_NOTE);
  const unreadable = m.paymentAmountsUnreadable;
  if (unreadable > 0) notes.push(unreadablePaymentsNote(unreadable));
  const dsoNote = perSlot[0].find((k) => k.id === DSO_ID)?.note;
  if (dsoNote !== undefined) notes.push(`dso: ${dsoNote}`);

  const groupSlots = grouping === null ? null : grouping.labels.map((label, g) => ({
    label, kpis: perSlot[1 + g],
  }));
  let invoices = 0;
  for (let c = 0; c < m.caseCount; c++) if (!Number.isNaN(m.lastEvent[c])) invoices++;
  return {
    source: log.info.source,
    asOf: new Date(asOf).toISOString(),
    invoices,
    thresholds,
    kpis: perSlot[0],
    unavailable,
    notes,
    by: grouping === null || groupSlots === null ? null
      : {
        attribute: grouping.attribute, scope: grouping.scope, rule: grouping.rule,
        ungrouped: grouping.ungrouped, groups: groupSlots,
      },
    trend: months.labels.map((label, i) => ({
      label, kpis: perSlot[1 + layout.groupCount + i],
    })),
    aging: computeAging(m, asOf),
    stuck: findStuck(log, m, asOf, thresholds.stuckDays, options.stuckLimit ?? 20),
    bottlenecks: rankBottlenecks(log, mined, options.edgeLimit ?? 10),
    rework: listRework(log, m, bound.attributes.amount !== null),
  };
}

function readMapping(roles: unknown): RoleMapping {
  if (roles === undefined) return defaultRoleMapping();
  // A mapping this module built is complete; anything else is validated like a JSON file.
  if (isComplete(roles)) return roles;
  return parseRoleMapping(roles);
}

function isComplete(v: unknown): v is RoleMapping {
  const r = v as Partial<RoleMapping> | null;
  return typeof r === 'object' && r !== null && typeof r.roles === 'object'
    && typeof r.attributes === 'object' && typeof r.thresholds === 'object'
    && r.roles !== null && Object.keys(r.roles).length === 9
    && r.thresholds !== null && Object.keys(r.thresholds).length === 3
    && r.attributes !== null && Object.keys(r.attributes).length === 11;
}

function missingOf(spec: KpiSpec, bound: BoundRoles, mapping: RoleMapping): string | null {
  const missing = missingFor(spec.roles, spec.attributes, bound, mapping);
  if (missing !== null) return missing;
  return spec.needsClosure === true ? closureMissing(bound) : null;
}

function missingFor(
  roles: KpiSpec['roles'], attributes: KpiSpec['attributes'], bound: BoundRoles,
  mapping: RoleMapping,
): string | null {
  for (const role of roles) {
    if (!bound.present.has(role)) {
      return `no activity of role "${role}" in the log (looked for `
        + `${mapping.roles[role].map((n) => JSON.stringify(n)).join(', ') || 'none'}); `
        + 'map the role in the roles file';
    }
  }
  for (const key of attributes) {
    if (bound.attributes[key] === null) {
      return `no attribute ${JSON.stringify(mapping.attributes[key])} (${key}) in the log; `
        + `map "${key}" under "attributes" in the roles file`;
    }
  }
  return null;
}

function closureMissing(bound: BoundRoles): string | null {
  return bound.present.has('cleared') || bound.present.has('payment') ? null
    : 'neither a "cleared" nor a "payment" activity in the log, so no invoice ever closes';
}

function notesOf(bound: BoundRoles, mapping: RoleMapping): string[] {
  const notes: string[] = [];
  if (!bound.present.has('created')) {
    notes.push('no "created" activity in the log: each invoice is taken as created at its '
      + 'first event');
  }
  if (!bound.present.has('cleared') && bound.present.has('payment')) {
    notes.push('no "cleared" activity in the log: an invoice counts as closed at its last '
      + 'payment');
  }
  if (mapping.note !== undefined) notes.push(mapping.note);
  return notes;
}

function readAsOf(value: ReceivablesOptions['asOf'], log: CompiledLog): number {
  if (value === undefined) {
    let last = -Infinity;
    for (let i = 0; i < log.eventCount; i++) if (log.time[i] > last) last = log.time[i];
    return Number.isFinite(last) ? last : Date.now();
  }
  const ms = typeof value === 'number' ? value
    : value instanceof Date ? value.getTime() : parseIsoTimestamp(value);
  if (!Number.isFinite(ms)) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID', `as-of date ${quoteValue(String(value))} `
      + 'is not a date; give an ISO 8601 date such as 2024-12-31', { field: 'asOf' });
  }
  return ms;
}

function checkNumber(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `${name} must be a number of 0 or more`, { field: name, value: String(value) });
  }
  return value;
}
