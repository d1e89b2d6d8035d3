/**
 * Splits CSV bytes into rows without decoding whole chunks to text first.
 *
 * Lines are found on the bytes; a line with no quote and no stray CR, inside the size limits,
 * is split into fields right there and each field's string comes from {@link FieldStrings}
 * (repeated values are not decoded again). Any other line goes to a {@link CsvTokenizer} as
 * text, which reads it exactly as the text importer did, and keeps it until the row ends (a
 * quoted field may span lines). A line that never ends within {@link MAX_CARRY} bytes hands the
 * rest of the file to the tokenizer. Rows, line numbers and messages are the tokenizer's.
 * The bytes must already be checked as UTF-8 (and the BOM removed).
 */
import { CsvTokenizer, type CsvRowHandler, type CsvSizeLimits } from './csv-tokenizer.js';
import type { FieldStrings } from './field-strings.js';
import { splitPlainLine } from './plain-line.js';

const LF = 10;
/** A line still open after this many bytes is read by the tokenizer (bounded memory). */
const MAX_CARRY = 4 * 1024 * 1024;

/** Reads rows from chunks of UTF-8 bytes. */
export class CsvByteReader {
  readonly #delimiter: number;
  readonly #handler: CsvRowHandler;
  readonly #limits: CsvSizeLimits;
  readonly #tokenizer: CsvTokenizer;
  readonly #columns: FieldStrings[] = [];
  readonly #fields: string[] = [];
  readonly #text = new TextDecoder('utf-8');
  #carry: Buffer | null = null;
  #line = 1;
  /** The tokenizer is inside a row (a quoted field across lines). */
  #inSlowRow = false;
  /** Everything from here on goes to the tokenizer, decoded as a stream. */
  #streaming = false;

  constructor(delimiter: string, handler: CsvRowHandler, limits: CsvSizeLimits) {
    this.#delimiter = delimiter.charCodeAt(0);
    this.#handler = handler;
    this.#limits = limits;
    this.#tokenizer = new CsvTokenizer(delimiter, handler, limits);
  }

  /** Reads the next chunk. */
  push(chunk: Uint8Array): void {
    if (this.#streaming) {
      this.#tokenizer.push(this.#text.decode(chunk, { stream: true }));
      return;
    }
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const carry = this.#carry;
    if (carry !== null) bytes = Buffer.concat([carry, bytes]);
    this.#carry = null;
    let pos = 0;
    for (;;) {
      const lf = bytes.indexOf(LF, pos);
      if (lf < 0) break;
      this.#lineOf(bytes, pos, lf, lf + 1);
      pos = lf + 1;
    }
    if (pos === bytes.length) return;
    const rest = bytes.subarray(pos);
    if (rest.length <= MAX_CARRY) {
      // Copied: the chunk's memory may be reused by the stream.
      this.#carry = Buffer.from(rest);
      return;
    }
    if (!this.#inSlowRow) this.#tokenizer.resumeAt(this.#line);
    this.#streaming = true;
    this.#tokenizer.push(this.#text.decode(rest, { stream: true }));
  }

  /** Ends the input: reads the last line (one without a line break) and flushes. */
  end(): void {
    if (this.#streaming) {
      this.#tokenizer.push(this.#text.decode());
    } else if (this.#carry !== null) {
      const bytes = this.#carry;
      this.#carry = null;
      this.#lineOf(bytes, 0, bytes.length, bytes.length);
    }
    this.#tokenizer.end();
  }

  /** Reads the line `bytes[start, end)`; `next` is past its line break (if any). */
  #lineOf(bytes: Buffer, start: number, end: number, next: number): void {
    const tokenizer = this.#tokenizer;
    if (!this.#inSlowRow && this.#fastLine(bytes, start, end)) {
      this.#line++;
      return;
    }
    if (!this.#inSlowRow) tokenizer.resumeAt(this.#line);
    tokenizer.push(bytes.toString('utf8', start, next));
    this.#inSlowRow = !tokenizer.atRowStart;
    this.#line = tokenizer.line;
  }

  /** Splits a plain line into fields and hands the row over; false when it is not plain. */
  #fastLine(bytes: Buffer, start: number, end: number): boolean {
    const count = splitPlainLine(bytes, start, end, this.#delimiter, this.#limits,
      this.#columns, this.#fields);
    if (count < 0) return false;
    if (count > 0) this.#handler.row(this.#fields, count, this.#line);
    return true;
  }
}
