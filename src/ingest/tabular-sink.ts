/**
 * Feeds rows of a flat table (CSV, Parquet, Arrow, XLSX) into a LogBuilder: picks the columns
 * for each role, parses timestamps, keeps other columns as attributes.
 */
import type { CompiledLog } from '../log/compiled-log.js';
import type { ImportOptions } from './import-options.js';

/** One cell as a tabular reader hands it over. */
export type Cell = string | number | boolean | Date | null;

/** Receives a table's header, then its rows in file order. */
export class TabularSink {
  constructor(header: string[], options: ImportOptions, format: string) {
    void header; void options; void format;
    throw new Error('not implemented yet');
  }

  /** Adds one row; `line` is its 1-based line (CSV) or row number, for messages. */
  addRow(cells: Cell[], line: number): void {
    void cells; void line;
  }

  finish(): CompiledLog {
    throw new Error('not implemented yet');
  }
}
