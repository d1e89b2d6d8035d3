/**
 * Counts of an OCEL 2.0 log as stored, before any flattening: what a user needs to pick the
 * object type, and what tests compare with published counts.
 */
import type { Database } from 'sql.js';
import type { ByteSource } from '../import-options.js';
import { objectTypeEventCounts } from './object-type.js';
import { readOcelSchema } from './ocel-schema.js';
import { openSqlite, queryRows } from './sqlite-file.js';

/** The size of an object-centric log. */
export interface OcelSummary {
  /** Rows of the `event` table. */
  events: number;
  /** Event type → number of events of that type (types with events only). */
  eventTypes: Map<string, number>;
  /** Event types declared in `event_map_type`, with or without events. */
  declaredEventTypes: string[];
  /** Object type → number of objects. */
  objectTypes: Map<string, number>;
  /** Object type → number of distinct events related to its objects. */
  eventsPerObjectType: Map<string, number>;
}

/** Reads the summary of an OCEL 2.0 SQLite file (whole file in memory, as the importer does). */
export async function summarizeOcelSqlite(
  source: ByteSource, file = source.name,
): Promise<OcelSummary> {
  const db = await openSqlite(source, file);
  try {
    return summarize(db, file);
  } finally {
    db.close();
  }
}

function summarize(db: Database, file: string): OcelSummary {
  // Checks the tables first, so a file that is no OCEL log fails with a clear message.
  readOcelSchema(db, file);
  const counted = (sql: string) => new Map(queryRows(db, sql)
    .map(([type, n]) => [String(type), Number(n)] as [string, number]));
  const eventTypes = counted('SELECT ocel_type, COUNT(*) FROM event GROUP BY 1 ORDER BY 1');
  return {
    events: [...eventTypes.values()].reduce((a, b) => a + b, 0),
    eventTypes,
    declaredEventTypes: queryRows(db, 'SELECT ocel_type FROM event_map_type ORDER BY 1')
      .map((r) => String(r[0])),
    objectTypes: counted('SELECT ocel_type, COUNT(*) FROM object GROUP BY 1 ORDER BY 1'),
    eventsPerObjectType: objectTypeEventCounts(db),
  };
}
