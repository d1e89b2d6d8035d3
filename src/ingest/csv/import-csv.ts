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
import { CsvByteReader } from './csv-byte-reader.js';
import type { CsvRowHandler } from './csv-tokenizer.js';
import { detectDelimiter } from './delimiter.js';
import { Utf8Check } from './utf8-stream.js';
import { type FastCsvSettings, importCsvFast } from '../fast-csv/import-fast.js';


// Text read before the delimiter is guessed: many lines of any ordinary log.
const SAMPLE_CHARS = 64 * 1024;
// Progress is reported at most this often (in bytes), and once at the end.
const PROGRESS_STEP = 4 * 1024 * 1024;

/**
 * Imports a CSV event log. A file on disk goes through the columnar path first (see
 * `fast-csv/import-fast.ts`); whatever it declines is read here row by row.
 */
export async function importCsv(
  source: ByteSource, options: ImportOptions = {},
  settings: FastCsvSettings = {},
): Promise<CompiledLog> {
  const file = options.sourceName ?? source.name;
  const forced = options.delimiter === undefined ? null : checkDelimiter(options.delimiter);
  const sinkOptions: ImportOptions = { ...options, sourceName: file };
  const limits = resolveIngestLimits(options.limits);
  const fast = await importCsvFast(source, sinkOptions, forced, limits, settings);
  if (fast !== null) return fast;

  let bytesRead = 0;
  let reported = 0;
  const counted = (n: number) => {
    bytesRead = n;
    if (n - reported >= PROGRESS_STEP) {
      reported = n;
      options.onProgress?.(n, source.size);
    }
  };

  const rows = new RowsToSink(file, sinkOptions);

  // The bytes are checked as UTF-8 chunk by chunk, with the errors of a decoding reader, and
  // split into rows by a byte reader; only the first lines are decoded, to guess the delimiter.
  const check = new Utf8Check(file);
  let reader: CsvByteReader | null = null;
  let sample = '';
  let sampleBytes: Uint8Array[] = [];
  for await (const chunk of source.open()) {
    if (reader !== null) {
      check.check(chunk, false);
      counted(check.bytesRead);
      reader.push(chunk);
      continue;
    }
    sample += check.check(chunk, true);
    counted(check.bytesRead);
    sampleBytes.push(chunk);
    if (sample.length >= SAMPLE_CHARS) {
      reader = new CsvByteReader(forced ?? detectDelimiter(sample), rows, limits);
      reader.push(withoutBom(Buffer.concat(sampleBytes)));
      sample = '';
      sampleBytes = [];
    }
  }
  sample += check.end();
  if (bytesRead === 0) {
    throw new LedgerflowError('LF_ERR_INGEST_EMPTY_FILE',
      'the file has 0 bytes; a CSV log needs at least a header line naming its columns',
      { file });
  }
  if (reader === null) {
    reader = new CsvByteReader(forced ?? detectDelimiter(sample), rows, limits);
    reader.push(withoutBom(Buffer.concat(sampleBytes)));
  }
  reader.end();
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

/** The bytes without a leading UTF-8 byte-order mark (a decoder drops it too). */
function withoutBom(bytes: Uint8Array): Uint8Array {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bom ? bytes.subarray(3) : bytes;
}

function checkDelimiter(delimiter: string): string {
  // Both readers split on the delimiter's byte: a character of several UTF-8 bytes would be
  // matched by one of them alone.
  const bad = delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || delimiter === '"' ||
    delimiter === '\n' || delimiter === '\r';
  if (bad) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `the delimiter ${quoteValue(delimiter)} must be one ASCII character other than a quote ` +
      'or a line break, such as "," ";" "\\t" or "|" (option delimiter)', { field: 'delimiter' });
  }
  return delimiter;
}
