/**
 * The SAP VBFA importer: turns the sales document-flow table into an order-to-cash event log.
 *
 * VBFA has one row per link between a predecessor document item (`VBELV`) and a successor
 * document item (`VBELN`). Each distinct successor document is one event: its activity is its
 * category `VBTYP_N` (named by {@link categoryName}), its time the earliest `ERDAT` (YYYYMMDD)
 * + `ERZET` (HHMMSS) of its rows, read in `options.timezone`. A document with rows of several
 * categories or times (a reused number) takes the category of its earliest row. Cases are the
 * connected flows of links; a case is named by its root document (see `document-flow.ts`).
 * Root documents that are never a successor (typically the first order or inquiry) give the
 * case its name but no event, as VBFA has no creation time for them.
 *
 * The CSV is read with the shared tokenizer; a single space is an empty value (SAP's export
 * of an initial field), leading zeros are kept, and a gzip-compressed file is read as is.
 */
import { LedgerflowError, quoteValue } from '../../errors.js';
import type { CompiledLog } from '../../log/compiled-log.js';
import { LogBuilder } from '../../log/log-builder.js';
import { gunzipSource, peekBytes } from '../byte-source.js';
import { CsvTokenizer, type CsvRowHandler } from '../csv/csv-tokenizer.js';
import { detectDelimiter } from '../csv/delimiter.js';
import { decodeUtf8 } from '../csv/utf8-stream.js';
import type { ByteSource, ImportOptions } from '../import-options.js';
import { epochDays, ZoneClock } from '../time-zone.js';
import { daysInMonth, digitsAt as digits } from '../timestamp.js';
import { DocumentFlow } from './document-flow.js';
import { categoryName } from './vbfa-categories.js';
import { VBFA_COLUMNS, vbfaColumnIndexes } from './vbfa-header.js';

/** Imports an SAP VBFA document-flow table (CSV, plain or gzip) as an event log. */
export async function importSapVbfa(
  source: ByteSource, options: ImportOptions = {},
): Promise<CompiledLog> {
  const file = options.sourceName ?? source.name;
  const head = await peekBytes(source, 2);
  const plain = head[0] === 0x1f && head[1] === 0x8b ? gunzipSource(source) : source;
  const reader = new VbfaRows(file, options);
  let tokenizer: CsvTokenizer | null = null;
  for await (const text of decodeUtf8(plain.open(), file)) {
    tokenizer ??= new CsvTokenizer(options.delimiter ?? detectDelimiter(text), reader);
    tokenizer.push(text);
  }
  if (tokenizer === null) {
    throw new LedgerflowError('LF_ERR_INGEST_EMPTY_FILE',
      `the file is empty; a VBFA export needs a header with ${VBFA_COLUMNS.join(', ')}`,
      { file });
  }
  tokenizer.end();
  return reader.finish();
}

/** Reads link rows into a {@link DocumentFlow}. */
class VbfaRows implements CsvRowHandler {
  readonly #file: string;
  readonly #options: ImportOptions;
  readonly #clock: ZoneClock;
  readonly #flow = new DocumentFlow();
  readonly #skipped: Record<string, number> = {};
  #columns: Record<(typeof VBFA_COLUMNS)[number], number> | null = null;
  #width = 0;
  #links = 0;

  constructor(file: string, options: ImportOptions) {
    this.#file = file;
    this.#options = options;
    this.#clock = new ZoneClock(options.timezone ?? 'UTC');
  }

  row(fields: string[], count: number, line: number): void {
    const at = this.#columns;
    if (at === null) {
      const found = vbfaColumnIndexes(fields.slice(0, count));
      if ('missing' in found) {
        throw new LedgerflowError('LF_ERR_INGEST_MISSING_COLUMN',
          `the header lacks ${found.missing.join(', ')}; an SAP VBFA export needs ` +
          `${VBFA_COLUMNS.join(', ')} (export table VBFA with them, or import the file as a ` +
          'plain CSV log)', { file: this.#file, line });
      }
      this.#columns = found.indexes;
      this.#width = count;
      return;
    }
    if (count !== this.#width) {
      this.#reject('wrong number of fields', 'LF_ERR_INGEST_BAD_ROW',
        `the row has ${count} fields but the header has ${this.#width}; check the delimiter ` +
        'and quoting, or skip such rows (skipBadRows)', line);
      return;
    }
    const successor = blankToNull(fields[at.VBELN]);
    if (successor === null) {
      this.#reject('no successor document', 'LF_ERR_INGEST_BAD_ROW',
        'VBELN (successor document) is empty; every VBFA row links to a successor. Fix the ' +
        'export or skip such rows (skipBadRows)', line, 'VBELN');
      return;
    }
    const date = fields[at.ERDAT];
    const clock = fields[at.ERZET];
    const time = sapTime(date, clock);
    if (Number.isNaN(time)) {
      this.#reject('unreadable ERDAT/ERZET', 'LF_ERR_INGEST_BAD_TIMESTAMP',
        `ERDAT must be a date YYYYMMDD and ERZET a time HHMMSS (got ${quoteValue(date)} and ` +
        `${quoteValue(clock)}); fix the export or skip such rows (skipBadRows)`, line, 'ERDAT');
      return;
    }
    const category = blankToNull(fields[at.VBTYP_N]) ?? '(no category)';
    this.#flow.addLink(blankToNull(fields[at.VBELV]), successor, category,
      this.#clock.toInstant(time));
    this.#links++;
  }

  malformed(line: number, detail: string): void {
    const error = new LedgerflowError('LF_ERR_INGEST_BAD_ROW', detail, { file: this.#file, line });
    if (this.#columns === null || this.#options.skipBadRows !== true) throw error;
    this.#skipped['malformed quoting'] = (this.#skipped['malformed quoting'] ?? 0) + 1;
  }

  finish(): CompiledLog {
    if (this.#links === 0) {
      throw new LedgerflowError('LF_ERR_INGEST_EMPTY_FILE',
        'the VBFA table has no readable link row; export the table with its rows', {
          file: this.#file,
        });
    }
    const builder = new LogBuilder({ lifecycle: 'ignore' });
    this.#flow.forEachSuccessor((document, root, category, time) => {
      builder.addEvent(root, categoryName(category), time);
      builder.setEventAttribute('document', document, 'string');
      builder.setEventAttribute('category', category, 'string');
    });
    this.#options.onNote?.(`SAP VBFA: ${this.#links} link rows, ` +
      `${this.#flow.successorCount} successor documents (events) in ${this.#flow.flowCount} ` +
      'connected document flows (cases)');
    return builder.finish({
      source: this.#file,
      format: 'sap-vbfa',
      mapping: {
        case: 'connected VBELV → VBELN flow, named by its root document',
        activity: 'VBTYP_N (document category)',
        timestamp: 'ERDAT + ERZET (earliest row of the document)',
      },
      skippedRows: { ...this.#skipped },
    });
  }

  #reject(
    reason: string, code: 'LF_ERR_INGEST_BAD_ROW' | 'LF_ERR_INGEST_BAD_TIMESTAMP',
    detail: string, line: number, field?: string,
  ): void {
    if (this.#options.skipBadRows !== true) {
      throw new LedgerflowError(code, detail, { file: this.#file, line, field });
    }
    this.#skipped[reason] = (this.#skipped[reason] ?? 0) + 1;
  }
}

/** SAP writes an initial (empty) character field as one space. */
function blankToNull(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * Local epoch ms ("as if UTC") of `YYYYMMDD` + `HHMMSS`; NaN when either is not one. An empty
 * ERZET (initial time) reads as midnight.
 */
export function sapTime(date: string, time: string): number {
  const d = date.trim();
  const t = time.trim() === '' ? '000000' : time.trim();
  if (d.length !== 8 || t.length !== 6) return NaN;
  // Digits read by char code: this runs once per link row.
  const year = digits(d, 0, 4);
  const month = digits(d, 4, 2);
  const day = digits(d, 6, 2);
  const hour = digits(t, 0, 2);
  const minute = digits(t, 2, 2);
  const second = digits(t, 4, 2);
  if (Number.isNaN(year + month + day)) return NaN;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  return epochDays(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000;
}

