/**
 * The attributes of the case objects, read from their per-type table (`object_<Map>`).
 *
 * OCEL 2.0 keeps an object's attribute history there: a first row with every value (in this
 * running example stamped `1970-01-01 01:00:00`, meaning "from the start") and later rows that
 * change one attribute, named in `ocel_changed_field`. A flat case table has one value per
 * attribute, so the importer takes the latest one: rows are applied in time order and the last
 * value wins. The history itself is not kept.
 */
import type { Database } from 'sql.js';
import { queryRows, quoteName, tableColumns } from './sqlite-file.js';

const BOOKKEEPING = new Set(['ocel_id', 'ocel_time', 'ocel_changed_field']);

/** Object id → attribute name → latest value, for the objects in `wanted`. */
export function latestObjectAttributes(
  db: Database, table: string, wanted: ReadonlySet<string>,
): Map<string, Map<string, string | number>> {
  const columns = tableColumns(db, table);
  const attributes = columns.filter((c) => !BOOKKEEPING.has(c));
  const changed = columns.includes('ocel_changed_field');
  const latest = new Map<string, Map<string, string | number>>();
  if (attributes.length === 0 || !columns.includes('ocel_id')) return latest;

  const select = [
    'ocel_id', changed ? 'ocel_changed_field' : 'NULL', ...attributes.map(quoteName),
  ].join(', ');
  // Ties in time keep the table's own order (rowid), the order the exporter wrote them in.
  const order = columns.includes('ocel_time') ? 'ocel_time, rowid' : 'rowid';
  for (const row of queryRows(db, `SELECT ${select} FROM ${quoteName(table)} ORDER BY ${order}`)) {
    // Some exporters declare ids INTEGER here although `object.ocel_id` is TEXT.
    const id = String(row[0]);
    if (!wanted.has(id)) continue;
    let values = latest.get(id);
    if (values === undefined) {
      values = new Map<string, string | number>();
      latest.set(id, values);
    }
    const field = row[1];
    for (let k = 0; k < attributes.length; k++) {
      const value = row[k + 2];
      // A change row carries one attribute; the others are NULL there, not cleared.
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      if (field !== null && field !== '' && field !== attributes[k]) continue;
      values.set(attributes[k], value);
    }
  }
  return latest;
}
