/**
 * The OCEL 2.0 SQLite importer: flattens an object-centric log on one object type.
 *
 * Each object of the chosen type is a case; each event related to it in `event_object` is an
 * event of that case, with the event's type as activity and its `ocel_time` as time (naive
 * times read in `options.timezone`). Attributes of the per-type event tables become event
 * attributes, and the latest attribute values of the case object become case attributes.
 *
 * Flattening copies an event into every case it relates to (convergence: one "confirm order"
 * of two orders becomes an event of each), so event counts and directly-follows counts are per
 * case, not per distinct event. Objects of the type with no event are no case.
 *
 * Limit: the whole file is read into memory by sql.js (see `sqlite-file.ts`).
 */
import { LedgerflowError } from '../../errors.js';
import type { CompiledLog } from '../../log/compiled-log.js';
import { LogBuilder } from '../../log/log-builder.js';
import type { ByteSource, ImportOptions } from '../import-options.js';
import { ZoneClock } from '../time-zone.js';
import { eventRowOf, readEventRows } from './event-rows.js';
import { latestObjectAttributes } from './object-attributes.js';
import { chooseObjectType, objectTypeEventCounts } from './object-type.js';
import { readOcelSchema } from './ocel-schema.js';
import { openSqlite, queryRows } from './sqlite-file.js';

/** Imports an OCEL 2.0 SQLite log, flattened on `options.objectType` (see the module doc). */
export async function importOcelSqlite(
  source: ByteSource, options: ImportOptions = {},
): Promise<CompiledLog> {
  const file = options.sourceName ?? source.name;
  const clock = new ZoneClock(options.timezone ?? 'UTC');
  const db = await openSqlite(source, file);
  try {
    const schema = readOcelSchema(db, file);
    const objectType = chooseObjectType(objectTypeEventCounts(db), options.objectType, file,
      options.onNote);

    // One row per (event, case object), events in the order of the event table: that order
    // breaks ties between equal times. A pair listed twice (two qualifiers) counts once.
    const pairs = queryRows(db, `
      SELECT e.ocel_id, e.ocel_type, eo.ocel_object_id
      FROM event_object eo
      JOIN event e ON e.ocel_id = eo.ocel_event_id
      JOIN object o ON o.ocel_id = eo.ocel_object_id
      WHERE o.ocel_type = ?
      GROUP BY e.rowid, eo.ocel_object_id
      ORDER BY e.rowid, MIN(eo.rowid)`, [objectType]);
    const types = new Set(pairs.map((p) => String(p[1])));
    const events = readEventRows(db, schema, types, clock, file);

    const builder = new LogBuilder({ lifecycle: 'ignore' });
    const caseObjects = new Set<string>();
    const casesPerEvent = new Map<string, number>();
    for (const [eventId, eventType, objectId] of pairs) {
      const id = String(eventId);
      const type = String(eventType);
      const row = eventRowOf(events, schema, id, type, file);
      const caseId = String(objectId);
      caseObjects.add(caseId);
      casesPerEvent.set(id, (casesPerEvent.get(id) ?? 0) + 1);
      builder.addEvent(caseId, type, row.time);
      builder.setEventAttribute('ocel:event', id, 'string');
      for (const [name, value] of row.attributes) builder.setEventAttribute(name, value);
    }
    if (pairs.length === 0) {
      throw new LedgerflowError('LF_ERR_INGEST_NOT_OCEL',
        `no event is related to an object of type ${JSON.stringify(objectType)}; choose ` +
        'another type (option objectType, --object-type)', { file, value: objectType });
    }

    const table = schema.objectTables.get(objectType);
    if (table !== undefined) {
      for (const [id, values] of latestObjectAttributes(db, table, caseObjects)) {
        for (const [name, value] of values) builder.setCaseAttribute(id, name, value);
      }
    }

    let shared = 0;
    for (const n of casesPerEvent.values()) if (n > 1) shared++;
    options.onNote?.(`OCEL flattened on "${objectType}": ${caseObjects.size} cases, ` +
      `${pairs.length} events from ${casesPerEvent.size} distinct events; ${shared} events ` +
      'belong to several cases (convergence) and are counted once in each. The SQLite file ' +
      'was read whole into memory (sql.js)');

    return builder.finish({
      source: file,
      format: 'ocel-sqlite',
      mapping: {
        case: `object of type ${objectType} (event_object)`,
        activity: 'event.ocel_type',
        timestamp: 'ocel_time',
      },
      skippedRows: {},
    });
  } finally {
    db.close();
  }
}
