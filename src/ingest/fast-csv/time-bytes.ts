/**
 * Timestamps read from bytes for the form almost every export writes: `YYYY-MM-DD`, then
 * optionally `T` (or a blank) and `HH:MM[:SS[.fff…]]`, then optionally `Z` or `±HH[[:]MM]`.
 * No string and no Date is made. The result is what `TimestampColumn.parse` gives for the same
 * text (the same digit rules, `epochDays`, the zone clock); anything else, including a date
 * that does not exist, returns NaN and the caller asks that exact parser instead.
 * @internal
 */
import { daysInMonth } from '../timestamp.js';
import { epochDays, type ZoneClock } from '../time-zone.js';

const C_0 = 48;
const C_T = 84;
const C_Z = 90;
const C_LOWER = 32;

/** Epoch ms of the ISO text `bytes[start, end)`, or NaN when the exact parser must decide. */
export function isoMillisFromBytes(
  bytes: Uint8Array, start: number, end: number, clock: ZoneClock,
): number {
  const n = end - start;
  if (n < 10 || bytes[start + 4] !== 45 || bytes[start + 7] !== 45) return NaN;
  const year = digits4(bytes, start);
  const month = digits2(bytes, start + 5);
  const day = digits2(bytes, start + 8);
  if (year < 0 || month < 1 || month > 12 || day < 1) return NaN;
  if (day > daysInMonth(year, month)) return NaN;
  let hour = 0;
  let minute = 0;
  let sec = 0;
  let millis = 0;
  let i = start + 10;
  if (i < end) {
    const sep = bytes[i];
    if (sep !== C_T && sep !== C_T + C_LOWER && sep !== 32) return NaN;
    if (end - i < 6 || bytes[i + 3] !== 58) return NaN;
    hour = digits2(bytes, i + 1);
    minute = digits2(bytes, i + 4);
    if (hour < 0 || minute < 0) return NaN;
    i += 6;
    if (i < end && bytes[i] === 58) {
      if (end - i < 3) return NaN;
      sec = digits2(bytes, i + 1);
      if (sec < 0) return NaN;
      i += 3;
      if (i < end && (bytes[i] === 46 || bytes[i] === 44)) {
        i++;
        const from = i;
        while (i < end) {
          const d = bytes[i] - C_0;
          if (d < 0 || d > 9) break;
          // Only the first three digits count: ".5" is 500 ms, ".123999" is 123 ms.
          if (i - from < 3) millis = millis * 10 + d;
          i++;
        }
        const len = i - from;
        if (len === 0) return NaN;
        if (len === 1) millis *= 100;
        else if (len === 2) millis *= 10;
      }
    }
    if (hour > 24 || minute > 59 || sec > 60) return NaN;
    if (hour === 24 && (minute !== 0 || sec !== 0 || millis !== 0)) return NaN;
  }
  // A leap second (:60) is read as :59, as the exact parser does.
  const local = epochDays(year, month, day) * 86_400_000 +
    ((hour * 60 + minute) * 60 + (sec === 60 ? 59 : sec)) * 1000 + millis;
  if (i === end) return clock.toInstant(local);
  const c = bytes[i];
  if (c === C_Z || c === C_Z + C_LOWER) return i + 1 === end ? local : NaN;
  if (c !== 43 && c !== 45) return NaN;
  const oh = end - i >= 3 ? digits2(bytes, i + 1) : -1;
  if (oh < 0 || oh > 23) return NaN;
  let om = 0;
  let j = i + 3;
  if (j < end) {
    if (bytes[j] === 58) j++;
    om = j + 2 === end ? digits2(bytes, j) : -1;
    if (om < 0 || om > 59) return NaN;
  }
  const offset = (c === 45 ? -1 : 1) * (oh * 60 + om);
  return local - offset * 60_000;
}

function digits2(b: Uint8Array, i: number): number {
  const x = b[i] - C_0;
  const y = b[i + 1] - C_0;
  if (x < 0 || x > 9 || y < 0 || y > 9) return -1;
  return x * 10 + y;
}

function digits4(b: Uint8Array, i: number): number {
  const hi = digits2(b, i);
  const lo = digits2(b, i + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}
