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

/** Bytes per code for a dictionary of `size` entries: 1 up to 128, 2 up to 32,768, else 4. */
export function widthFor(size: number): number {
  if (size <= 128) return 1;
  return size <= 32768 ? 2 : 4;
}

/** `length` codes of `width` bytes each: new, or a view at the start of `buffer`. */
function arrayOf(width: number, length: number, buffer?: ArrayBuffer): CodeArray {
  const type = width === 1 ? Int8Array : width === 2 ? Int16Array : Int32Array;
  return buffer === undefined ? new type(length) : new type(buffer, 0, length);
}

/** A zero-filled array of `length` codes for a dictionary of up to `size` entries. */
export function codeArrayFor(size: number, length: number): CodeArray {
  return arrayOf(widthFor(size), length);
}

/**
 * An array of `length` codes for a dictionary of up to `size` entries, over the start of
 * `buffer` (which must have room for `length` codes of {@link widthFor} `size` bytes): for one
 * column at a time.
 */
export function codeViewFor(size: number, buffer: ArrayBuffer, length: number): CodeArray {
  return arrayOf(widthFor(size), length, buffer);
}

/** Whether `codes` can hold every code of a dictionary of `size` entries. */
export function holdsCodes(codes: CodeArray, size: number): boolean {
  return widthFor(size) <= codes.BYTES_PER_ELEMENT;
}

/**
 * `codes` as an array that holds a dictionary of `size` entries, with room for `length`
 * codes: itself when it does and is long enough, else a copy (the values are kept, and the
 * copy is never narrower).
 */
export function widenedCodes(codes: CodeArray, size: number, length: number): CodeArray {
  if (holdsCodes(codes, size) && codes.length >= length) return codes;
  const wider = arrayOf(Math.max(widthFor(size), codes.BYTES_PER_ELEMENT), length);
  wider.set(codes.subarray(0, Math.min(codes.length, length)));
  return wider;
}

/** The codes as an Int32Array: itself when it is one, else a widened copy. */
export function int32Codes(codes: CodeArray): Int32Array {
  return codes instanceof Int32Array ? codes : Int32Array.from(codes);
}
