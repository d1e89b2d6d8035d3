/**
 * Receivables analytics over a compiled log: roles, KPIs, aging, stuck invoices, bottlenecks.
 */
export type { KpiResult } from './aggregate.js';
export type { Aging, AgingBucket, StuckInvoice, StuckReport } from './aging.js';
export type { Bottleneck, Bottlenecks, Rework } from './bottlenecks.js';
export { computeCaseMetrics, type CaseMetrics } from './case-metrics.js';
export { DSO_ID, DSO_WINDOW_DAYS } from './dso.js';
export { KM_MEDIAN_ID, kmMedian } from './kaplan-meier.js';
export { KPI_SPECS, type KpiSpec, type KpiUnit } from './kpi-specs.js';
export { renderReceivables } from './render.js';
export {
  computeReceivables, type KpiSlot, type ReceivablesGrouping, type ReceivablesOptions,
  type ReceivablesReport, type UnavailableKpi,
} from './report.js';
export {
  DEFAULT_ATTRIBUTES, DEFAULT_ROLE_ACTIVITIES, DEFAULT_THRESHOLDS, ROLES, defaultRoleMapping,
  parseRoleMapping, type AttributeKey, type Role, type RoleMapping, type Thresholds,
} from './roles.js';
