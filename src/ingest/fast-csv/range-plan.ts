/**
 * What the columnar CSV parser needs to know before it reads a byte: the delimiter, the
 * header's width and, per column, how its fields are kept. Decided on the importing thread
 * from the header (the same column mapping as the row importer), then sent to every worker.
 * @internal
 */
import type { CodeArray } from '../../log/code-array.js';
import type { DictionaryBytes } from './byte-dictionary.js';
import type { CodeChunk } from './code-spill.js';

/** How one column's fields are kept. */
export const enum ColumnKind {
  /** Dictionary codes of the field's text; an empty field is -1. */
  Text = 0,
  /** The end (or only) timestamp: required. */
  Time = 1,
  /** The start timestamp: an empty field is no start (NaN). */
  StartTime = 2,
  /**
   * An attribute of plain decimals, read into doubles (NaN for an empty field) with no
   * dictionary; any other value fails the range with `NOT_A_NUMBER` (csv-scanner.ts).
   */
  Number = 3,
}

/** The parse settings of one file, structured-clone safe. */
export interface RangePlan {
  /** The delimiter's byte. */
  delimiter: number;
  /** Fields per row (the header's). */
  width: number;
  /** Per column, a {@link ColumnKind}. */
  kinds: number[];
  /** Columns that must not be empty (case, activity). */
  required: number[];
  /** The case id column: its texts are made only when the log's ids are read. */
  caseColumn: number;
  /** IANA zone of naive times. */
  timezone: string;
  /** Longest field and row in bytes the fast path reads (the import's limits). */
  maxFieldBytes: number;
  maxRowBytes: number;
  /**
   * Text columns whose codes go to a spill file while they are parsed (code-spill.ts), and
   * the directory for it; none for a file small enough to hold them.
   */
  spilled: number[];
  spillDir: string;
  /**
   * The dictionaries' hash seed, one for every range (their entries are merged by hash),
   * drawn per import; absent: 0.
   */
  hashSeed?: number;
}

/** One parsed byte range: columns of local codes and times, or why it cannot be used. */
export interface ParsedRange {
  /** Empty when usable; else why the file must go to the row importer. */
  failure: string;
  /** True when the failure is the scanner's memory running out (see isScannerFull). */
  full?: boolean;
  rows: number;
  /** Fields per row. */
  width: number;
  /**
   * Per column, its local codes (-1 for none) in an array of its own, at least `rows` long (it
   * may have room for more) and as narrow as the dictionary allows, so that each can be let go
   * of alone; null for a timestamp column.
   */
  codes: (CodeArray | null)[];
  /**
   * Per column, a number column's values (NaN for none), at least `rows` long; else null
   * (and for a spilled one).
   */
  numbers: (Float64Array | null)[];
  /** Per column, where a spilled column's codes or numbers went, in row order; else null. */
  chunks: (CodeChunk[] | null)[];
  /**
   * The range's spill file (code-spill.ts), -1 for none. The importing thread opened it and
   * closes it: once the log is finished, or at once when some range failed.
   */
  spillFd: number;
  /** Per column: the local dictionary's entries as bytes, codes in order of first appearance. */
  dictionaries: (DictionaryBytes | null)[];
  /** Per column: the first row (range-local) with a value, -1 for none. */
  firstRow: number[];
  /** End times; NaN where `deferredRows` says the exact parser must read the text. */
  time: Float64Array;
  /** Start times (NaN for none), or null when the file has no start column. */
  start: Float64Array | null;
  /** Rows whose timestamp the fast reader left to the exact parser, in row order. */
  deferredRows: number[];
  /** 0 for the end time, 1 for the start time, per deferred entry. */
  deferredWhich: number[];
  deferredTexts: string[];
  /**
   * Per text column, the dictionary's entries already decoded, in code order (the first
   * range's, decoded on the calling thread while it waits for the workers); else absent.
   */
  decoded?: (string[] | null)[];
  /**
   * The first range's dictionaries, still in its scanner, that the others' entries are
   * merged into (only on the calling thread, which parsed that range; never sent). When it
   * is there, `dictionaries` are not copied out (all null): they are read through it.
   */
  merger?: DictionaryMerger;
}

/** A range's text dictionaries that other ranges' entries can be merged into. */
export interface DictionaryMerger {
  /**
   * Adds `other`'s entries of text column `column`, and writes the first `rows` of `codes`
   * (codes of `other`) as codes here into `into` from `offset` on. `last`: no range is merged
   * into the column after this one (its new entries then need not be findable).
   */
  mergeColumn(column: number, other: DictionaryBytes, codes: CodeArray, rows: number,
    into: CodeArray, offset: number, last: boolean): void;
  /**
   * Adds `other`'s entries of text column `column`; returns each of its codes' code here.
   * `last` as for mergeColumn.
   */
  remapOf(column: number, other: DictionaryBytes, last: boolean): Int32Array;
  /** The texts of text column `column`'s entries from code `first` on, appended to `into`. */
  texts(column: number, first?: number, into?: string[]): string[];
  /** Text column `column`'s entries, copied out, without hashes (see CsvScanner). */
  dictionary(column: number, withHashes: false): DictionaryBytes;
  /** Entries of text column `column`, and their bytes in all. */
  size(column: number): number;
  textBytes(column: number): number;
  /** Each entry's number when every entry of the column is a plain decimal, else null. */
  numbers(column: number): Float64Array | null;
}

/** A range that cannot be used, with the reason (`full`: the scanner's memory ran out). */
export function failedRange(failure: string, full = false): ParsedRange {
  return {
    failure, full, rows: 0, width: 0, codes: [], numbers: [], chunks: [], spillFd: -1,
    dictionaries: [], firstRow: [], time: new Float64Array(0), start: null, deferredRows: [],
    deferredWhich: [], deferredTexts: [],
  };
}

