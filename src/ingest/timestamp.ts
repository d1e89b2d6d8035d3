/**
 * Timestamp parsing to UTC epoch milliseconds.
 *
 * Handles ISO 8601 / xs:dateTime: a date, an optional time with a fraction of any length, and
 * an optional `Z` or `±HH:MM` offset (converted to the instant, never relabelled). Years far
 * outside 1677–2262 are kept exactly. A time without an offset is read as UTC here.
 *
 * Beside it sits {@link scanTimestamp}, the fast scanner the importers use for every cell: it
 * reads digits by char code into a reused {@link TimestampFields} (no regex, no Date), and also
 * knows the numeric forms `YYYY/MM/DD`, `DD/MM/YYYY`, `MM/DD/YYYY` and `DD.MM.YYYY`, whose
 * day/month order the caller decides per column (see `timestamp-column.ts`).
 */
import { epochDays } from './time-zone.js';

// Date, optional time with a fraction of any length, optional zone: one piece per line.
const ISO = new RegExp([
  '^([+-]?\\d{4,6})-(\\d\\d)-(\\d\\d)',
  '(?:[T ](\\d\\d):(\\d\\d)(?::(\\d\\d)(?:[.,](\\d+))?)?)?',
  '\\s*(Z|[+-]\\d\\d(?::?\\d\\d)?)?$',
].join(''), 'i');

// The instants a JS Date can hold (±100,000,000 days around 1970): a time outside cannot be
// printed or compared as a date anywhere downstream, so it is no timestamp.
const MAX_EPOCH_MS = 8.64e15;

/** `ms` when a JS Date can hold it, else NaN (years past +275760 or before -271821). */
export function inDateRange(ms: number): number {
  return ms >= -MAX_EPOCH_MS && ms <= MAX_EPOCH_MS ? ms : NaN;
}

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

/** The number written by `count` decimal digits at `from` of `text`; NaN when one is not. */
export function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** What {@link scanTimestamp} recognised. */
export const enum TimestampForm {
  /** Not a timestamp of any known form. */
  None = 0,
  /** Year first (ISO or `YYYY/MM/DD`): `first` is the month, `second` the day. */
  YearFirst = 1,
  /** `NN/NN/YYYY` or `NN.NN.YYYY`: which of `first`/`second` is the day is up to the caller. */
  YearLast = 2,
}

/** The fields of one scanned timestamp; reused across calls to avoid an allocation per cell. */
export interface TimestampFields {
  year: number;
  first: number;
  second: number;
  hour: number;
  minute: number;
  sec: number;
  millis: number;
  /** True when the text carries `Z` or a numeric offset. */
  hasOffset: boolean;
  /** The offset in minutes east of UTC, when `hasOffset`. */
  offsetMinutes: number;
}

/** A fresh fields record for {@link scanTimestamp}. */
export function makeTimestampFields(): TimestampFields {
  return {
    year: 0, first: 0, second: 0, hour: 0, minute: 0, sec: 0, millis: 0, hasOffset: false,
    offsetMinutes: 0,
  };
}

const C_0 = 48;
const C_9 = 57;
const C_SPACE = 32;
const C_TAB = 9;
const C_PLUS = 43;
const C_MINUS = 45;
const C_DOT = 46;
const C_SLASH = 47;
const C_COLON = 58;
const C_COMMA = 44;
const C_T = 84;
const C_Z = 90;
const C_LOWER = 32;

/**
 * Scans `text` into `out` and returns its form. Checks the shape and the time ranges only; the
 * date is validated by {@link fieldsToLocalMillis} once the caller knows the day/month order.
 * Accepted: optional surrounding blanks; a date (`Y-M-D`, `Y/M/D`, `N/N/Y`, `N.N.Y`, `N-N-Y`,
 * year-first with 4–6 digits and an optional sign); then optionally `T` or blanks and
 * `H:MM[:SS[.f…]]`; then optionally blanks and `Z`, `±HH`, `±HHMM` or `±HH:MM`.
 */
export function scanTimestamp(text: string, out: TimestampFields): TimestampForm {
  let i = 0;
  let end = text.length;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  while (end > i && isBlank(text.charCodeAt(end - 1))) end--;
  if (i >= end) return TimestampForm.None;

  let form: TimestampForm;
  let c = text.charCodeAt(i);
  let sign = 0;
  if (c === C_PLUS || c === C_MINUS) {
    sign = c === C_MINUS ? -1 : 1;
    i++;
  }
  // Leading number: a 4–6 digit year, or a 1–2 digit day/month.
  let n = 0;
  let start = i;
  while (i < end && (c = text.charCodeAt(i)) >= C_0 && c <= C_9 && i - start < 7) {
    n = n * 10 + (c - C_0);
    i++;
  }
  let digits = i - start;
  if (i >= end) return TimestampForm.None;
  const sep = text.charCodeAt(i);
  if (sep !== C_MINUS && sep !== C_SLASH && sep !== C_DOT) return TimestampForm.None;
  if (digits >= 4 && digits <= 6) {
    if (sep === C_DOT) return TimestampForm.None;
    form = TimestampForm.YearFirst;
    out.year = sign === -1 ? -n : n;
  } else if (digits >= 1 && digits <= 2 && sign === 0) {
    form = TimestampForm.YearLast;
    out.first = n;
  } else {
    return TimestampForm.None;
  }
  i++;
  // Middle number, 1–2 digits.
  n = 0;
  start = i;
  while (i < end && (c = text.charCodeAt(i)) >= C_0 && c <= C_9 && i - start < 3) {
    n = n * 10 + (c - C_0);
    i++;
  }
  digits = i - start;
  if (digits < 1 || digits > 2) return TimestampForm.None;
  if (form === TimestampForm.YearFirst) out.first = n;
  else out.second = n;
  if (i >= end || text.charCodeAt(i) !== sep) return TimestampForm.None;
  i++;
  // Last number: the day (year first) or a 4-digit year.
  n = 0;
  start = i;
  while (i < end && (c = text.charCodeAt(i)) >= C_0 && c <= C_9 && i - start < 5) {
    n = n * 10 + (c - C_0);
    i++;
  }
  digits = i - start;
  if (form === TimestampForm.YearFirst) {
    if (digits < 1 || digits > 2) return TimestampForm.None;
    out.second = n;
  } else {
    if (digits !== 4) return TimestampForm.None;
    out.year = n;
  }

  out.hour = 0;
  out.minute = 0;
  out.sec = 0;
  out.millis = 0;
  out.hasOffset = false;
  out.offsetMinutes = 0;
  if (i === end) return form;

  // Time, after `T` or blanks.
  c = text.charCodeAt(i);
  if (c === C_T || c === C_T + C_LOWER) {
    i++;
  } else if (isBlank(c)) {
    while (i < end && isBlank(text.charCodeAt(i))) i++;
  } else {
    return scanOffset(text, i, end, out) ? form : TimestampForm.None;
  }
  start = i;
  n = 0;
  while (i < end && (c = text.charCodeAt(i)) >= C_0 && c <= C_9 && i - start < 3) {
    n = n * 10 + (c - C_0);
    i++;
  }
  if (i - start < 1 || i - start > 2 || i >= end || text.charCodeAt(i) !== C_COLON) {
    return TimestampForm.None;
  }
  out.hour = n;
  i++;
  const minute = twoDigits(text, i, end);
  if (minute < 0) return TimestampForm.None;
  out.minute = minute;
  i += 2;
  if (i < end && text.charCodeAt(i) === C_COLON) {
    const sec = twoDigits(text, i + 1, end);
    if (sec < 0) return TimestampForm.None;
    out.sec = sec;
    i += 3;
    c = i < end ? text.charCodeAt(i) : 0;
    if (c === C_DOT || c === C_COMMA) {
      i++;
      start = i;
      let millis = 0;
      while (i < end && (c = text.charCodeAt(i)) >= C_0 && c <= C_9) {
        // Only the first three digits count: ".5" is 500 ms, ".123999" is 123 ms.
        if (i - start < 3) millis = millis * 10 + (c - C_0);
        i++;
      }
      const len = i - start;
      if (len === 0) return TimestampForm.None;
      out.millis = len === 1 ? millis * 100 : len === 2 ? millis * 10 : millis;
    }
  }
  if (out.hour > 24 || out.minute > 59 || out.sec > 60) return TimestampForm.None;
  if (out.hour === 24 && (out.minute !== 0 || out.sec !== 0 || out.millis !== 0)) {
    return TimestampForm.None;
  }
  if (i === end) return form;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  return scanOffset(text, i, end, out) ? form : TimestampForm.None;
}

/**
 * Local epoch ms ("as if UTC") of scanned fields, reading a `YearLast` date day-first or
 * month-first; NaN when the date does not exist. The offset is not applied here.
 */
export function fieldsToLocalMillis(f: TimestampFields, dayFirst: boolean): number {
  let month = f.first;
  let day = f.second;
  if (dayFirst) {
    month = f.second;
    day = f.first;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(f.year, month)) return NaN;
  // A leap second (:60) is read as :59, as xs:dateTime readers commonly do.
  const sec = f.sec === 60 ? 59 : f.sec;
  return epochDays(f.year, month, day) * 86_400_000 +
    ((f.hour * 60 + f.minute) * 60 + sec) * 1000 + f.millis;
}

function scanOffset(text: string, i: number, end: number, out: TimestampFields): boolean {
  const c = text.charCodeAt(i);
  if (c === C_Z || c === C_Z + C_LOWER) {
    out.hasOffset = true;
    out.offsetMinutes = 0;
    return i + 1 === end;
  }
  if (c !== C_PLUS && c !== C_MINUS) return false;
  const hours = twoDigits(text, i + 1, end);
  if (hours < 0 || hours > 23) return false;
  let minutes = 0;
  let j = i + 3;
  if (j < end) {
    if (text.charCodeAt(j) === C_COLON) j++;
    minutes = twoDigits(text, j, end);
    if (minutes < 0 || minutes > 59 || j + 2 !== end) return false;
  }
  out.hasOffset = true;
  out.offsetMinutes = (c === C_MINUS ? -1 : 1) * (hours * 60 + minutes);
  return true;
}

function twoDigits(text: string, i: number, end: number): number {
  if (i + 2 > end) return -1;
  const a = text.charCodeAt(i) - C_0;
  const b = text.charCodeAt(i + 1) - C_0;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

function isBlank(c: number): boolean {
  return c === C_SPACE || c === C_TAB;
}
