/**
 * The slow, obviously-right timestamp parser: one regular expression per form, `Date` for the
 * calendar, and an uncached zone lookup. The importers never call it; tests check that the fast
 * scanner agrees with it on random values, so the fast path can stay clever.
 */
import type { ZoneClock } from './time-zone.js';
import { daysInMonth, utcMillis } from './timestamp.js';

const TIME = '(?:(?:[Tt]|[ \\t]+)(\\d{1,2}):(\\d\\d)(?::(\\d\\d)(?:[.,](\\d+))?)?)?';
const ZONE = '[ \\t]*([Zz]|[+-]\\d\\d(?::?\\d\\d)?)?';
const YEAR_FIRST = new RegExp(
  `^[ \\t]*([+-]?\\d{4,6})([-/])(\\d{1,2})\\2(\\d{1,2})${TIME}${ZONE}[ \\t]*$`);
const YEAR_LAST = new RegExp(
  `^[ \\t]*(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4})${TIME}${ZONE}[ \\t]*$`);

/**
 * Epoch ms of `text`, reading `NN/NN/YYYY` dates in the given order and times without an
 * offset in `clock`'s zone; NaN when it is no timestamp.
 */
export function parseTimestampReference(
  text: string, order: 'day-first' | 'month-first', clock: ZoneClock,
): number {
  let year: number;
  let month: number;
  let day: number;
  let m = YEAR_FIRST.exec(text);
  if (m !== null) {
    year = Number(m[1]);
    month = Number(m[3]);
    day = Number(m[4]);
  } else {
    m = YEAR_LAST.exec(text);
    if (m === null) return NaN;
    year = Number(m[4]);
    const a = Number(m[1]);
    const b = Number(m[3]);
    day = order === 'day-first' ? a : b;
    month = order === 'day-first' ? b : a;
  }
  const hour = Number(m[5] ?? 0);
  const minute = Number(m[6] ?? 0);
  const second = Number(m[7] ?? 0);
  const millis = m[8] === undefined ? 0 : Number(m[8].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour > 24 || minute > 59 || second > 60) return NaN;
  if (hour === 24 && (minute !== 0 || second !== 0 || millis !== 0)) return NaN;
  const local = utcMillis(year, month, day, hour, minute, Math.min(second, 59), millis);
  const zone = m[9];
  if (zone === undefined) return clock.toInstant(local);
  if (zone === 'Z' || zone === 'z') return local;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return NaN;
  return local - (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}
