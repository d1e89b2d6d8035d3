/**
 * Splitting of a plain CSV line on its bytes: no quote, no CR but one before the line's end,
 * within the size limits. Such a line reads the same whatever the quoting rules, so it needs
 * no tokenizer state; any other line must go to the {@link CsvTokenizer}.
 * @internal
 */
import type { CsvSizeLimits } from './csv-tokenizer.js';
import { decode, FieldStrings } from './field-strings.js';

const QUOTE = 34;
const CR = 13;
/** Columns past this many share no string cache (a wide row is rare and likely broken). */
const MAX_CACHED_COLUMNS = 1024;

/**
 * Splits `bytes[start, end)` (a line without its LF) into `fields`, strings coming from the
 * column's {@link FieldStrings}. Returns the field count, 0 for a blank line (which CSV
 * skips), or -1 when the line is not plain.
 */
export function splitPlainLine(
  bytes: Buffer, start: number, end: number, delim: number, limits: CsvSizeLimits,
  columns: FieldStrings[], fields: string[],
): number {
  if (end > start && bytes[end - 1] === CR) end--;
  if (end === start) return 0;
  if (end - start > limits.maxRowChars) return -1;
  const maxField = limits.maxFieldChars;
  const maxFields = limits.maxRowFields;
  let count = 0;
  let i = start;
  for (;;) {
    let j = i;
    let high = 0;
    while (j < end) {
      const c = bytes[j];
      if (c === delim) break;
      if (c === QUOTE || c === CR) return -1;
      high |= c;
      j++;
    }
    // Bytes bound characters from above: within the limit in bytes is within it in text.
    if (j - i > maxField) return -1;
    const ascii = high < 128;
    if (count < MAX_CACHED_COLUMNS) {
      const column = columns[count] ?? (columns[count] = new FieldStrings());
      fields[count] = column.get(bytes, i, j, ascii);
    } else {
      fields[count] = decode(bytes, i, j, ascii);
    }
    count++;
    if (j === end) return count;
    if (count >= maxFields) return -1;
    i = j + 1;
  }
}
