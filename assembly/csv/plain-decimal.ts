// Plain decimals read from a field's bytes in the scanner: an optional `-`, digits, and
// optionally `.` and more digits ("5182.80", "-0", "12."). The WASM twin of
// `plainDecimalOfBytes` in src/log/number-text.ts, and it must give the same double for every
// text that one reads (tests hold the two against each other): the digits are gathered in a
// double, exact below 2^53, then divided by an exact power of ten, which IEEE division rounds
// correctly. Anything else ("007", "+5", "1e3", " 5", more than 2^53 - 1 as digits, 23 or more
// decimals) is NaN: the column is then no plain-decimal column, and the JS side reads it as
// text.

const MAX_SAFE: f64 = 9007199254740991;
const MINUS: u32 = 45;
const DOT: u32 = 46;
const ZERO: u32 = 48;

/**
 * 10^k for k in 0 ... 22, exactly: each product is a power of ten a double holds exactly, so
 * IEEE multiplication gives it exactly. Computed, not a table: this module must hold no static
 * data, as the JS side takes its memory from address 384 on (a table went in the heap's way).
 */
// @ts-ignore: decorator
@inline function powerOfTen(k: i32): f64 {
  let p: f64 = 1;
  for (let i = 0; i < k; i++) p *= 10;
  return p;
}

/** The plain decimal of the `n` bytes at `at`, or NaN when they are none. */
export function plainDecimal(at: usize, n: i32): f64 {
  const end = at + <usize>n;
  const negative = n > 0 && <u32>load<u8>(at) == MINUS;
  let i = negative ? at + 1 : at;
  const first = i;
  let digits: f64 = 0;
  let c: u32 = 0;
  while (i < end) {
    c = <u32>load<u8>(i) - ZERO;
    if (c > 9) break;
    digits = digits * 10 + <f64>c;
    i++;
  }
  const intEnd = i;
  let decimals = 0;
  if (i < end && <u32>load<u8>(i) == DOT) {
    i++;
    while (i < end) {
      c = <u32>load<u8>(i) - ZERO;
      if (c > 9) break;
      digits = digits * 10 + <f64>c;
      decimals++;
      i++;
    }
  }
  if (i != end || intEnd == first) return NaN;
  // "0" and "0.5" are numbers, "007" an identifier.
  if (<u32>load<u8>(first) == ZERO && intEnd - first > 1) return NaN;
  if (digits > MAX_SAFE || decimals > 22) return NaN;
  const value = digits / powerOfTen(decimals);
  return negative ? -value : value;
}
