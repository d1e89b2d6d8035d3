/**
 * Fast CSV text of generated rows. Formatting dominates the cost of writing a generated log
 * (`Date#toISOString` per cell is slow), so the cells shared by all rows of an invoice are
 * formatted once per invoice, and day texts are cached.
 */
import { COL, DAY_MS, formatAmount, type EventRow } from './columns.js';
import { csvField } from './csv-writer.js';

// Day number → 'YYYY-MM-DD'. Generated logs span a few years, so this stays small; it is
// cleared if a caller's rows wander over many more days.
const dayTexts = new Map<number, string>();
const MAX_CACHED_DAYS = 100_000;

function dayText(day: number): string {
  let text = dayTexts.get(day);
  if (text === undefined) {
    if (dayTexts.size >= MAX_CACHED_DAYS) dayTexts.clear();
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayTexts.set(day, text);
  }
  return text;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DDTHH:MM:SSZ` (with `.mmm` when the time has milliseconds), UTC. */
export function fastTimestamp(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`;
  return `${dayText(day)}T${two(hour)}:${two(minute)}:${two(second)}${fraction}Z`;
}

/** `YYYY-MM-DD` of a UTC instant. */
export function fastDate(ms: number): string {
  return dayText(Math.floor(ms / DAY_MS));
}

const text = (v: string | null): string => (v === null ? '' : csvField(v));

/** The CSV records (CRLF ends) of one invoice's rows, which share their case attributes. */
export function invoiceCsv(rows: readonly EventRow[]): string {
  if (rows.length === 0) return '';
  const first = rows[0];
  const currency = first[COL.currency];
  const invoice = csvField(first[COL.invoice]);
  const middle = `${csvField(first[COL.customer])},${formatAmount(first[COL.invoiceAmount],
    currency)},${csvField(currency)},${fastDate(first[COL.dueDate])},`;
  const caseTail = `${csvField(first[COL.region])},${csvField(first[COL.segment])},`
    + `${csvField(first[COL.paymentTerms])},`;
  let out = '';
  for (const row of rows) {
    const automated = row[COL.automated];
    const promised = row[COL.promisedDate];
    const paid = row[COL.paymentAmount];
    out += `${invoice},${csvField(row[COL.activity])},${fastTimestamp(row[COL.timestamp])},`
      + `${middle}${text(row[COL.agent])},${automated === null ? '' : automated},${caseTail}`
      + `${promised === null ? '' : fastDate(promised)},${text(row[COL.disputeReason])},`
      + `${paid === null ? '' : formatAmount(paid, currency)}\r\n`;
  }
  return out;
}
