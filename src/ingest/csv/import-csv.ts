/**
 * The CSV importer: bytes → UTF-8 text → rows → {@link TabularSink} → compiled log.
 *
 * The file is streamed: text is decoded and tokenized chunk by chunk, and only the compiled
 * columns grow with its size. The first line is the header. The delimiter is forced by
 * `options.delimiter` or detected from the first lines.
 */
import { LedgerflowError, quoteValue } from '../../errors.js';
import type { CompiledLog } from '../../log/compiled-log.js';
import type { ByteSource, ImportOptions } from '../import-options.js';
import { resolveIngestLimits } from '../limits.js';
import { TabularSink } from '../tabular-sink.js';
import { CsvTokenizer, type CsvRowHandler } from './csv-tokenizer.js';
import { detectDelimiter } from './delimiter.js';
import { decodeUtf8 } from './utf8-stream.js';

// Text read before the delimiter is guessed: many lines of any ordinary log.
const SAMPLE_CHARS = 64 * 1024;
// Progress is reported at most this often (in bytes), and once at the end.
const PROGRESS_STEP = 4 * 1024 * 1024;

/** Imports a CSV event log. */
export async function importCsv(
  source: ByteSource, options: ImportOptions = {},
): Promise<CompiledLog> {
  const file = options.sourceName ?? source.name;
  const forced = options.delimiter === undefined ? null : checkDelimiter(options.delimiter);
  const sinkOptions: ImportOptions = { ...options, sourceName: file };
  const rows = new RowsToSink(file, sinkOptions);
  const limits = resolveIngestLimits(options.limits);

  let bytesRead = 0;
  let reported = 0;
  const counted = (n: number) => {
    bytesRead = n;
    if (n - reported >= PROGRESS_STEP) {
      reported = n;
      options.onProgress?.(n, source.size);
    }
  };

  let tokenizer: CsvTokenizer | null = null;
  let sample = '';
  for await (const text of decodeUtf8(source.open(), file, counted)) {
    if (tokenizer !== null) {
      tokenizer.push(text);
      continue;
    }
    sample += text;
    if (sample.length >= SAMPLE_CHARS) {
      tokenizer = new CsvTokenizer(forced ?? detectDelimiter(sample), rows, limits);
      tokenizer.push(sample);
      sample = '';
    }
  }
  if (bytesRead === 0) {
    throw new LedgerflowError('LF_ERR_INGEST_EMPTY_FILE',
      'the file has 0 bytes; a CSV log needs at least a header line naming its columns',
      { file });
  }
  if (tokenizer === null) {
    tokenizer = new CsvTokenizer(forced ?? detectDelimiter(sample), rows, limits);
    tokenizer.push(sample);
  }
  tokenizer.end();
  options.onProgress?.(bytesRead, source.size);
  return rows.finish();
}

/** Hands the header to a new sink, then every row to it, checking the field count. */
class RowsToSink implements CsvRowHandler {
  readonly #file: string;
  readonly #options: ImportOptions;
  #sink: TabularSink | null = null;
  #width = 0;

  constructor(file: string, options: ImportOptions) {
    this.#file = file;
    this.#options = options;
  }

  row(fields: string[], count: number, line: number): void {
    const sink = this.#sink;
    if (sink === null) {
      const header = fields.slice(0, count);
      this.#width = count;
      this.#sink = new TabularSink(header, this.#options, 'csv');
      return;
    }
    if (count !== this.#width) {
      sink.rejectRow('wrong number of fields', new LedgerflowError('LF_ERR_INGEST_BAD_ROW',
        `the row has ${count} fields but the header has ${this.#width}; check the delimiter ` +
        'and quoting (a field holding the delimiter must be quoted), or skip such rows ' +
        '(skipBadRows)', { file: this.#file, line }));
      return;
    }
    if (fields.length !== count) fields.length = count;
    sink.addRow(fields, line);
  }

  tooLarge(line: number, detail: string): never {
    throw new LedgerflowError('LF_ERR_INGEST_TOO_LARGE', detail, { file: this.#file, line });
  }

  malformed(line: number, detail: string): void {
    const error = new LedgerflowError('LF_ERR_INGEST_BAD_ROW', detail, { file: this.#file, line });
    if (this.#sink === null) throw error;
    this.#sink.rejectRow('malformed quoting', error);
  }

  finish(): CompiledLog {
    if (this.#sink === null) {
      throw new LedgerflowError('LF_ERR_INGEST_EMPTY_FILE',
        'the file holds no header line (only a byte-order mark or blank lines); a CSV log ' +
        'needs a header naming its columns', { file: this.#file });
    }
    return this.#sink.finish();
  }
}

function checkDelimiter(delimiter: string): string {
  const bad = delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' ||
    delimiter === '\r';
  if (bad) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `the delimiter ${quoteValue(delimiter)} must be one character other than a quote or a ` +
      'line break, such as "," ";" "\\t" or "|" (option delimiter)', { field: 'delimiter' });
  }
  return delimiter;
}
