/**
 * A fast reader for the xs:dateTime values of XES dates.
 *
 * Nearly every XES date has one layout, `YYYY-MM-DDTHH:MM:SS[.fff…][Z|±HH:MM]`. Reading it
 * with character codes and a days-from-civil formula is several times faster than a regular
 * expression and a Date object, which matters at a million events a second. Anything else
 * (other year widths, `24:00`, leap seconds, odd offsets) goes to {@link parseIsoTimestamp},
 * which gives the same answer for every text the fast path accepts.
 */
import { parseIsoTimestamp } from '../timestamp.js';

const DAY_MS = 86_400_000;

/** Epoch ms of an xs:dateTime (naive times read as UTC); NaN when it is not one. */
export function parseXesDate(text: string): number {
  const n = text.length;
  if (n < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45
    || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return parseIsoTimestamp(text);
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  // A NaN field fails every comparison below, so it too takes the slow path.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59
    && second <= 59) || day > daysInMonth(year, month)) {
    return parseIsoTimestamp(text);
  }
  let i = 19;
  let millis = 0;
  if (i < n && text.charCodeAt(i) === 46) {
    const from = ++i;
    while (i < n && isDigit(text.charCodeAt(i))) {
      // Only the first three digits count: ".123999" is 123 ms, as the slow path reads it.
      if (i - from < 3) millis = millis * 10 + text.charCodeAt(i) - 48;
      i++;
    }
    const count = i - from;
    if (count === 0) return parseIsoTimestamp(text);
    if (count === 1) millis *= 100;
    else if (count === 2) millis *= 10;
  }
  let offset = 0;
  if (i < n) {
    const c = text.charCodeAt(i);
    if ((c === 90 || c === 122) && i + 1 === n) {
      offset = 0;
    } else if ((c === 43 || c === 45) && i + 6 === n && text.charCodeAt(i + 3) === 58) {
      const hh = digits(text, i + 1, 2);
      const mm = digits(text, i + 4, 2);
      if (!(hh >= 0 && mm >= 0)) return parseIsoTimestamp(text);
      offset = (c === 45 ? -1 : 1) * (hh * 60 + mm) * 60_000;
    } else {
      return parseIsoTimestamp(text);
    }
  }
  return daysFromCivil(year, month, day) * DAY_MS
    + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offset;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The number written by `count` digits at `from`, NaN when one is not a digit. */
function digits(text: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return NaN;
    v = v * 10 + c - 48;
  }
  return v;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date: count in 400-year eras (146,097
 * days each) from 0000-03-01, so the leap day falls at the end of each counted year.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100)
    + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
