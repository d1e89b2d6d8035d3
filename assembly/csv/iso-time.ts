// Timestamps read from a field's bytes in the scanner, for the form almost every export
// writes: `YYYY-MM-DD`, then optionally `T` (or `t`, or a blank) and `HH:MM[:SS[.fff...]]`,
// then optionally `Z` or `+-HH[[:]MM]`. The WASM twin of src/ingest/fast-csv/time-bytes.ts
// (same digit rules, same calendar), without the zone clock: a time with no zone designator
// is read only when naive times are UTC, anything else is NaN and the JS side decides.

// @ts-ignore: decorator
@inline function digits2(at: usize): i32 {
  const x = <i32>load<u8>(at) - 48;
  const y = <i32>load<u8>(at, 1) - 48;
  if (<u32>x > 9 || <u32>y > 9) return -1;
  return x * 10 + y;
}

function daysInMonth(year: i32, month: i32): i32 {
  if (month == 2) return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (floored eras, as time-zone.ts). */
function epochDays(year: i32, month: i32, day: i32): f64 {
  const y = <f64>(month <= 2 ? year - 1 : year);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = <f64>((month + 9) % 12);
  const doy = Math.floor((153 * mp + 2) / 5) + <f64>day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Epoch ms of the `n` bytes at `at`, or NaN when the JS side must decide. */
export function isoMillis(at: usize, n: i32, naiveUtc: bool): f64 {
  const end = at + <usize>n;
  if (n < 10 || load<u8>(at, 4) != 45 || load<u8>(at, 7) != 45) return NaN;
  const hi = digits2(at);
  const lo = digits2(at + 2);
  const month = digits2(at + 5);
  const day = digits2(at + 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return NaN;
  const year = hi * 100 + lo;
  if (day > daysInMonth(year, month)) return NaN;
  let hour = 0;
  let minute = 0;
  let sec = 0;
  let millis = 0;
  let i = at + 10;
  if (i < end) {
    const sep = <u32>load<u8>(i);
    if (sep != 84 && sep != 116 && sep != 32) return NaN;
    if (end - i < 6 || load<u8>(i, 3) != 58) return NaN;
    hour = digits2(i + 1);
    minute = digits2(i + 4);
    if (hour < 0 || minute < 0) return NaN;
    i += 6;
    if (i < end && load<u8>(i) == 58) {
      if (end - i < 3) return NaN;
      sec = digits2(i + 1);
      if (sec < 0) return NaN;
      i += 3;
      if (i < end && (load<u8>(i) == 46 || load<u8>(i) == 44)) {
        i++;
        const from = i;
        while (i < end) {
          const d = <i32>load<u8>(i) - 48;
          if (<u32>d > 9) break;
          // Only the first three digits count: ".5" is 500 ms, ".123999" is 123 ms.
          if (i - from < 3) millis = millis * 10 + d;
          i++;
        }
        const len = i - from;
        if (len == 0) return NaN;
        if (len == 1) millis *= 100;
        else if (len == 2) millis *= 10;
      }
    }
    if (hour > 24 || minute > 59 || sec > 60) return NaN;
    if (hour == 24 && (minute != 0 || sec != 0 || millis != 0)) return NaN;
  }
  // A leap second (:60) is read as :59, as the exact parser does.
  const local = epochDays(year, month, day) * 86400000 +
    <f64>(((hour * 60 + minute) * 60 + (sec == 60 ? 59 : sec)) * 1000 + millis);
  if (i == end) return naiveUtc ? local : NaN;
  const c = <u32>load<u8>(i);
  if (c == 90 || c == 122) return i + 1 == end ? local : NaN;
  if (c != 43 && c != 45) return NaN;
  const oh = end - i >= 3 ? digits2(i + 1) : -1;
  if (oh < 0 || oh > 23) return NaN;
  let om = 0;
  let j = i + 3;
  if (j < end) {
    if (load<u8>(j) == 58) j++;
    om = j + 2 == end ? digits2(j) : -1;
    if (om < 0 || om > 59) return NaN;
  }
  const offset = (c == 45 ? -1 : 1) * (oh * 60 + om);
  return local - <f64>offset * 60000;
}
