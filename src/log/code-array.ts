/**
 * Dictionary codes held as narrow as their dictionary allows: an importer reading a big flat
 * file keeps one code per row and column until the log is finished, and most columns of an
 * export (a currency, a region, an activity) have a few hundred distinct values at most. One
 * byte instead of four per such cell was most of an import's memory on a 2 GB CSV.
 *
 * Codes are signed so that -1 (no value) reads the same in every width. The compiled log's
 * columns stay Int32Array; narrow arrays live only between parsing and finishing.
 * @internal
 */

/** Codes of one column, -1 for none, in the narrowest array their dictionary fits. */
export type CodeArray = Int8Array | Int16Array | Int32Array;

/** The largest code an array of each width holds. */
const INT8_MAX = 127;
const INT16_MAX = 32767;

/** A zero-filled array of `length` codes for a dictionary of up to `size` entries. */
export function codeArrayFor(size: number, length: number): CodeArray {
  if (size <= INT8_MAX + 1) return new Int8Array(length);
  if (size <= INT16_MAX + 1) return new Int16Array(length);
  return new Int32Array(length);
}

/**
 * An array of `length` codes for a dictionary of up to `size` entries, over the start of
 * `buffer` (which must have room for `length` Int32 codes): for one column at a time.
 */
export function codeViewFor(size: number, buffer: ArrayBuffer, length: number): CodeArray {
  if (size <= INT8_MAX + 1) return new Int8Array(buffer, 0, length);
  if (size <= INT16_MAX + 1) return new Int16Array(buffer, 0, length);
  return new Int32Array(buffer, 0, length);
}

/** Whether `codes` can hold every code of a dictionary of `size` entries. */
export function holdsCodes(codes: CodeArray, size: number): boolean {
  if (codes instanceof Int32Array) return true;
  return size <= (codes instanceof Int8Array ? INT8_MAX : INT16_MAX) + 1;
}

/**
 * `codes` as an array that holds a dictionary of `size` entries, with room for `length`
 * codes: itself when it does and is long enough, else a copy (the values are kept).
 */
export function widenedCodes(codes: CodeArray, size: number, length: number): CodeArray {
  if (holdsCodes(codes, size) && codes.length >= length) return codes;
  const wider = codeArrayFor(Math.max(size, widthSize(codes)), length);
  wider.set(codes.subarray(0, Math.min(codes.length, length)));
  return wider;
}

/** The codes as an Int32Array: itself when it is one, else a widened copy. */
export function int32Codes(codes: CodeArray): Int32Array {
  return codes instanceof Int32Array ? codes : Int32Array.from(codes);
}

/** The dictionary size an array's width stands for (so that widening never narrows). */
function widthSize(codes: CodeArray): number {
  if (codes instanceof Int8Array) return 1;
  return codes instanceof Int16Array ? INT8_MAX + 2 : INT16_MAX + 2;
}
