/**
 * Timestamp parsing to UTC epoch milliseconds.
 *
 * Handles ISO 8601 / xs:dateTime: a date, an optional time with a fraction of any length, and
 * an optional `Z` or `±HH:MM` offset (converted to the instant, never relabelled). Years far
 * outside 1677–2262 are kept exactly. A time without an offset is read as UTC here.
 */

const ISO = /^([+-]?\d{4,6})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i;

/** Parses an ISO 8601 timestamp; NaN when the text is not one. */
export function parseIsoTimestamp(text: string): number {
  const m = ISO.exec(text.trim());
  if (m === null) return NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  // Milliseconds from the first three fraction digits: ".5" is 500, ".123000" is 123.
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour > 24 || minute > 59 || second > 60) return NaN;
  if (hour === 24 && (minute !== 0 || second !== 0 || millis !== 0)) return NaN;

  const local = utcMillis(year, month, day, hour, minute, Math.min(second, 59), millis);
  return local - offsetMillis(m[8]);
}

/** Epoch ms of a proleptic Gregorian civil time in UTC (works for any year). */
export function utcMillis(
  year: number, month: number, day: number, hour: number, minute: number, second: number,
  millis: number,
): number {
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  d.setUTCFullYear(year);
  return d.getTime();
}

function offsetMillis(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}
