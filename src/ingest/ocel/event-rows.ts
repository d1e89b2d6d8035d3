/**
 * Times and attributes of events, from their per-type tables (`event_<Map>`).
 */
import type { Database } from 'sql.js';
import { LedgerflowError } from '../../errors.js';
import type { ZoneClock } from '../time-zone.js';
import { readOcelTime } from './ocel-time.js';
import type { OcelSchema } from './ocel-schema.js';
import { queryRows, quoteName, tableColumns } from './sqlite-file.js';

/** The time of one event and its attributes (name, value) in table column order. */
export interface EventRow {
  time: number;
  attributes: [string, string | number][];
}

/**
 * Reads the rows of the given event types, keyed by event id. A type with no table, or an event
 * with no row in its table, is found later by {@link eventRowOf}.
 */
export function readEventRows(
  db: Database, schema: OcelSchema, types: Iterable<string>, clock: ZoneClock, file: string,
): Map<string, EventRow> {
  const rows = new Map<string, EventRow>();
  for (const type of types) {
    const table = schema.eventTables.get(type);
    if (table === undefined) continue;
    const columns = tableColumns(db, table);
    if (!columns.includes('ocel_id') || !columns.includes('ocel_time')) {
      throw new LedgerflowError('LF_ERR_INGEST_NOT_OCEL',
        `table ${table} of event type ${JSON.stringify(type)} lacks ocel_id or ocel_time ` +
        `(it has ${columns.join(', ')}); give an OCEL 2.0 SQLite export`, { file, field: table });
    }
    const names = columns.filter((c) => c !== 'ocel_id' && c !== 'ocel_time');
    const select = ['ocel_id', 'ocel_time', ...names.map(quoteName)].join(', ');
    for (const row of queryRows(db, `SELECT ${select} FROM ${quoteName(table)}`)) {
      const id = String(row[0]);
      const attributes: [string, string | number][] = [];
      for (let k = 0; k < names.length; k++) {
        const value = row[k + 2];
        // BLOBs have no column type in the compiled log; NULL is a missing value.
        if (typeof value === 'string' || typeof value === 'number') {
          attributes.push([names[k], value]);
        }
      }
      rows.set(id, { time: readOcelTime(row[1], clock, file, table, id), attributes });
    }
  }
  return rows;
}

/** The row of event `id` of `type`; throws a located error when the log has none. */
export function eventRowOf(
  rows: Map<string, EventRow>, schema: OcelSchema, id: string, type: string, file: string,
): EventRow {
  const row = rows.get(id);
  if (row !== undefined) return row;
  const table = schema.eventTables.get(type);
  throw new LedgerflowError('LF_ERR_INGEST_BAD_TIMESTAMP', table === undefined
    ? `event type ${JSON.stringify(type)} has no table in event_map_type, so its events have ` +
      'no time; export the log again with its per-type event tables'
    : `event ${JSON.stringify(id)} has no row in ${table}, so it has no time; export the log ` +
      'again', { file, field: table ?? 'event_map_type', value: id });
}
