/**
 * XLSX importer: one worksheet of a workbook (the receivables template's `Events` sheet, or
 * the first sheet whose header names a case and an activity column), streamed row by row with
 * exceljs into a {@link TabularSink}.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { isLedgerflowError, LedgerflowError, quoteValue } from '../errors.js';
import type { CompiledLog } from '../log/compiled-log.js';
import type { ByteSource, ImportOptions } from './import-options.js';
import { hexHead, sniffStream, startsWith } from './table-bytes.js';
import { TabularSink, type Cell } from './tabular-sink.js';
import { excelCell, type ExcelCellLike } from './xlsx-cells.js';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // "PK\3\4": an XLSX workbook is a zip archive
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // legacy .xls, or an encrypted .xlsx
const DATA_SHEET = 'events';

/** The parts of exceljs's streaming readers used here (its typings omit them). */
interface StreamRow {
  number: number;
  cellCount: number;
  findCell(column: number): ExcelCellLike | undefined;
}
interface StreamSheet extends AsyncIterable<StreamRow> {
  name?: string;
}
interface StreamBook extends AsyncIterable<StreamSheet> {
  model?: { sheets?: { name: string }[] };
  properties?: { model?: { date1904?: boolean } };
}

/** Reads the event sheet of an XLSX workbook into a compiled log. */
export async function importXlsx(source: ByteSource, options: ImportOptions): Promise<CompiledLog> {
  const input = await openChecked(source, options);
  const book = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache',
    // exceljs's 'cache' mode for hyperlinks throws on cells; ignored, a link reads as its text.
    hyperlinks: 'ignore', entries: 'ignore',
  }) as unknown as StreamBook;
  const seen: string[] = [];
  let firstError: LedgerflowError | null = null;
  try {
    for await (const sheet of book) {
      const name = sheet.name ?? `sheet ${seen.length + 1}`;
      seen.push(name);
      const names = book.model?.sheets?.map((s) => s.name.toLowerCase()) ?? [];
      if (names.includes(DATA_SHEET) && name.toLowerCase() !== DATA_SHEET) continue;
      const result = await readSheet(sheet, book, source, options);
      if (result instanceof LedgerflowError) {
        firstError ??= result;
        continue;
      }
      // Later sheets are not needed: stop reading, which also closes a file being streamed.
      input.destroy();
      return result;
    }
  } catch (err) {
    input.destroy();
    if (isLedgerflowError(err)) throw err;
    throw new LedgerflowError('LF_ERR_INGEST_BAD_XLSX',
      `${quoteValue(err instanceof Error ? err.message : String(err))}; the workbook is damaged ` +
      'or truncated: open it in Excel and save it again as .xlsx', { file: source.name }, err);
  }
  if (firstError !== null) throw firstError;
  throw new LedgerflowError('LF_ERR_INGEST_BAD_XLSX',
    seen.length === 0 ? 'the archive holds no worksheet; is it an Excel workbook?'
      : `no worksheet has a header row (sheets: ${seen.map((s) => quoteValue(s)).join(', ')})`,
    { file: source.name });
}

/**
 * Reads one sheet. Returns (not throws) a missing-column error when its header does not name
 * the case and activity columns, so the caller can try the next sheet.
 */
async function readSheet(
  sheet: StreamSheet, book: StreamBook, source: ByteSource, options: ImportOptions,
): Promise<CompiledLog | LedgerflowError> {
  const date1904 = book.properties?.model?.date1904 === true;
  let sink: TabularSink | null = null;
  let width = 0;
  let cells: Cell[] = [];
  for await (const row of sheet) {
    if (sink === null) {
      const header = headerOf(row);
      if (header.length === 0) continue; // blank lines above the header
      try {
        sink = new TabularSink(header, options, 'xlsx');
      } catch (err) {
        if (isLedgerflowError(err, 'LF_ERR_INGEST_MISSING_COLUMN')) return err;
        throw err;
      }
      width = header.length;
      cells = new Array<Cell>(width);
      continue;
    }
    let empty = true;
    for (let c = 0; c < width; c++) {
      cells[c] = excelCell(row.findCell(c + 1), date1904, options);
      if (cells[c] !== null && cells[c] !== '') empty = false;
    }
    // Formatted but empty rows below a table are common in workbooks; they are not events.
    if (!empty) sink.addRow(cells, row.number);
  }
  if (sink === null) {
    return new LedgerflowError('LF_ERR_INGEST_MISSING_COLUMN',
      'the sheet is empty: put a header row (case, activity, timestamp…) above the events',
      { file: source.name, field: sheet.name });
  }
  return sink.finish();
}

/** Column names of a header row, up to its last non-empty cell; blank names get a letter. */
function headerOf(row: StreamRow): string[] {
  const names: string[] = [];
  let last = 0;
  for (let c = 1; c <= row.cellCount; c++) {
    const cell = excelCell(row.findCell(c), false, {});
    const text = cell === null ? ''
      : cell instanceof Date ? cell.toISOString() : String(cell).trim();
    names.push(text === '' ? `column ${columnLetters(c)}` : text);
    if (text !== '') last = c;
  }
  return names.slice(0, last);
}

function columnLetters(column: number): string {
  let s = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  }
  return s;
}

/** Checks the first bytes are a zip archive and returns a stream of all of them. */
async function openChecked(source: ByteSource, options: ImportOptions): Promise<Readable> {
  const { head, stream } = await sniffStream(source, options);
  if (head.length === 0) {
    throw new LedgerflowError('LF_ERR_INGEST_EMPTY_FILE', 'a workbook needs at least one sheet',
      { file: source.name });
  }
  if (startsWith(head, OLE_MAGIC)) {
    throw new LedgerflowError('LF_ERR_INGEST_BAD_XLSX',
      'this is a legacy .xls workbook or a password-protected one; save it in Excel as an ' +
      'unprotected .xlsx workbook', { file: source.name, byte: 0 });
  }
  if (!startsWith(head, ZIP_MAGIC)) {
    throw new LedgerflowError('LF_ERR_INGEST_BAD_XLSX',
      `it does not start like an .xlsx (zip) file (found bytes ${hexHead(head, 4)}); save the ` +
      'workbook as .xlsx, or pass the right format', { file: source.name, byte: 0 });
  }
  return Readable.from(stream, { objectMode: false });
}
