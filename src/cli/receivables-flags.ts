/**
 * The receivables flags of `ledgerflow analyze`: which role mapping, grouping, as-of date and
 * stuck threshold the receivables section uses.
 */
import { readFileSync } from 'node:fs';
import { LedgerflowError, quoteValue } from '../errors.js';
import type { ReceivablesOptions } from '../analysis/receivables/report.js';
import { parseRoleMapping } from '../analysis/receivables/roles.js';
import { parseIsoTimestamp } from '../ingest/timestamp.js';

/** parseArgs definitions of the receivables flags. */
export const receivablesFlagSpec = {
  roles: { type: 'string' },
  by: { type: 'string' },
  'as-of': { type: 'string' },
  'stuck-days': { type: 'string' },
} as const;

/** Help text of the receivables flags. */
export const receivablesFlagHelp = `Receivables:
  --roles FILE            JSON mapping of your activity and column names to receivables roles
  --by ATTR               group the KPIs by a case attribute (e.g. Segment, Region, Customer),
                          or by agent, resource or an event attribute: each invoice then
                          goes to its owner, the value of its last event that carries one
  --as-of DATE            report as of this date (default: the last event in the log)
  --stuck-days N          an open invoice with no event for more than N days is stuck (30)`;

type FlagValues = { [K in keyof typeof receivablesFlagSpec]?: string | boolean };

/** Receivables options from parsed flag values, validated; reads the roles file if given. */
export function receivablesOptionsFromFlags(values: FlagValues): ReceivablesOptions {
  const text = (k: keyof typeof receivablesFlagSpec) => values[k] as string | undefined;
  const options: ReceivablesOptions = {};
  const rolesFile = text('roles');
  if (rolesFile !== undefined) {
    let content: string;
    try {
      content = readFileSync(rolesFile, 'utf8');
    } catch (err) {
      throw new LedgerflowError('LF_ERR_ANALYSIS_BAD_ROLES',
        `the roles file cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); `
        + 'check the path given to --roles', { file: rolesFile }, err);
    }
    options.roles = parseRoleMapping(content, rolesFile);
  }
  const by = text('by');
  if (by !== undefined) {
    if (by.trim() === '') throw invalid('--by', by, 'the name of a case or event attribute');
    options.by = by;
  }
  const asOf = text('as-of');
  if (asOf !== undefined) {
    const ms = parseIsoTimestamp(asOf);
    if (!Number.isFinite(ms)) throw invalid('--as-of', asOf, 'an ISO 8601 date, e.g. 2024-12-31');
    options.asOf = ms;
  }
  const stuck = text('stuck-days');
  if (stuck !== undefined) {
    const n = Number(stuck);
    if (stuck.trim() === '' || !Number.isFinite(n) || n < 0) {
      throw invalid('--stuck-days', stuck, 'a number of days, 0 or more');
    }
    options.stuckDays = n;
  }
  return options;
}

function invalid(flag: string, value: string, expected: string): LedgerflowError {
  return new LedgerflowError('LF_ERR_OPTION_INVALID',
    `${flag} ${quoteValue(value)} is not valid; expected ${expected}`, { field: flag });
}
