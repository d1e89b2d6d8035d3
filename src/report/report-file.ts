/**
 * Writing the report file: the receivables part when the log has the roles,
 * and the file itself.
 */
import { writeFile } from 'node:fs/promises';
import {
  computeReceivables, type ReceivablesOptions, type ReceivablesReport,
} from '../analysis/receivables/index.js';
import type { MineResult } from '../engine/mine-result.js';
import { LedgerflowError, isLedgerflowError } from '../errors.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { renderReport } from './render-report.js';

/**
 * The receivables report of `log` when at least one KPI can be computed on it (the template's
 * activity names or a role mapping); undefined for a log of another process.
 */
export function receivablesIfAny(
  log: CompiledLog, mined: MineResult, options: ReceivablesOptions = {},
): ReceivablesReport | undefined {
  try {
    const report = computeReceivables(log, mined, options);
    return report.kpis.some((k) => k.value !== null) ? report : undefined;
  } catch (err) {
    // A log without the roles is not an error for a report: it just has no KPI section.
    if (isLedgerflowError(err, 'LF_ERR_ANALYSIS_BAD_ROLES')) return undefined;
    throw err;
  }
}

/** Renders the report of `log` and writes it to `file`. */
export async function writeReport(
  file: string, log: CompiledLog, mined: MineResult, receivables?: ReceivablesReport,
): Promise<void> {
  const html = await renderReport(log, mined, receivables ?? receivablesIfAny(log, mined));
  try {
    await writeFile(file, html);
  } catch (err) {
    throw new LedgerflowError('LF_ERR_OUTPUT_WRITE_FAILED',
      `${(err as Error).message}; choose a writable path for --report`, { file }, err);
  }
}
