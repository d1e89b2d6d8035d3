/**
 * Feeds rows of a flat table (CSV, Parquet, Arrow, XLSX) into a LogBuilder: picks the columns
 * for each role, parses timestamps, keeps other columns as attributes.
 */
import { LedgerflowError } from '../errors.js';
import type { AttributeBuilder } from '../log/attribute-builder.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { naiveTimeCell } from './table-cells.js';
import { excelSerialToMs } from './xlsx-cells.js';
import { LogBuilder, type LogBuilderOptions } from '../log/log-builder.js';
import {
  describeMapping, mappingNames, resolveColumnMapping, type ResolvedMapping,
} from './column-mapping.js';
import { checkTextsHeld, HEAP_CHECK_ROWS } from './heap-budget.js';
import type { ImportOptions } from './import-options.js';
import { TimestampColumn } from './timestamp-column.js';
import { ZoneClock } from './time-zone.js';
import {
  fieldsToLocalMillis, makeTimestampFields, scanTimestamp, TimestampForm,
} from './timestamp.js';

/** One cell as a tabular reader hands it over. */
export type Cell = string | number | boolean | Date | null;

const TIMESTAMP_HINT = 'expected ISO 8601 (2024-03-31T14:05:00Z, 2024-03-31 14:05:00), ' +
  'YYYY/MM/DD HH:MM:SS, DD/MM/YYYY HH:MM[:SS], MM/DD/YYYY … or DD.MM.YYYY …; force the ' +
  'day/month order with --date-format day-first|month-first and the zone of times without an ' +
  'offset with --timezone (options dateFormat, timezone), or skip such rows (skipBadRows)';

/** Receives a table's header, then its rows in file order. */
export class TabularSink {
  readonly #header: string[];
  readonly #options: ImportOptions;
  readonly #format: string;
  readonly #file: string;
  readonly #roles: ResolvedMapping;
  readonly #mapping: Record<string, string>;
  readonly #builder: LogBuilder;
  readonly #time: TimestampColumn;
  readonly #start: TimestampColumn | null;
  /** Header index and attribute name of each column that is no role. */
  readonly #attrIndex: number[];
  readonly #attrName: string[];
  /** Each attribute column's collector, once it has had a value. */
  readonly #attrColumns: (AttributeBuilder | undefined)[] = [];
  readonly #skipped: Record<string, number> = {};

  /**
   * @param header column names in table order
   * @param format the format named in `LogInfo.format` (csv, parquet…)
   */
  constructor(header: string[], options: ImportOptions, format: string) {
    this.#header = header;
    this.#options = options;
    this.#format = format;
    this.#file = options.sourceName ?? 'input';
    this.#roles = resolveColumnMapping(header, options.mapping, this.#file);
    this.#mapping = mappingNames(header, this.#roles);
    options.onNote?.(describeMapping(this.#mapping));

    const clock = new ZoneClock(options.timezone ?? 'UTC');
    const order = options.dateFormat ?? null;
    this.#time = new TimestampColumn(
      { file: this.#file, field: header[this.#roles.timestamp] }, clock, order);
    const startIndex = this.#roles.startTimestamp;
    this.#start = startIndex < 0 ? null
      : new TimestampColumn({ file: this.#file, field: header[startIndex] }, clock, order);

    const attributes = attributeColumns(header, this.#roles);
    this.#attrIndex = attributes.index;
    this.#attrName = attributes.name;
    this.#builder = new LogBuilder(tableBuilderOptions(options, clock));
  }

  /** Adds one row; `line` is its 1-based line (CSV) or row number, for messages. */
  addRow(cells: Cell[], line: number): void {
    const header = this.#header;
    if (cells.length !== header.length) {
      this.rejectRow('wrong number of fields', new LedgerflowError('LF_ERR_INGEST_BAD_ROW',
        `the row has ${cells.length} fields but the header has ${header.length}; check the ` +
        'delimiter and quoting, or skip such rows (skipBadRows)', { file: this.#file, line }));
      return;
    }
    const roles = this.#roles;
    const caseId = textOf(cells[roles.case]);
    if (caseId === header[roles.case] && cells.every((cell, k) => textOf(cell) === header[k])) {
      // Exports joined end to end: read as an event, it would fail on its timestamp, or be
      // skipped as such, with no word of what it was.
      this.rejectRow('repeated header', new LedgerflowError('LF_ERR_INGEST_BAD_ROW',
        'the row repeats the header, as where several exports were joined into one file; ' +
        'remove the repeated header lines, or skip such rows (skipBadRows)',
        { file: this.#file, line }));
      return;
    }
    if (caseId === null) {
      this.#reject('empty case id', 'LF_ERR_INGEST_BAD_ROW', line, roles.case,
        'the case id is empty; every row needs one');
      return;
    }
    const activity = textOf(cells[roles.activity]);
    if (activity === null) {
      this.#reject('empty activity', 'LF_ERR_INGEST_BAD_ROW', line, roles.activity,
        'the activity is empty; every row needs one');
      return;
    }

    const key = this.#builder.eventCount;
    if (key % HEAP_CHECK_ROWS === HEAP_CHECK_ROWS - 1) {
      const held = this.#builder.textsHeld();
      checkTextsHeld(this.#file, line, held.count, held.chars);
    }
    const time = this.#timeOf(cells[roles.timestamp], this.#time, key, line);
    if (Number.isNaN(time)) {
      this.#badTime(cells[roles.timestamp], roles.timestamp, line);
      return;
    }
    let start = NaN;
    const startCell = this.#start === null ? null : cells[roles.startTimestamp];
    if (this.#start !== null && textOf(startCell) !== null) {
      start = this.#timeOf(startCell, this.#start, key, line);
      if (Number.isNaN(start)) {
        this.#time.cancel(key);
        this.#badTime(startCell, roles.startTimestamp, line);
        return;
      }
    }
    const lifecycle = roles.lifecycle < 0 ? null : textOf(cells[roles.lifecycle]);
    const resource = roles.resource < 0 ? null : textOf(cells[roles.resource]);

    const builder = this.#builder;
    builder.addEvent(caseId, activity, time, start, lifecycle, resource);
    this.#applyRewrites(this.#time, 'end');
    if (this.#start !== null) this.#applyRewrites(this.#start, 'start');

    const index = this.#attrIndex;
    const columns = this.#attrColumns;
    for (let k = 0; k < index.length; k++) {
      const cell = cells[index[k]];
      if (cell === null || cell === '') continue;
      // Created on the first value, so columns keep the order in which values first appear.
      const column = columns[k] ?? (columns[k] = builder.eventAttributeBuilder(this.#attrName[k]));
      if (typeof cell === 'string') column.set(key, cell);
      else if (cell instanceof Date) column.set(key, cell.getTime(), 'time');
      else column.set(key, cell);
    }
  }

  /**
   * Handles a row a reader could not use: counted under `reason` when `skipBadRows` is set,
   * thrown otherwise. Readers call it for problems the sink cannot see (broken quoting…).
   */
  rejectRow(reason: string, error: LedgerflowError): void {
    if (this.#options.skipBadRows !== true) throw error;
    this.#skipped[reason] = (this.#skipped[reason] ?? 0) + 1;
  }

  /** Compiles the rows added; the sink must not be used afterwards. */
  finish(): CompiledLog {
    const notes = this.#options.onNote;
    for (const column of [this.#time, this.#start]) {
      if (column !== null && column.undecided) {
        notes?.(UNDECIDED_DATES_NOTE);
      }
    }
    const skipped = Object.entries(this.#skipped);
    if (skipped.length > 0) {
      const total = skipped.reduce((sum, [, n]) => sum + n, 0);
      notes?.(`skipped ${total} bad row(s): ` +
        skipped.map(([reason, n]) => `${n} ${reason}`).join(', '));
    }
    return this.#builder.finish({
      source: this.#file,
      format: this.#format,
      mapping: { ...this.#mapping },
      skippedRows: { ...this.#skipped },
    });
  }

  #timeOf(cell: Cell, column: TimestampColumn, key: number, line: number): number {
    if (typeof cell === 'string') return column.parse(cell, key, line);
    if (typeof cell === 'number') {
      // A plain number in a spreadsheet's time column is an Excel date serial (days since
      // 1899-12-30, the 1900 system) shown without a date format; elsewhere it is epoch ms.
      if (this.#format === 'xlsx') {
        return this.#timeOf(naiveTimeCell(excelSerialToMs(cell, false), this.#options), column,
          key, line);
      }
      return Number.isInteger(cell) ? cell : NaN;
    }
    if (cell instanceof Date) return cell.getTime();
    return NaN;
  }

  #applyRewrites(column: TimestampColumn, which: 'end' | 'start'): void {
    const rewrites = column.takeRewrites();
    if (rewrites === null) return;
    for (let k = 0; k < rewrites.keys.length; k++) {
      this.#builder.setEventTime(rewrites.keys[k], rewrites.times[k], which);
    }
  }

  #badTime(cell: Cell, column: number, line: number): void {
    const text = cell === null ? '' : cell instanceof Date ? 'Invalid Date' : String(cell);
    const missing = text.trim() === '';
    this.#reject(missing ? 'missing timestamp' : 'unreadable timestamp',
      'LF_ERR_INGEST_BAD_TIMESTAMP', line, column,
      missing ? 'the timestamp is empty; every row needs one, or skip such rows (skipBadRows)'
        : TIMESTAMP_HINT, missing ? undefined : text);
  }

  #reject(
    reason: string, code: 'LF_ERR_INGEST_BAD_ROW' | 'LF_ERR_INGEST_BAD_TIMESTAMP', line: number,
    column: number, detail: string, value?: string,
  ): void {
    if (this.#options.skipBadRows === true) {
      this.#skipped[reason] = (this.#skipped[reason] ?? 0) + 1;
      return;
    }
    const where = { file: this.#file, line, field: this.#header[column], value };
    throw new LedgerflowError(code, detail, where);
  }
}

/**
 * The columns of a table that play no role, as attributes: header index and a name of its
 * own (blank or repeated names would merge columns).
 */
export function attributeColumns(
  header: readonly string[], roles: ResolvedMapping,
): { index: number[]; name: string[] } {
  const roleColumns = new Set(Object.values(roles));
  const names = new Set<string>();
  const index: number[] = [];
  const name: string[] = [];
  for (let i = 0; i < header.length; i++) {
    if (roleColumns.has(i)) continue;
    let unique = header[i] === '' ? `column ${i + 1}` : header[i];
    for (let k = 2; names.has(unique); k++) unique = `${header[i]} (${k})`;
    names.add(unique);
    index.push(i);
    name.push(unique);
  }
  return { index, name };
}

/** The log builder's options for a flat table's rows. */
export function tableBuilderOptions(options: ImportOptions, clock: ZoneClock): LogBuilderOptions {
  return {
    lifecycle: options.lifecycle ?? 'pair',
    promoteCaseAttributes: true,
    parseTime: isoTimeParser(clock),
  };
}

/** The note a table import gives when a timestamp column never showed its day/month order. */
export const UNDECIDED_DATES_NOTE = 'every date in a timestamp column could be read either ' +
  'way; read day-first (force with --date-format month-first)';

/** The cell as text for a role column; null when it is empty. Text is kept exactly. */
function textOf(cell: Cell): string | null {
  if (cell === null || cell === '') return null;
  if (typeof cell === 'string') return cell;
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}

/** Reads ISO-like attribute texts (due dates…), naive ones in the import's zone. */
function isoTimeParser(clock: ZoneClock): (text: string) => number {
  const fields = makeTimestampFields();
  return (text) => {
    if (scanTimestamp(text, fields) !== TimestampForm.YearFirst) return NaN;
    const local = fieldsToLocalMillis(fields, false);
    if (Number.isNaN(local)) return NaN;
    return fields.hasOffset ? local - fields.offsetMinutes * 60_000 : clock.toInstant(local);
  };
}
