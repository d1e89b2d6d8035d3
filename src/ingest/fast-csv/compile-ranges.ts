/**
 * Joins the parsed ranges of a file, in file order, into the raw columns of a log and hands
 * them to the log builder's finishing step. Local dictionaries are merged range by range, so a
 * text's code is its place of first appearance in the whole file, as the row importer gives;
 * an attribute column of plain decimals is instead typed from its bytes, range by range, and
 * its texts are never made (see `attributeColumn`). A number column the plan had the scanner
 * read into doubles is joined range after range (see `numberColumn`).
 * Timestamps the byte reader left aside are read here, in file order, by the same
 * `TimestampColumn` the row importer uses (it decides day-first or month-first per column).
 * @internal
 */
import type { CompiledLog } from '../../log/compiled-log.js';
import type { ColumnCodes, TextColumnInput } from '../../log/attribute-builder.js';
import {
  type CodeArray, codeArrayFor, holdsCodes, int32Codes,
} from '../../log/code-array.js';
import {
  LogBuilder, type NumberColumnInput, type RawColumns, transitionOf,
} from '../../log/log-builder.js';
import type { ImportOptions } from '../import-options.js';
import type { ResolvedMapping } from '../column-mapping.js';
import { TimestampColumn } from '../timestamp-column.js';
import { ZoneClock } from '../time-zone.js';
import { tableBuilderOptions, UNDECIDED_DATES_NOTE } from '../tabular-sink.js';
import {
  decodeEntries, type DictionaryBytes, entryNumbers, poolEnd,
} from './byte-dictionary.js';
import { closeSpill } from './code-spill.js';
import type { DictionaryMerger, ParsedRange } from './range-plan.js';
import { type ReadScratch, spilledCodes, spilledNumbers } from './spilled-codes.js';
import { checkStringBudget } from './string-budget.js';

/** What the importing thread decided from the header. */
export interface FileLayout {
  file: string;
  header: string[];
  roles: ResolvedMapping;
  mapping: Record<string, string>;
  attrIndex: number[];
  attrName: string[];
  /** The attribute columns the scanner read as numbers (ColumnKind.Number). */
  numberColumns: Set<number>;
}

/** A text column of the whole file; its texts are made when asked for. */
interface TextColumn {
  /** The codes, or their loader for a column spilled to the ranges' files. */
  codes: ColumnCodes;
  /** Distinct texts, their bytes in all, and how many of them are strings already. */
  size: number;
  bytes: number;
  decoded: number;
  /** Every distinct text, in code order (decoded on call; call once). */
  texts: () => string[];
}

/**
 * The compiled log of the ranges, or null when a timestamp the byte reader left aside does
 * not read (the row importer then reports it, with its line). Notes go to `notes`.
 *
 * It takes the ranges over: once their columns are in the builder the array is emptied, so
 * that, with the builder letting go of each raw column as it moves it, the file-order copies
 * can be collected while the log is finished (that step held the import's peak memory).
 */
export function compileRanges(
  ranges: ParsedRange[], layout: FileLayout, options: ImportOptions, notes: string[],
): CompiledLog | null {
  // The spill files are read while the log is finished, and closed however that ends.
  const spills = ranges.map((range) => range.spillFd);
  try {
    const builder = builderOf(ranges, layout, options, notes);
    ranges.length = 0;
    if (builder === null) return null;
    return builder.finish({
      source: layout.file, format: 'csv', mapping: { ...layout.mapping }, skippedRows: {},
    });
  } finally {
    for (const fd of spills) closeSpill(fd);
  }
}

/** A builder holding the ranges' columns in file order; null as for {@link compileRanges}. */
function builderOf(
  ranges: ParsedRange[], layout: FileLayout, options: ImportOptions, notes: string[],
): LogBuilder | null {
  const rows = ranges.reduce((sum, r) => sum + r.rows, 0);
  const { roles } = layout;
  const clock = new ZoneClock(options.timezone ?? 'UTC');
  const times = deferredTimes(ranges, layout, clock, options, rows);
  if (times === null) return null;

  const caseColumn = mergeText(ranges, roles.case, rows);
  const caseIdReader = caseIdReaderOf(ranges, roles.case);
  const activityColumn = mergeText(ranges, roles.activity, rows);
  const resourceColumn = roles.resource < 0 ? null : mergeText(ranges, roles.resource, rows);
  let transition: Int8Array | null = null;
  if (roles.lifecycle >= 0) {
    const lifecycle = mergeText(ranges, roles.lifecycle, rows);
    const kinds = lifecycle.texts().map((text) => transitionOf(text));
    const codes = heldCodes(lifecycle);
    transition = new Int8Array(rows);
    for (let i = 0; i < rows; i++) {
      const code = codes[i];
      if (code >= 0) transition[i] = kinds[code];
    }
  }

  // Attribute columns in the order their first values appear, as the row importer adds them.
  const firstRows = layout.attrIndex.map((column) => firstRowOf(ranges, column));
  const order = layout.attrIndex.map((_, k) => k).filter((k) => firstRows[k] >= 0)
    .sort((a, b) => firstRows[a] - firstRows[b] || a - b);
  const scratch: ReadScratch = { buffer: null, rowBytes: 1 };
  const attributes = order.map((k) => {
    const name = layout.attrName[k];
    const column = layout.attrIndex[k];
    return layout.numberColumns.has(column) ? numberColumn(ranges, name, column, rows)
      : { name, ...attributeColumn(ranges, column, rows, scratch) };
  });

  // Every text column's distinct texts become strings (a column of numbers' do not); those
  // the first range decoded already are in the heap, counted as used.
  const textColumns = [caseColumn, activityColumn, resourceColumn,
    ...attributes.flatMap((a) => ('values' in a || a.texts === null ? [] : [a]))];
  let texts = 0;
  let bytes = 0;
  for (const column of textColumns) {
    if (column === null || column.size === 0) continue;
    const left = column.size - column.decoded;
    texts += left;
    bytes += column.bytes * (left / column.size);
  }
  checkStringBudget(layout.file, texts, Math.round(bytes));
  // Every text is made now, not when the builder first asks: the byte dictionaries (in the
  // first range's scanner, hundreds of MB of WASM memory for a big file) can then be let go
  // of before the log is finished, which is when the import's memory peaks.
  const madeAttributes = attributes.map((a) => ('values' in a || a.texts === null ? a
    : { ...a, texts: alreadyMade(a.texts()) }));

  const columns: RawColumns = {
    caseIds: [], caseIdReader, caseOf: int32Codes(heldCodes(caseColumn)),
    activities: activityColumn.texts(), activityOf: heldCodes(activityColumn),
    time: times.time, start: times.start, transition,
    resources: resourceColumn?.texts() ?? [],
    resourceOf: resourceColumn === null ? null : heldCodes(resourceColumn),
    attributes: madeAttributes,
  };
  if (times.undecided > 0) {
    for (let k = 0; k < times.undecided; k++) notes.push(UNDECIDED_DATES_NOTE);
  }
  return LogBuilder.fromColumns(tableBuilderOptions(options, clock), columns);
}

/**
 * What reads the case ids when the log's are first read: the merged dictionary's bytes,
 * copied out now (the scanner that holds them is let go of before the log is finished).
 */
function caseIdReaderOf(
  ranges: ParsedRange[], column: number,
): { count: number; read: () => string[] } {
  const first = ranges[0];
  const entries = first.merger?.dictionary(column, false) ??
    first.dictionaries[column] as DictionaryBytes;
  return { count: entries.size, read: () => decodeEntries(entries) };
}

/** A role column's codes: those are never spilled (only attribute columns are). */
function heldCodes(column: TextColumn): CodeArray {
  if (typeof column.codes === 'function') throw new Error('a role column was spilled');
  return column.codes;
}

/** A texts maker that hands back texts made already. */
function alreadyMade(texts: string[]): () => string[] {
  return () => texts;
}

/** The first row (in the file) where `column` has a value, -1 for none. */
function firstRowOf(ranges: ParsedRange[], column: number): number {
  let offset = 0;
  for (const range of ranges) {
    if (range.firstRow[column] >= 0) return offset + range.firstRow[column];
    offset += range.rows;
  }
  return -1;
}

/**
 * A number column for the builder: every range's values one after the other, in the first
 * range's array when it has room (it was sized for the whole file); a spilled one is read
 * back when the builder reaches it.
 */
function numberColumn(
  ranges: ParsedRange[], name: string, column: number, rows: number,
): NumberColumnInput {
  if (ranges[0].chunks[column] !== null) {
    return { name, values: spilledNumbers(ranges, column, rows) };
  }
  const values = joined(ranges.map((range) => {
    const own = range.numbers[column] as Float64Array;
    // Each range's array is let go of once it is copied.
    range.numbers[column] = null;
    return own.subarray(0, range.rows);
  }), rows);
  return { name, values };
}

/**
 * An attribute column for the builder. When every distinct text of every range is a plain
 * decimal, it is typed from the dictionaries' bytes and no text is made; the ranges'
 * dictionaries are then not merged either: codes index the ranges' number tables one after
 * another, so a text in two ranges has two codes, which a number column allows (its values
 * are compared as numbers, never by code).
 */
function attributeColumn(
  ranges: ParsedRange[], column: number, rows: number, scratch: ReadScratch,
): TextColumnInput & { bytes: number; decoded: number } {
  const first = ranges[0];
  const tables = ranges.map((range, r) => {
    if (r === 0 && first.merger !== undefined) return first.merger.numbers(column);
    const entries = range.dictionaries[column] as DictionaryBytes;
    return entries.size === 0 ? new Float64Array(0) : entryNumbers(entries);
  });
  if (tables.every((table) => table !== null)) {
    const count = tables.reduce((sum, table) => sum + (table as Float64Array).length, 0);
    const numbers = new Float64Array(count);
    if (first.chunks[column] !== null) {
      // Spilled: each range's codes are shifted past the tables before it when read.
      const shifts: number[] = [];
      let base = 0;
      tables.forEach((table, r) => {
        numbers.set(table as Float64Array, base);
        shifts[r] = base;
        base += (table as Float64Array).length;
      });
      const codes = spilledCodes(ranges, column, rows, count, shifts, scratch);
      return { codes, size: count, texts: null, numbers, bytes: 0, decoded: 0 };
    }
    const codes = fileCodes(ranges, column, rows, count);
    let base = 0;
    let offset = 0;
    for (let r = 0; r < ranges.length; r++) {
      const table = tables[r] as Float64Array;
      numbers.set(table, base);
      const range = ranges[r];
      if (r > 0) {
        shiftInto(codes, offset, range.codes[column] as CodeArray, range.rows, base);
        range.codes[column] = null;
      }
      base += table.length;
      offset += range.rows;
    }
    return { codes, size: numbers.length, texts: null, numbers, bytes: 0, decoded: 0 };
  }
  // Some entry is no plain decimal: the texts decide (made only if inference needs them).
  const { codes, size, bytes, decoded, texts } = mergeText(ranges, column, rows, scratch);
  return { codes, size, texts, numbers: null, bytes, decoded };
}

/**
 * One text column of the whole file: local codes remapped to file-wide ones. The ranges'
 * dictionaries are merged by their bytes (the first range's table continues with the others'
 * entries), and each distinct text of the file is decoded into a string at most once.
 */
function mergeText(
  ranges: ParsedRange[], column: number, rows: number, scratch: ReadScratch | null = null,
): TextColumn {
  const first = ranges[0];
  // The merged dictionary has at most every range's entries.
  const bound = ranges.reduce((sum, range, r) => sum + (r === 0 && first.merger !== undefined
    ? first.merger.size(column) : (range.dictionaries[column] as DictionaryBytes).size), 0);
  const spilled = first.chunks[column] !== null;
  if (ranges.length === 1) {
    // One range: its codes are the file's, used where they are (or read as they were).
    const entries = first.dictionaries[column] as DictionaryBytes;
    const codes = spilled ? spilledCodes(ranges, column, rows, bound, [null], scratch)
      : fileCodes(ranges, column, rows, bound);
    return {
      codes, size: entries.size, bytes: poolEnd(entries),
      decoded: first.decoded?.[column]?.length ?? 0,
      texts: () => first.decoded?.[column] ?? decodeEntries(entries),
    };
  }
  // The ranges' entries go into the first range's dictionary where it still is, in its
  // scanner (a WASM table, on this thread): parseRanges keeps it whenever there are others.
  const merger = first.merger as DictionaryMerger;
  let codes: ColumnCodes;
  if (spilled) {
    // Each range's entries are merged now, its codes rewritten as they are read.
    const remaps = ranges.map((range, r) => (r === 0 ? null
      : merger.remapOf(column, range.dictionaries[column] as DictionaryBytes,
        r === ranges.length - 1)));
    codes = spilledCodes(ranges, column, rows, merger.size(column), remaps, scratch);
  } else {
    codes = fileCodes(ranges, column, rows, bound);
    mergeHeldCodes(ranges, column, merger, codes);
  }
  const texts = () => {
    const known = first.decoded?.[column] ?? [];
    return merger.texts(column, known.length, known);
  };
  return {
    codes, size: merger.size(column), bytes: merger.textBytes(column),
    decoded: first.decoded?.[column]?.length ?? 0, texts,
  };
}

/** Merges the other ranges' entries of `column` and writes their codes into `codes`. */
function mergeHeldCodes(
  ranges: ParsedRange[], column: number, merger: DictionaryMerger, codes: CodeArray,
): void {
  let offset = ranges[0].rows;
  for (let r = 1; r < ranges.length; r++) {
    const range = ranges[r];
    merger.mergeColumn(column, range.dictionaries[column] as DictionaryBytes,
      range.codes[column] as CodeArray, range.rows, codes, offset, r === ranges.length - 1);
    // Each range's column is let go of once it is copied.
    range.codes[column] = null;
    offset += range.rows;
  }
}

/**
 * The column's codes for every row of the file, the first range's in place: one range's
 * codes are the file's, used where they are; with more, the others go after them, in the
 * first range's own array when it has room for every row (it was sized for the whole file)
 * and is wide enough for the `size` codes the file's dictionary may have.
 */
function fileCodes(ranges: ParsedRange[], column: number, rows: number, size: number): CodeArray {
  const first = ranges[0];
  const own = first.codes[column] as CodeArray;
  if (ranges.length === 1) return own.subarray(0, first.rows);
  if (own.length >= rows && holdsCodes(own, size)) return own.subarray(0, rows);
  const codes = codeArrayFor(size, rows);
  codes.set(own.subarray(0, first.rows));
  return codes;
}

/** Writes the first `n` of `local` to `codes[offset]`, adding `base` to each (-1 stays). */
function shiftInto(
  codes: CodeArray, offset: number, local: CodeArray, n: number, base: number,
): void {
  for (let i = 0; i < n; i++) {
    const code = local[i];
    codes[offset + i] = code < 0 ? -1 : code + base;
  }
}

/**
 * End and start times of the whole file, the ones left aside read in file order by the row
 * importer's column readers; null when one is no timestamp or contradicts its column's order.
 */
function deferredTimes(
  ranges: ParsedRange[], layout: FileLayout, clock: ZoneClock, options: ImportOptions,
  rows: number,
): { time: Float64Array; start: Float64Array | null; undecided: number } | null {
  const { header, roles, file } = layout;
  const order = options.dateFormat ?? null;
  const time = joined(ranges.map((r) => r.time), rows);
  const start = roles.startTimestamp < 0 ? null
    : joined(ranges.map((r) => r.start as Float64Array), rows);
  const readers = [
    new TimestampColumn({ file, field: header[roles.timestamp] }, clock, order),
    roles.startTimestamp < 0 ? null
      : new TimestampColumn({ file, field: header[roles.startTimestamp] }, clock, order),
  ];
  const targets = [time, start];
  let offset = 0;
  try {
    for (const range of ranges) {
      for (let k = 0; k < range.deferredRows.length; k++) {
        const which = range.deferredWhich[k];
        const reader = readers[which] as TimestampColumn;
        const target = targets[which] as Float64Array;
        const row = offset + range.deferredRows[k];
        const ms = reader.parse(range.deferredTexts[k], row, 0);
        if (Number.isNaN(ms)) return null;
        target[row] = ms;
        const rewrites = reader.takeRewrites();
        if (rewrites !== null) {
          const { keys, times } = rewrites;
          for (let j = 0; j < keys.length; j++) target[keys[j]] = times[j];
        }
      }
      offset += range.rows;
    }
  } catch {
    // A column mixing day-first and month-first: the row importer says where.
    return null;
  }
  const undecided = readers.filter((r) => r !== null && r.undecided).length;
  return { time, start, undecided };
}

/** The ranges' values one after the other; in the first one's array when it has room. */
function joined(parts: Float64Array[], rows: number): Float64Array {
  const [first] = parts;
  if (parts.length === 1) return first;
  const room = (first.buffer.byteLength - first.byteOffset) / Float64Array.BYTES_PER_ELEMENT;
  const all = room >= rows ? new Float64Array(first.buffer, first.byteOffset, rows)
    : new Float64Array(rows);
  let offset = 0;
  for (const part of parts) {
    if (part !== first || all.buffer !== first.buffer) all.set(part, offset);
    offset += part.length;
  }
  return all;
}
