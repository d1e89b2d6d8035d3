// Numbers of XES int and float values read from their bytes, for the plain decimals nearly
// every writer emits ("5182.8", "-12", "007"): the digits as an integer below 2^53 divided by
// a power of ten up to 10^22. Both are exact doubles and the division rounds once, so the
// result is the correctly rounded value of the text, which is what JS's Number gives.
// Anything else ("1e3", " 5", "+1", ".5", "n/a") is NaN, and the JS side reads the text.

const MAX_SAFE: u64 = 9007199254740991;

/** The number of the `n` bytes at `at` when they are a plain decimal, else NaN. */
export function plainNumber(at: usize, n: i32): f64 {
  let i = 0;
  const negative = n > 0 && load<u8>(at) == 45;
  if (negative) i = 1;
  const first = i;
  let digits: u64 = 0;
  while (i < n) {
    const d = <u32>load<u8>(at + <usize>i) - 48;
    if (d > 9) break;
    digits = digits * 10 + <u64>d;
    if (digits > MAX_SAFE) return NaN;
    i++;
  }
  if (i == first) return NaN;
  let decimals = 0;
  if (i < n && load<u8>(at + <usize>i) == 46) {
    i++;
    while (i < n) {
      const d = <u32>load<u8>(at + <usize>i) - 48;
      if (d > 9) break;
      digits = digits * 10 + <u64>d;
      if (digits > MAX_SAFE || decimals == 22) return NaN;
      decimals++;
      i++;
    }
    if (decimals == 0) return NaN;
  }
  if (i != n) return NaN;
  // Powers of ten up to 10^22 are exact doubles, and so is each step that makes them.
  let scale = 1.0;
  for (let k = 0; k < decimals; k++) scale *= 10;
  const value = <f64>digits / scale;
  return negative ? -value : value;
}
