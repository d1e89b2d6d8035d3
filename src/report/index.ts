/**
 * The HTML report: one self-contained file with the process map, variants and KPIs.
 */
export { renderReport, type ReportOptions } from './render-report.js';
export { receivablesIfAny, writeReport } from './report-file.js';
export { reportFlag, reportFlagHelp } from './report-flag.js';
export { formatKpiValue } from './kpi-cards.js';
