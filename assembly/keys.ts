// The log-linear bucket key of a duration, bit for bit the same as bucketKey() in
// src/engine/histogram.ts: exponent and top five mantissa bits of |v|, clamped to
// [0, MAX_KEY], negated for negative values.

export const MAX_KEY: i32 = 2048;
export const KEY_COUNT: i32 = 2 * MAX_KEY + 1;
// (bits >> 47) of 1.0 is 1023 << 5; subtracting one less maps 1.0 to key 1.
const KEY_BIAS: i64 = (1023 << 5) - 1;

// @ts-ignore: decorator
@inline export function bucketKey(v: f64): i32 {
  const top = <i64>(reinterpret<u64>(abs<f64>(v)) >> 47) - KEY_BIAS;
  const k = <i32>min<i64>(max<i64>(top, 0), <i64>MAX_KEY);
  return v < 0 ? -k : k;
}
