/**
 * The columnar CSV import: the file's bytes go straight into typed columns, on one or more
 * threads, and the columns into the log builder's finishing step. It gives exactly the log
 * the row importer gives (same columns, dictionary order, notes); it declines, returning null,
 * whenever it cannot be sure of that (a bad row, odd line breaks, a header that is not one
 * plain line, a source that is not a file), and the caller then runs the row importer.
 *
 * `LEDGERFLOW_CSV_FAST=0` turns it off; `LEDGERFLOW_CSV_WORKERS` sets the threads (default
 * two where the machine has two cores, else one; capped at 4 per core and one per MB of data)
 * and `LEDGERFLOW_CSV_PARALLEL_BYTES` the size from which more than one thread is used
 * (default 16 MB).
 *
 * The byte work (field bounds, dictionary codes, ISO timestamps, the numbers of number
 * columns) is a WASM scanner's (assembly/csv/); the other ranges' dictionaries are merged
 * into the first range's, on this thread, in that scanner. Two threads are the default since
 * the scanner made parsing cheap enough for the merge to pay: on the idle 2-vCPU machine
 * measured (bench/ingest.ts, 2026-12-05), 10 M events (1.19 GB) went at 290 MB/s on one thread
 * and 395 MB/s on two, 17 M at 276 and 388 MB/s; 1 M events (119 MB) took 512 and 469 ms. The
 * second thread costs little memory: peak RSS 614 MB on one and 631 MB on two at 10 M events,
 * 972 and 971 MB at 17 M (the first range's arrays are sized for the whole file; the
 * worker's columns are copied into them, and the worker is ended once it has answered).
 */
import { randomInt } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import type { CompiledLog } from '../../log/compiled-log.js';
import {
  describeMapping, mappingNames, resolveColumnMapping, type ResolvedMapping,
} from '../column-mapping.js';
import { detectDelimiter } from '../csv/delimiter.js';
import { Utf8Check } from '../csv/utf8-stream.js';
import type { ByteSource, ImportOptions } from '../import-options.js';
import type { IngestLimits } from '../limits.js';
import { attributeColumns } from '../tabular-sink.js';
import { ZoneClock } from '../time-zone.js';
import { compileRanges, type FileLayout } from './compile-ranges.js';
import { NOT_A_NUMBER } from './csv-scanner.js';
import { plainNumberColumns } from './number-columns.js';
import { isScannerFull, isScannerStop } from './scanner-stop.js';
import { ColumnKind, type ParsedRange, type RangePlan } from './range-plan.js';
import { parseRanges } from './run-ranges.js';
import { checkRowImportRoom } from './string-budget.js';
import { cappedThreadCount } from './thread-count.js';

/** How the columnar import runs; unset fields come from the environment or defaults. */
export interface FastCsvSettings {
  /** False forces the row importer (env LEDGERFLOW_CSV_FAST=0). */
  fast?: boolean;
  /** Threads parsing at once, this one included (env LEDGERFLOW_CSV_WORKERS). */
  threads?: number;
  /** Files from this size on use more than one thread (env LEDGERFLOW_CSV_PARALLEL_BYTES). */
  parallelBytes?: number;
  /** The worker script (tests point it at a loader of the TypeScript sources). */
  workerFile?: string;
  /**
   * Files from this size on spill their attribute columns' codes to a temporary file while
   * they are parsed (code-spill.ts; env LEDGERFLOW_CSV_SPILL_BYTES).
   */
  spillBytes?: number;
  /** Where the spill file goes (env LEDGERFLOW_TMPDIR, else the system's temporary folder). */
  spillDir?: string;
}

// The row importer decides the delimiter from at least this much text; so does this one.
const SAMPLE_CHARS = 64 * 1024;
const DEFAULT_PARALLEL_BYTES = 16 * 1024 * 1024;
const DEFAULT_SPILL_BYTES = 512 * 1024 * 1024;
/**
 * Wider files never spill: each spilled column holds a chunk of rows (range-parser.ts), and
 * files of thousands of columns have few rows.
 */
const MAX_SPILLED_COLUMNS = 256;
/** Threads when none are asked for: two, where there are two cores (see above). */
const DEFAULT_THREADS = Math.min(2, availableParallelism());
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Why the last call declined, for tests and probes ('' when it did not). */
export let lastFastCsvDecline = '';
/** Whether the last call read the file again on one thread after a range failed (tests). */
export let lastFastCsvRetried = false;
/** Whether the last call read the file again with its number columns as text (tests). */
export let lastFastCsvNumbersDemoted = false;

/**
 * Imports `source` through the columnar path; null when it does not apply (then nothing was
 * reported through `options`).
 */
export async function importCsvFast(
  source: ByteSource, options: ImportOptions, forced: string | null, limits: IngestLimits,
  settings: FastCsvSettings = {},
): Promise<CompiledLog | null> {
  lastFastCsvDecline = '';
  lastFastCsvRetried = false;
  lastFastCsvNumbersDemoted = false;
  const decline = (why: string) => {
    lastFastCsvDecline = why;
    return null;
  };
  const enabled = settings.fast ?? process.env.LEDGERFLOW_CSV_FAST !== '0';
  if (!enabled) return decline('turned off');
  if (source.path === undefined || source.size === null || source.size === 0) {
    return decline('not a file on disk');
  }
  const file = options.sourceName ?? source.name;

  const head = await readHead(source, file);
  if (head === null) return decline('the first bytes are not UTF-8');
  const delimiter = forced ?? detectDelimiter(head.text);
  const bom = head.bytes.length >= 3 && head.bytes[0] === 0xef && head.bytes[1] === 0xbb &&
    head.bytes[2] === 0xbf ? 3 : 0;
  const header = headerOf(head.bytes, bom, delimiter.charCodeAt(0), limits);
  if (header === null) return decline('the header is not one plain line');

  let roles: ResolvedMapping;
  try {
    roles = resolveColumnMapping(header.names, options.mapping, file);
    void new ZoneClock(options.timezone ?? 'UTC');
  } catch {
    return decline('the mapping or the time zone is refused');
  }
  const attributes = attributeColumns(header.names, roles);
  const numberColumns = new Set(plainNumberColumns(head.bytes, header.end,
    delimiter.charCodeAt(0), header.names.length, attributes.index));
  const layout: FileLayout = {
    file, header: header.names, roles, mapping: mappingNames(header.names, roles),
    attrIndex: attributes.index, attrName: attributes.name, numberColumns,
  };
  const kinds = header.names.map((_, i) => i === roles.timestamp ? ColumnKind.Time
    : i === roles.startTimestamp ? ColumnKind.StartTime
      : numberColumns.has(i) ? ColumnKind.Number : ColumnKind.Text);
  const plan: RangePlan = {
    delimiter: delimiter.charCodeAt(0), width: header.names.length, kinds,
    required: [roles.case, roles.activity], caseColumn: roles.case,
    timezone: options.timezone ?? 'UTC',
    maxFieldBytes: limits.maxFieldChars, maxRowBytes: limits.maxRowChars,
    // An empty LEDGERFLOW_TMPDIR is unset, as for the counts: '' put the file in the cwd.
    spilled: [], spillDir: settings.spillDir ?? (process.env.LEDGERFLOW_TMPDIR || tmpdir()),
    // Drawn per import: no file can be written whose values share the dictionaries' hashes.
    hashSeed: randomInt(2 ** 32) | 0,
  };

  const dataStart = header.end;
  const dataBytes = source.size - dataStart;
  const spillFrom = settings.spillBytes ?? envCount('LEDGERFLOW_CSV_SPILL_BYTES') ??
    DEFAULT_SPILL_BYTES;
  if (dataBytes >= spillFrom && attributes.index.length <= MAX_SPILLED_COLUMNS) {
    plan.spilled = attributes.index;
  }
  const parallel = dataStart < source.size && dataBytes >=
    (settings.parallelBytes ?? envCount('LEDGERFLOW_CSV_PARALLEL_BYTES') ??
      DEFAULT_PARALLEL_BYTES);
  // The environment's count is capped at 4 per core and one per MB of data (thread-count.ts);
  // a count set in code (tests cutting small files into ranges) only by the cores.
  const threads = !parallel ? 1 : settings.threads !== undefined
    ? cappedThreadCount(settings.threads, Infinity)
    : cappedThreadCount(envCount('LEDGERFLOW_CSV_WORKERS') ?? DEFAULT_THREADS, dataBytes);
  const parse = async (count: number): Promise<ParsedRange[] | null> => {
    try {
      return await parseRanges(source.path as string, dataStart, source.size as number, plan,
        count, settings.workerFile);
    } catch (err) {
      // The file went away or turned unreadable since its head was read: the row importer
      // reads it through its source, and reports what it meets with its own error.
      if (isSystemError(err)) return null;
      throw err;
    }
  };
  // Up to two more reads, each at most once and in either order: with the number columns
  // as text, and on one range. A single range can meet the value that demotes the columns
  // only after the cut's nonsense sent the file to it (a quoted line break cut between
  // threads, the non-number past the cut): demoting must then still follow.
  let count = threads;
  let ranges = await parse(count);
  let failed: ParsedRange | undefined;
  for (;;) {
    if (ranges === null) return decline('the file could not be read again');
    if (numberColumns.size > 0 && ranges.some((r) => r.failure === NOT_A_NUMBER)) {
      // A column the head showed as numbers holds something else further on: it is text,
      // and so is every such column (one more guess could fail again).
      lastFastCsvNumbersDemoted = true;
      plan.kinds = kinds.map((kind) => (kind === ColumnKind.Number ? ColumnKind.Text : kind));
      numberColumns.clear();
      ranges = await parse(count);
      continue;
    }
    failed = ranges.find((r) => r.failure !== '');
    if (failed !== undefined && failed.full !== true && count > 1) {
      // A cut may have landed inside a quoted field that holds line breaks: the ranges after
      // it then read nonsense. One range reads such a file right; a file that is really
      // faulty is read twice before the row importer reports it, which costs less than that
      // import.
      lastFastCsvRetried = true;
      count = 1;
      ranges = await parse(count);
      continue;
    }
    break;
  }
  if (failed !== undefined) {
    if (failed.full === true) checkRowImportRoom(file);
    return decline(failed.failure);
  }

  const notes: string[] = [describeMapping(layout.mapping)];
  let log: CompiledLog | null;
  try {
    log = compileRanges(ranges, layout, options, notes);
  } catch (err) {
    // The merge into the first range's WASM tables ran past their memory (a trap).
    if (isScannerStop(err)) {
      if (isScannerFull(err)) checkRowImportRoom(file);
      return decline(`the merge stopped: ${err.message}`);
    }
    throw err;
  }
  if (log === null) return decline('a timestamp the exact parser refuses');
  for (const note of notes) options.onNote?.(note);
  options.onProgress?.(source.size, source.size);
  return log;
}

/**
 * The first chunks of the source, as the row importer reads them to guess the delimiter:
 * until at least {@link SAMPLE_CHARS} characters are decoded. Null when they are no UTF-8.
 */
async function readHead(
  source: ByteSource, file: string,
): Promise<{ bytes: Buffer; text: string } | null> {
  const check = new Utf8Check(file);
  const parts: Uint8Array[] = [];
  let text = '';
  try {
    for await (const chunk of source.open()) {
      text += check.check(chunk, true);
      parts.push(Buffer.from(chunk));
      if (text.length >= SAMPLE_CHARS) break;
    }
    if (text.length < SAMPLE_CHARS) text += check.end();
  } catch {
    return null;
  }
  return { bytes: Buffer.concat(parts), text };
}

/**
 * The header's names and the offset where the records start; null unless the file opens
 * with a plain header line (no quote, no stray CR, within the limits).
 */
function headerOf(
  bytes: Buffer, from: number, delimiter: number, limits: IngestLimits,
): { names: string[]; end: number } | null {
  const lf = bytes.indexOf(LF, from);
  if (lf < 0) return null;
  let to = lf;
  if (to > from && bytes[to - 1] === CR) to--;
  if (to === from || to - from > limits.maxRowChars) return null;
  const names: string[] = [];
  let start = from;
  for (let i = from; i <= to; i++) {
    const c = i < to ? bytes[i] : delimiter;
    if (c === QUOTE || c === CR) return null;
    if (c !== delimiter) continue;
    if (i - start > limits.maxFieldChars) return null;
    names.push(bytes.toString('utf8', start, i));
    start = i + 1;
  }
  if (names.length > limits.maxRowFields) return null;
  return { names, end: lf + 1 };
}

function envCount(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** An error of the file system (it has a string `code` such as ENOENT or EACCES). */
function isSystemError(err: unknown): boolean {
  return err instanceof Error && typeof (err as { syscall?: unknown }).syscall === 'string';
}
