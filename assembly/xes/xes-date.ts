// The one xs:dateTime layout nearly every XES date has, read from its bytes:
// `YYYY-MM-DDTHH:MM:SS[.f…][Z|z|±HH:MM]`. The WASM twin of the fast path of
// src/ingest/xes/xes-time.ts `parseXesDate`, field rule for field rule, so the two agree on
// every text this one reads; anything else is NaN, and the JS side reads it with
// parseXesDate itself (its slow path, its zone clock).

// @ts-ignore: decorator
@inline function digit(at: usize): i32 {
  const d = <i32>load<u8>(at) - 48;
  return <u32>d > 9 ? -1000000 : d;
}

// @ts-ignore: decorator
@inline function digits2(at: usize): i32 {
  return digit(at) * 10 + digit(at + 1);
}

function daysInMonth(year: i32, month: i32): i32 {
  if (month == 2) return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (floored eras, as time-zone.ts), in
 * integers: the year is 0 to 9999 here, so only the era of year -1 needs the floor.
 */
function epochDays(year: i32, month: i32, day: i32): i32 {
  const y = month <= 2 ? year - 1 : year;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = (153 * mp + 2) / 5 + day - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Epoch ms of the `n` bytes at `at`, or NaN when the JS side must read them. A time without
 * an offset is read as UTC only when `naiveUtc` (no zone option, or UTC).
 */
export function xesMillis(at: usize, n: i32, naiveUtc: bool): f64 {
  if (n < 19 || load<u8>(at, 4) != 45 || load<u8>(at, 7) != 45 || load<u8>(at, 10) != 84
    || load<u8>(at, 13) != 58 || load<u8>(at, 16) != 58) return NaN;
  const year = digits2(at) * 100 + digits2(at + 2);
  const month = digits2(at + 5);
  const day = digits2(at + 8);
  const hour = digits2(at + 11);
  const minute = digits2(at + 14);
  const second = digits2(at + 17);
  // A non-digit makes its field negative, which every range test below refuses.
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23
    || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  if (day > daysInMonth(year, month)) return NaN;
  const end = at + <usize>n;
  let i = at + 19;
  let millis = 0;
  if (i < end && load<u8>(i) == 46) {
    const from = ++i;
    while (i < end) {
      const d = <i32>load<u8>(i) - 48;
      if (<u32>d > 9) break;
      // Only the first three digits count, as in parseXesDate.
      if (i - from < 3) millis = millis * 10 + d;
      i++;
    }
    const count = i - from;
    if (count == 0) return NaN;
    if (count == 1) millis *= 100;
    else if (count == 2) millis *= 10;
  }
  const local = <f64>epochDays(year, month, day) * 86400000
    + <f64>(((hour * 60 + minute) * 60 + second) * 1000 + millis);
  if (i == end) return naiveUtc ? local : NaN;
  const c = <u32>load<u8>(i);
  if ((c == 90 || c == 122) && i + 1 == end) return local;
  if ((c == 43 || c == 45) && i + 6 == end && load<u8>(i, 3) == 58) {
    const hh = digits2(i + 1);
    const mm = digits2(i + 4);
    if (hh >= 0 && mm >= 0) return local - <f64>((c == 45 ? -1 : 1) * (hh * 60 + mm) * 60000);
  }
  return NaN;
}
