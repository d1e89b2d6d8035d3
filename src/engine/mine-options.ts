/**
 * Checks of a mine call's options against the log they apply to, shared by every engine.
 */
import { LedgerflowError } from '../errors.js';
import type { CompiledLog } from '../log/compiled-log.js';
import type { MineOptions } from './mine-result.js';

/** Throws `LF_ERR_OPTION_INVALID` when a mask does not match the log's size. */
export function validateMineOptions(log: CompiledLog, options: MineOptions): void {
  const { caseMask, activityMask } = options;
  if (caseMask !== undefined && caseMask.length !== log.caseCount) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `caseMask has ${caseMask.length} entries but the log has ${log.caseCount} cases; ` +
      'pass one byte per case (non-zero = take part)', { field: 'caseMask' });
  }
  if (activityMask !== undefined && activityMask.length !== log.activities.length) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `activityMask has ${activityMask.length} entries but the log has ` +
      `${log.activities.length} activities; pass one byte per activity code (non-zero = kept)`,
      { field: 'activityMask' });
  }
}
