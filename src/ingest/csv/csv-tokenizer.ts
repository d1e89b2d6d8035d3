/**
 * A resumable RFC 4180 tokenizer: text goes in chunk by chunk, rows come out.
 *
 * Fields may be quoted; inside quotes, delimiters and line breaks are text and `""` is one
 * quote. Lines end with LF, CRLF or CR, also when a chunk ends between CR and LF. The state
 * survives between chunks, so a chunk boundary may fall anywhere, even inside a quoted field,
 * and no text is scanned twice. Completely empty lines are skipped.
 */

import { LedgerflowError } from '../../errors.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just read a quote inside a quoted field: either `""` or the field's end. */
const QUOTE_IN_QUOTED = 3;
/** The row is malformed: skip to its end. */
const BAD_ROW = 4;

/** Receives what the tokenizer finds. */
export interface CsvRowHandler {
  /**
   * One row: `fields[0..count)` (the array is reused: copy what must outlive the call), with
   * the 1-based line it starts on.
   */
  row(fields: string[], count: number, line: number): void;
  /** A row that cannot be split into fields; `detail` says why. */
  malformed(line: number, detail: string): void;
  /**
   * A field or row past its size limit (it must throw: the import cannot go on). Without it the
   * tokenizer throws `LF_ERR_INGEST_TOO_LARGE` naming only the line.
   */
  tooLarge?(line: number, detail: string): never;
}

/** Size bounds of the tokenizer, so one hostile line cannot hold unbounded memory. */
export interface CsvSizeLimits {
  maxFieldChars: number;
  maxRowChars: number;
  maxRowFields: number;
}

const NO_LIMITS: CsvSizeLimits = {
  maxFieldChars: Infinity, maxRowChars: Infinity, maxRowFields: Infinity,
};

/** Splits CSV text into rows. */
export class CsvTokenizer {
  readonly #delimiter: number;
  readonly #handler: CsvRowHandler;
  #fields: string[] = [];
  #count = 0;
  #state = FIELD_START;
  /** Text of the current field read from earlier chunks (or before a `""`). */
  #partial = '';
  #line = 1;
  #rowLine = 1;
  #quoteLine = 1;
  #rowQuoted = false;
  #badDetail = '';
  /** The previous chunk ended with CR: an LF opening this chunk belongs to it. */
  #skipLf = false;
  /** The previous character inside a quoted field was CR (so a following LF is no new line). */
  #quotedCr = false;
  readonly #limits: CsvSizeLimits;
  /** Characters of the current row read from earlier chunks. */
  #rowCarried = 0;
  /** Where the current row starts in the chunk being read. */
  #rowStart = 0;

  constructor(delimiter: string, handler: CsvRowHandler, limits: CsvSizeLimits = NO_LIMITS) {
    this.#delimiter = delimiter.charCodeAt(0);
    this.#handler = handler;
    this.#limits = limits;
  }

  /** Tokenizes the next piece of text. */
  push(s: string): void {
    const n = s.length;
    const delim = this.#delimiter;
    const maxField = this.#limits.maxFieldChars;
    let i = 0;
    this.#rowStart = 0;
    if (this.#skipLf) {
      this.#skipLf = false;
      if (n > 0 && s.charCodeAt(0) === LF) i = 1;
    }
    let segStart = i;
    while (i < n) {
      switch (this.#state) {
        case FIELD_START: {
          // Fast path for the common case, unquoted fields: split the rest of the line here,
          // with the field count in a local, instead of one trip through the switch per field.
          if (this.#partial === '' && s.charCodeAt(i) !== QUOTE) {
            const fields = this.#fields;
            let count = this.#count;
            let j = i;
            let c = 0;
            for (;;) {
              while (j < n) {
                c = s.charCodeAt(j);
                if (c === delim || c === LF || c === CR) break;
                j++;
              }
              if (j === n) break;
              if (j - i > maxField) this.#tooLarge('field', j - i);
              fields[count++] = s.slice(i, j);
              i = j + 1;
              if (c !== delim || i === n || s.charCodeAt(i) === QUOTE) break;
              j = i;
            }
            this.#count = count;
            if (j === n) {
              // The chunk ends inside a field: keep its start for the next chunk.
              this.#state = UNQUOTED;
              this.#partial = s.slice(i, n);
              i = n;
            } else if (c !== delim) {
              i = this.#endLine(s, j);
            }
            // else: a delimiter then a quote, or the chunk's end: the next field starts.
            segStart = i;
            break;
          }
          if (s.charCodeAt(i) === QUOTE) {
            this.#state = QUOTED;
            this.#quoteLine = this.#line;
            this.#rowQuoted = true;
            i++;
          } else {
            this.#state = UNQUOTED;
          }
          segStart = i;
          break;
        }
        case UNQUOTED: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = s.charCodeAt(j);
            if (c === delim || c === LF || c === CR) break;
            j++;
          }
          if (j === n) {
            this.#partial += s.slice(segStart, n);
            i = n;
            break;
          }
          const piece = s.slice(segStart, j);
          this.#addField(this.#partial === '' ? piece : this.#partial + piece);
          i = j + 1;
          if (c === delim) this.#state = FIELD_START;
          else i = this.#endLine(s, j);
          break;
        }
        case QUOTED: {
          let j = i;
          let prevCr = this.#quotedCr;
          let c = 0;
          while (j < n) {
            c = s.charCodeAt(j);
            if (c === QUOTE) break;
            // Count line breaks so later messages name the right line.
            if (c === LF) {
              if (!prevCr) this.#line++;
              prevCr = false;
            } else if (c === CR) {
              this.#line++;
              prevCr = true;
            } else {
              prevCr = false;
            }
            j++;
          }
          this.#quotedCr = prevCr;
          this.#partial += s.slice(segStart, j);
          if (j === n) {
            i = n;
            break;
          }
          this.#quotedCr = false;
          this.#state = QUOTE_IN_QUOTED;
          i = j + 1;
          break;
        }
        case QUOTE_IN_QUOTED: {
          const c = s.charCodeAt(i);
          if (c === QUOTE) {
            this.#partial += '"';
            this.#state = QUOTED;
            i++;
            segStart = i;
          } else if (c === delim) {
            this.#addField(this.#partial);
            this.#state = FIELD_START;
            i++;
          } else if (c === LF || c === CR) {
            this.#addField(this.#partial);
            i = this.#endLine(s, i);
          } else {
            this.#state = BAD_ROW;
            this.#badDetail = `text follows the closing quote of field ${this.#count + 1} ` +
              `(character ${JSON.stringify(s[i])}); a quote inside a quoted field must be ` +
              'doubled ("")';
          }
          break;
        }
        default: {
          // BAD_ROW: drop everything up to the end of the line.
          let j = i;
          while (j < n) {
            const c = s.charCodeAt(j);
            if (c === LF || c === CR) break;
            j++;
          }
          if (j === n) {
            i = n;
            break;
          }
          i = this.#endLine(s, j);
          break;
        }
      }
    }
    this.#checkCarried(n);
  }

  /** Counts what the current row holds past this chunk, and enforces the size limits. */
  #checkCarried(n: number): void {
    if (this.#state === FIELD_START && this.#count === 0 && this.#partial === '') {
      this.#rowCarried = 0;
      return;
    }
    this.#rowCarried += n - this.#rowStart;
    const limits = this.#limits;
    if (this.#partial.length > limits.maxFieldChars) {
      this.#tooLarge('field', this.#partial.length);
    }
    if (this.#rowCarried > limits.maxRowChars) this.#tooLarge('row', this.#rowCarried);
    if (this.#count > limits.maxRowFields) this.#tooLarge('fields', this.#count);
  }

  #tooLarge(what: 'field' | 'row' | 'fields', size: number): never {
    const limits = this.#limits;
    const detail = what === 'field'
      ? `field ${this.#count + 1} holds ${size} characters or more, over the limit of ` +
        `${limits.maxFieldChars} (maxFieldChars, LEDGERFLOW_MAX_FIELD_CHARS)`
      : what === 'row'
        ? `the row holds ${size} characters or more, over the limit of ${limits.maxRowChars} ` +
          '(maxRowChars, LEDGERFLOW_MAX_ROW_CHARS)'
        : `the row has ${size} fields or more, over the limit of ${limits.maxRowFields} ` +
          '(maxRowFields, LEDGERFLOW_MAX_ROW_FIELDS)';
    const hint = `${detail}; a quote that never closes makes one huge field: check the quoting, ` +
      'or raise the limit if the data is genuine';
    if (this.#handler.tooLarge !== undefined) this.#handler.tooLarge(this.#rowLine, hint);
    throw new LedgerflowError('LF_ERR_INGEST_TOO_LARGE', hint, { line: this.#rowLine });
  }

  /** Ends the input: flushes the last row, or reports a quote that never closed. */
  end(): void {
    switch (this.#state) {
      case QUOTED:
        this.#state = BAD_ROW;
        this.#badDetail = `the quote opened on line ${this.#quoteLine} is never closed; ` +
          'close it, or double ("") a quote meant as text';
        this.#rowLine = this.#quoteLine;
        this.#finishRow();
        return;
      case UNQUOTED:
      case QUOTE_IN_QUOTED:
        this.#addField(this.#partial);
        this.#finishRow();
        return;
      case BAD_ROW:
        this.#finishRow();
        return;
      default:
        // A last line ending in a delimiter has one more, empty field.
        if (this.#count > 0) {
          this.#addField('');
          this.#finishRow();
        }
    }
  }

  /** The 1-based line the tokenizer is on (lines read so far + 1). */
  get line(): number {
    return this.#line;
  }

  /**
   * True between rows: no field, quote or line break is pending. Only then may a caller that
   * reads some lines itself (the byte reader) skip lines past the tokenizer.
   */
  get atRowStart(): boolean {
    return this.#state === FIELD_START && this.#count === 0 && this.#partial === '' &&
      !this.#skipLf;
  }

  /**
   * Moves the tokenizer, between rows, to 1-based `line`: the caller read the lines before it
   * itself. Line numbers in rows and messages go on from there.
   */
  resumeAt(line: number): void {
    this.#line = line;
    this.#rowLine = line;
    this.#rowCarried = 0;
  }

  #addField(value: string): void {
    if (value.length > this.#limits.maxFieldChars) this.#tooLarge('field', value.length);
    this.#fields[this.#count++] = value;
    this.#partial = '';
  }

  /** Handles the line break at `j`; returns the index after it. */
  #endLine(s: string, j: number): number {
    let next = j + 1;
    if (s.charCodeAt(j) === CR) {
      if (next < s.length) {
        if (s.charCodeAt(next) === LF) next++;
      } else {
        this.#skipLf = true;
      }
    }
    // A row inside one chunk is checked here; one spanning chunks also by #checkCarried.
    const rowChars = this.#rowCarried + j - this.#rowStart;
    if (rowChars > this.#limits.maxRowChars) this.#tooLarge('row', rowChars);
    if (this.#count > this.#limits.maxRowFields) this.#tooLarge('fields', this.#count);
    this.#finishRow();
    this.#line++;
    this.#rowLine = this.#line;
    this.#rowStart = next;
    this.#rowCarried = 0;
    return next;
  }

  #finishRow(): void {
    const state = this.#state;
    this.#state = FIELD_START;
    this.#partial = '';
    const count = this.#count;
    this.#count = 0;
    const quoted = this.#rowQuoted;
    this.#rowQuoted = false;
    if (state === BAD_ROW) {
      this.#handler.malformed(this.#rowLine, this.#badDetail);
      return;
    }
    if (count === 1 && !quoted && this.#fields[0] === '') return;
    this.#handler.row(this.#fields, count, this.#rowLine);
  }
}
