/**
 * The inference rule for numbers in text columns, and the numbers of such texts.
 * @internal
 */

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** 10^0 … 10^22: every one is an exact double (read from literals, not computed). */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Whether inference reads `text` as a number (a fast path for plain decimals first). */
export function isNumberText(text: string): boolean {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  const first = i;
  let c = 0;
  while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) i++;
  const intEnd = i;
  if (i < n && c === 46) { // '.'
    i++;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) i++;
  }
  if (i === n && intEnd > first) {
    // "0" and "0.5" are numbers, "007" is an identifier.
    return !(text.charCodeAt(first) === 48 && intEnd - first > 1);
  }
  const trimmed = text.trim();
  return NUMBER_PATTERN.test(trimmed) && !hasLeadingZero(trimmed);
}

/**
 * `Number(text)` when {@link isNumberText} holds, else NaN. A plain decimal of at most 2^53 - 1
 * as digits and at most 22 decimals is read here: digits / 10^decimals divides two exact
 * doubles, and IEEE division rounds correctly, so it gives `Number`'s correctly rounded value
 * (sign included: "-0" is -0), at a fraction of its cost. Other texts go through `Number`.
 */
export function numberOfText(text: string): number {
  const n = text.length;
  const negative = text.charCodeAt(0) === 45; // '-'
  let i = negative ? 1 : 0;
  const first = i;
  // Exact while below 2^53; once past it, it stays past, and the check below sends it on.
  let digits = 0;
  let c = 0;
  while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
    digits = digits * 10 + (c - 48);
    i++;
  }
  const intEnd = i;
  let decimals = 0;
  if (i < n && c === 46) { // '.'
    i++;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      digits = digits * 10 + (c - 48);
      decimals++;
      i++;
    }
  }
  if (i === n && intEnd > first) {
    if (text.charCodeAt(first) === 48 && intEnd - first > 1) return NaN; // "007"
    if (digits > Number.MAX_SAFE_INTEGER || decimals >= POWERS_OF_TEN.length) return Number(text);
    const value = digits / POWERS_OF_TEN[decimals];
    return negative ? -value : value;
  }
  return isNumberText(text) ? Number(text) : NaN;
}

/**
 * {@link numberOfText} of a text given as UTF-8 bytes `bytes[start, end)`, computed from the
 * bytes when the text is a plain decimal that function reads itself ("-12.50", not "007");
 * NaN for any other text, number or not: the caller then reads the text.
 */
export function plainDecimalOfBytes(bytes: Uint8Array, start: number, end: number): number {
  const negative = start < end && bytes[start] === 45; // '-'
  let i = negative ? start + 1 : start;
  const first = i;
  let digits = 0;
  let c = 0;
  while (i < end && (c = bytes[i]) >= 48 && c <= 57) {
    digits = digits * 10 + (c - 48);
    i++;
  }
  const intEnd = i;
  let decimals = 0;
  if (i < end && c === 46) { // '.'
    i++;
    while (i < end && (c = bytes[i]) >= 48 && c <= 57) {
      digits = digits * 10 + (c - 48);
      decimals++;
      i++;
    }
  }
  if (i !== end || intEnd === first) return NaN;
  if (bytes[first] === 48 && intEnd - first > 1) return NaN; // "007"
  if (digits > Number.MAX_SAFE_INTEGER || decimals >= POWERS_OF_TEN.length) return NaN;
  const value = digits / POWERS_OF_TEN[decimals];
  return negative ? -value : value;
}

// Identifiers such as "007" or "0042" must stay text: they are codes, not quantities.
function hasLeadingZero(text: string): boolean {
  const digits = text.replace(/^[+-]/, '');
  return digits.length > 1 && digits[0] === '0' && digits[1] !== '.';
}
