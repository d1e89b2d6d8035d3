/**
 * The tables of an OCEL 2.0 SQLite log, found and checked before anything is read.
 *
 * OCEL 2.0 stores events in `event` (id, type), objects in `object` (id, type), their relation
 * in `event_object`, and one table per event type (`event_<Map>`: id, time, attributes) and per
 * object type (`object_<Map>`: id, time, changed field, attributes), where `<Map>` comes from
 * `event_map_type` and `object_map_type`.
 */
import type { Database } from 'sql.js';
import { LedgerflowError } from '../../errors.js';
import { queryRows, tableColumns } from './sqlite-file.js';

/** The OCEL 2.0 tables a flattening needs. */
const REQUIRED_TABLES = ['event', 'object', 'event_object', 'event_map_type'];

/** What the importer needs to know about an OCEL 2.0 database. */
export interface OcelSchema {
  /** Every table name in the file. */
  tables: Set<string>;
  /** Event type → its per-type table name (`event_<Map>`). */
  eventTables: Map<string, string>;
  /** Object type → its per-type table name (`object_<Map>`), when declared. */
  objectTables: Map<string, string>;
}

/** Checks that `db` is an OCEL 2.0 log and reads its type maps. */
export function readOcelSchema(db: Database, file: string): OcelSchema {
  const tables = new Set(queryRows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")
    .map((r) => String(r[0])));
  const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
  if (missing.length > 0) {
    throw new LedgerflowError('LF_ERR_INGEST_NOT_OCEL',
      `table(s) ${missing.join(', ')} are missing (found: ${[...tables].slice(0, 12).join(', ')
      || 'none'}); give an OCEL 2.0 SQLite export, or export the log as CSV or XES`, { file });
  }
  for (const [table, columns] of [
    ['event', ['ocel_id', 'ocel_type']],
    ['object', ['ocel_id', 'ocel_type']],
    ['event_object', ['ocel_event_id', 'ocel_object_id']],
    ['event_map_type', ['ocel_type', 'ocel_type_map']],
  ] as const) {
    const have = tableColumns(db, table);
    const lacking = columns.filter((c) => !have.includes(c));
    if (lacking.length > 0) {
      throw new LedgerflowError('LF_ERR_INGEST_NOT_OCEL',
        `table ${table} lacks column(s) ${lacking.join(', ')} required by OCEL 2.0 ` +
        `(it has ${have.join(', ')}); give an OCEL 2.0 SQLite export`, { file, field: table });
    }
  }
  return {
    tables,
    eventTables: typeMap(db, 'event', tables),
    objectTables: tables.has('object_map_type') ? typeMap(db, 'object', tables) : new Map(),
  };
}

function typeMap(db: Database, kind: 'event' | 'object', tables: Set<string>) {
  const map = new Map<string, string>();
  for (const [type, suffix] of queryRows(db,
    `SELECT ocel_type, ocel_type_map FROM ${kind}_map_type`)) {
    const table = `${kind}_${String(suffix)}`;
    if (type !== null && tables.has(table)) map.set(String(type), table);
  }
  return map;
}
