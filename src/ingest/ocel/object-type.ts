/**
 * Picks the object type a log is flattened on.
 *
 * Without `objectType`, the type related to the most events is taken (ties: the name first in
 * alphabetical order), and a note lists every type with its count so the user can pick another.
 * On the running example that default is `employees`, a resource-like type: for the order
 * process, ask for `orders`.
 */
import type { Database } from 'sql.js';
import { LedgerflowError, quoteValue } from '../../errors.js';
import { queryRows } from './sqlite-file.js';

/** Each object type with the number of distinct events related to its objects. */
export function objectTypeEventCounts(db: Database): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [type] of queryRows(db, 'SELECT DISTINCT ocel_type FROM object ORDER BY 1')) {
    if (type !== null) counts.set(String(type), 0);
  }
  for (const [type, events] of queryRows(db, `
      SELECT o.ocel_type, COUNT(DISTINCT eo.ocel_event_id)
      FROM event_object eo JOIN object o ON o.ocel_id = eo.ocel_object_id
      GROUP BY o.ocel_type`)) {
    if (type !== null) counts.set(String(type), Number(events));
  }
  return counts;
}

/** The type to flatten on: `wanted` when the log has it, else the default described above. */
export function chooseObjectType(
  counts: Map<string, number>, wanted: string | undefined, file: string,
  onNote?: (note: string) => void,
): string {
  const listing = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([type, n]) => `${type} (${n} events)`).join(', ');
  if (wanted !== undefined) {
    if (counts.has(wanted)) return wanted;
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `object type ${quoteValue(wanted)} is not in this log; its types are ${listing || 'none'}` +
      ' (option objectType, --object-type)', { file, field: 'objectType', value: wanted });
  }
  let best: string | null = null;
  for (const [type, n] of counts) {
    if (n === 0) continue;
    if (best === null || n > (counts.get(best) as number) || (n === counts.get(best) &&
      type < best)) best = type;
  }
  if (best === null) {
    throw new LedgerflowError('LF_ERR_INGEST_NOT_OCEL',
      'no object is related to any event (table event_object is empty), so there is no case ' +
      'to flatten on; export the log again with its event-object relations', { file });
  }
  onNote?.(`flattened on object type "${best}", the one related to the most events; types: ` +
    `${listing}. Choose another with --object-type (option objectType)`);
  return best;
}
