/**
 * Which attribute columns the columnar CSV import reads as numbers, decided from the rows at
 * the head of the file. A column of amounts or quantities holds a new value on most rows:
 * coded as text, each value costs a hash lookup in a table that outgrows the cache, then a
 * merge across ranges, and every distinct text is typed again at the end. Read as a plain
 * decimal straight into a double, it costs a few operations a byte and no table at all.
 *
 * The head only proposes: the scanner reads every value of such a column as a plain decimal
 * and stops at the first other one (csv-scanner.ts `NOT_A_NUMBER`), and the file is then read
 * again with the column as text. So the log is the same either way; a wrong guess costs time.
 * @internal
 */
import { plainDecimalOfBytes } from '../../log/number-text.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;
/**
 * A column qualifies when it has more distinct values than one row in this many of the
 * sample: fewer, and its dictionary stays small and its codes narrow (1 or 2 bytes a row,
 * against 8 for a double).
 */
const ROWS_PER_DISTINCT = 8;
/** Bytes of records looked at, at most: a few thousand rows, a few ms. */
const SAMPLE_BYTES = 256 * 1024;

/**
 * The columns among `candidates` whose every non-empty field in the whole records of
 * `bytes[from, …)` (its first {@link SAMPLE_BYTES}) is a plain decimal (see
 * `plainDecimalOfBytes`), and which hold many distinct values. None when the sample has a
 * quote (fields are split naively here) or a row of another width: such files are left to
 * the text path.
 */
export function plainNumberColumns(
  bytes: Uint8Array, from: number, delimiter: number, width: number, candidates: number[],
): number[] {
  const end = bytes.subarray(0, from + SAMPLE_BYTES).lastIndexOf(LF) + 1;
  if (end <= from || candidates.length === 0 || bytes.subarray(from, end).includes(QUOTE)) {
    return [];
  }
  const wanted = new Map(candidates.map((column) => [column, new ColumnSample()]));
  let rows = 0;
  let at = from;
  while (at < end) {
    const lf = bytes.indexOf(LF, at);
    let lineEnd = lf;
    if (lineEnd > at && bytes[lineEnd - 1] === CR) lineEnd--;
    if (lineEnd > at) {
      let column = 0;
      let start = at;
      for (let i = at; i <= lineEnd; i++) {
        if (i < lineEnd && bytes[i] !== delimiter) continue;
        wanted.get(column)?.add(bytes, start, i);
        column++;
        start = i + 1;
      }
      if (column !== width) return [];
      rows++;
    }
    at = lf + 1;
  }
  return candidates.filter((column) => (wanted.get(column) as ColumnSample)
    .qualifies(rows));
}

/** What the sample showed of one column. */
class ColumnSample {
  #plain = true;
  readonly #distinct = new Set<string>();

  add(bytes: Uint8Array, start: number, end: number): void {
    if (!this.#plain || start === end) return;
    if (Number.isNaN(plainDecimalOfBytes(bytes, start, end))) {
      this.#plain = false;
      return;
    }
    this.#distinct.add(String.fromCharCode(...bytes.subarray(start, end)));
  }

  qualifies(rows: number): boolean {
    return this.#plain && this.#distinct.size > 0 &&
      this.#distinct.size * ROWS_PER_DISTINCT > rows;
  }
}
