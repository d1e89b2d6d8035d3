/**
 * Which column of a flat table plays which role (case, activity, timestamp…).
 *
 * Roles the user maps are looked up by name; the others are recognised among common export
 * headers (XES-style keys, Disco, Celonis, ERP reports), compared case-insensitively and
 * ignoring spaces, underscores and dashes, so `Case ID`, `case_id` and `CASE-ID` are one name.
 */
import { LedgerflowError, quoteValue } from '../errors.js';
import type { ColumnMapping } from './import-options.js';

/** A role a column can play. */
export type ColumnRole = keyof ColumnMapping;

/** Roles in the order they are resolved: required ones first. */
export const COLUMN_ROLES: readonly ColumnRole[] = [
  'case', 'activity', 'timestamp', 'startTimestamp', 'resource', 'lifecycle',
];

const REQUIRED: ReadonlySet<ColumnRole> = new Set(['case', 'activity', 'timestamp']);

/** Header names recognised per role, most specific first. */
export const ROLE_ALIASES: Readonly<Record<ColumnRole, readonly string[]>> = {
  case: ['case:concept:name', 'case_id', 'Case ID', 'case', 'Invoice Number', 'invoice',
    'invoice_id'],
  activity: ['concept:name', 'Activity', 'activity_name', 'event'],
  timestamp: ['time:timestamp', 'Timestamp', 'end_timestamp', 'complete timestamp', 'time',
    'date'],
  startTimestamp: ['start_timestamp', 'start time'],
  resource: ['org:resource', 'Resource', 'Agent', 'user'],
  lifecycle: ['lifecycle:transition'],
};

/** The columns chosen: a header index per role, -1 when the role has no column. */
export type ResolvedMapping = Record<ColumnRole, number>;

/** Lower-cases and drops spaces, underscores and dashes: the form names are compared in. */
export function normaliseColumnName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * Chooses a column for each role. Mapped roles must exist in the header (exactly, or failing
 * that by normalised name); unmapped roles take the first alias present. A column serves at
 * most one role. Throws `LF_ERR_INGEST_MISSING_COLUMN` when a mapped column, or a column for
 * case, activity or timestamp, cannot be found.
 */
export function resolveColumnMapping(
  header: readonly string[], mapping: ColumnMapping = {}, file = 'input',
): ResolvedMapping {
  const normalised = header.map(normaliseColumnName);
  const used = new Set<number>();
  const resolved = {} as ResolvedMapping;

  // Mapped roles first, so an alias never steals a column the user named.
  for (const role of COLUMN_ROLES) {
    const wanted = mapping[role];
    resolved[role] = -1;
    if (wanted === undefined || wanted === '') continue;
    let index = header.indexOf(wanted);
    if (index < 0) index = normalised.indexOf(normaliseColumnName(wanted));
    if (index < 0) {
      throw new LedgerflowError('LF_ERR_INGEST_MISSING_COLUMN',
        `the ${role} column ${quoteValue(wanted)} is not in the header; the columns are ` +
        `${listHeader(header)}. Map ${role} to one of them (${flagOf(role)})`,
        { file, line: 1, field: wanted });
    }
    if (used.has(index)) {
      const other = COLUMN_ROLES.find((r) => resolved[r] === index);
      throw new LedgerflowError('LF_ERR_OPTION_INVALID',
        `the column ${quoteValue(header[index])} is mapped to both ${other} and ${role}; ` +
        'each role needs a column of its own', { file, line: 1, field: header[index] });
    }
    resolved[role] = index;
    used.add(index);
  }

  for (const role of COLUMN_ROLES) {
    if (resolved[role] >= 0) continue;
    for (const alias of ROLE_ALIASES[role]) {
      const index = normalised.indexOf(normaliseColumnName(alias));
      if (index >= 0 && !used.has(index)) {
        resolved[role] = index;
        used.add(index);
        break;
      }
    }
    if (resolved[role] < 0 && REQUIRED.has(role)) {
      throw new LedgerflowError('LF_ERR_INGEST_MISSING_COLUMN',
        `no column for the ${role} was recognised; the columns are ${listHeader(header)}. ` +
        `Say which one it is (${flagOf(role)})`, { file, line: 1 });
    }
  }
  return resolved;
}

// How a user names the role: the CLI flag, the HTTP query parameter, the library option.
function flagOf(role: string): string {
  const flag = role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `--${flag} on the command line, ${flag}= over HTTP, mapping.${role} in the library`;
}

/** The chosen mapping as role → column name, for `LogInfo.mapping` and the note. */
export function mappingNames(
  header: readonly string[], resolved: ResolvedMapping,
): Record<string, string> {
  const names: Record<string, string> = {};
  for (const role of COLUMN_ROLES) {
    if (resolved[role] >= 0) names[role] = header[resolved[role]];
  }
  return names;
}

/** The note telling the user which columns were chosen: `case ← Invoice Number, …`. */
export function describeMapping(names: Record<string, string>): string {
  const parts = Object.entries(names).map(([role, column]) => `${role} ← ${column}`);
  return `columns: ${parts.join(', ')}`;
}

function listHeader(header: readonly string[]): string {
  const shown = header.slice(0, 40).map((h) => quoteValue(h)).join(', ');
  return header.length > 40 ? `${shown}, … (${header.length} in all)` : shown;
}
