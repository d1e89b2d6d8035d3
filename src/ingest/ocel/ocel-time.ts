/**
 * Reads an OCEL `ocel_time` text. OCEL 2.0 SQLite writes naive `YYYY-MM-DD HH:MM:SS` (some
 * exporters add a fraction or an ISO offset): a time without an offset is local time of the
 * import's zone, a time with one is that instant.
 */
import { LedgerflowError } from '../../errors.js';
import type { ZoneClock } from '../time-zone.js';
import {
  fieldsToLocalMillis, makeTimestampFields, scanTimestamp, TimestampForm,
} from '../timestamp.js';

const fields = makeTimestampFields();

/** Epoch ms of an `ocel_time` value; throws a located error when it is not a time. */
export function readOcelTime(
  value: unknown, clock: ZoneClock, file: string, table: string, id: string,
): number {
  const text = typeof value === 'string' ? value : '';
  const form = text === '' ? TimestampForm.None : scanTimestamp(text, fields);
  const local = form === TimestampForm.YearFirst ? fieldsToLocalMillis(fields, false) : NaN;
  if (Number.isNaN(local)) {
    throw new LedgerflowError('LF_ERR_INGEST_BAD_TIMESTAMP',
      `row ${JSON.stringify(id)} has no time of the form YYYY-MM-DD HH:MM:SS; fix the row in ` +
      'the SQLite file or export the log again', {
        file, field: `${table}.ocel_time`, value: value === null ? 'NULL' : String(value),
      });
  }
  return fields.hasOffset ? local - fields.offsetMinutes * 60_000 : clock.toInstant(local);
}
