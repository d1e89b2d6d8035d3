/**
 * The import flags shared by every command that reads a log (analyze, ingest, serve uploads).
 */
import { LedgerflowError } from '../errors.js';
import type { ImportOptions } from '../ingest/import-options.js';

/** parseArgs definitions of the import flags. */
export const importFlagSpec = {
  case: { type: 'string' },
  activity: { type: 'string' },
  timestamp: { type: 'string' },
  'start-timestamp': { type: 'string' },
  resource: { type: 'string' },
  lifecycle: { type: 'string' },
  'lifecycle-mode': { type: 'string' },
  'date-format': { type: 'string' },
  timezone: { type: 'string' },
  delimiter: { type: 'string' },
  format: { type: 'string' },
  'skip-bad-rows': { type: 'boolean' },
  'object-type': { type: 'string' },
  'sap-vbfa': { type: 'boolean' },
} as const;

/** Help text of the import flags. */
export const importFlagHelp = `Column mapping (auto-detected when not given):
  --case COL              case (invoice) id column
  --activity COL          activity column
  --timestamp COL         timestamp (end) column
  --start-timestamp COL   start timestamp column, for logs with intervals
  --resource COL          resource / agent column
  --lifecycle COL         lifecycle transition column
Reading:
  --date-format F         day-first | month-first | iso (default: decided per column)
  --timezone ZONE         IANA zone for times without an offset (default UTC)
  --delimiter C           CSV delimiter (default: detected among , ; tab |)
  --format F              csv | xes | parquet | arrow | xlsx (default: from the bytes)
  --lifecycle-mode M      pair (start/complete become one instance, default) | ignore
  --skip-bad-rows         skip unreadable rows, count them by reason, go on
  --object-type TYPE      OCEL 2.0 SQLite: object type whose objects are the cases
                          (default: the type related to the most events)
  --sap-vbfa              read a CSV as an SAP VBFA document-flow table (default: from
                          its header)`;

type FlagValues = { [K in keyof typeof importFlagSpec]?: string | boolean };

/** Import options from parsed flag values, validated. */
export function importOptionsFromFlags(values: FlagValues): ImportOptions {
  const text = (k: keyof typeof importFlagSpec) => values[k] as string | undefined;
  const dateFormat = text('date-format');
  if (dateFormat !== undefined && !['day-first', 'month-first', 'iso'].includes(dateFormat)) {
    throw invalid('--date-format', dateFormat, 'day-first, month-first or iso');
  }
  const lifecycle = text('lifecycle-mode');
  if (lifecycle !== undefined && lifecycle !== 'pair' && lifecycle !== 'ignore') {
    throw invalid('--lifecycle-mode', lifecycle, 'pair or ignore');
  }
  const format = text('format');
  if (format !== undefined && !['csv', 'xes', 'parquet', 'arrow', 'xlsx'].includes(format)) {
    throw invalid('--format', format, 'csv, xes, parquet, arrow or xlsx');
  }
  let delimiter = text('delimiter');
  if (delimiter === 'tab' || delimiter === '\\t') delimiter = '\t';
  if (delimiter !== undefined && delimiter.length !== 1) {
    throw invalid('--delimiter', delimiter, 'one character, or "tab"');
  }
  const mapping = Object.fromEntries(Object.entries({
    case: text('case'),
    activity: text('activity'),
    timestamp: text('timestamp'),
    startTimestamp: text('start-timestamp'),
    resource: text('resource'),
    lifecycle: text('lifecycle'),
  }).filter(([, v]) => v !== undefined));
  return {
    mapping,
    dateFormat: dateFormat as ImportOptions['dateFormat'],
    timezone: text('timezone'),
    delimiter,
    format: format as ImportOptions['format'],
    lifecycle: lifecycle as ImportOptions['lifecycle'],
    skipBadRows: values['skip-bad-rows'] === true,
    objectType: text('object-type'),
    sapVbfa: values['sap-vbfa'] === true ? true : undefined,
  };
}

function invalid(flag: string, value: string, allowed: string): LedgerflowError {
  return new LedgerflowError('LF_ERR_OPTION_INVALID', `${flag} must be ${allowed}`,
    { field: flag, value });
}
