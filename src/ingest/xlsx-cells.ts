/**
 * Excel cell values (as exceljs hands them over) turned into table cells. Formulas give only
 * their cached result: nothing is ever evaluated, and external references are never followed.
 */
import type { ImportOptions } from './import-options.js';
import { naiveTimeCell } from './table-cells.js';
import type { Cell } from './tabular-sink.js';

/** The part of an exceljs cell this module reads. */
export interface ExcelCellLike {
  value: unknown;
  numFmt?: string;
}

const MS_PER_DAY = 86_400_000;
// Serial day of 1970-01-01 in the 1900 date system; the 1904 system starts 1462 days later.
const EPOCH_1900 = 25_569;
const SHIFT_1904 = 1_462;

/** Epoch ms of the wall-clock reading of an Excel date serial. */
export function excelSerialToMs(serial: number, date1904: boolean): number {
  return Math.round((serial - EPOCH_1900 + (date1904 ? SHIFT_1904 : 0)) * MS_PER_DAY);
}

/**
 * True when a number format shows a date or time. Quoted text, `[Red]`-style sections and
 * escaped characters are dropped first, so `"days"` or `[$-409]` do not count.
 */
export function isDateFormat(format: string | undefined): boolean {
  if (format === undefined || format === '' || format === 'General') return false;
  const bare = format.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '').replace(/\\./g, '');
  // `m` alone is a month or a minute: a date when beside d/y, a time when beside a colon.
  return /[dyhs]/i.test(bare) || /m/i.test(bare) && (bare.includes(':') || /mmm/i.test(bare));
}

/** Converts one cell; `date1904` is the workbook's date system. */
export function excelCell(cell: ExcelCellLike | undefined, date1904: boolean,
  options: ImportOptions): Cell {
  if (cell === undefined) return null;
  const value = cell.value;
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isNaN(value) ? null : value;
    case 'object':
      break;
    default:
      return null;
  }
  // exceljs reads a date-formatted plain number as a Date of its wall-clock reading in UTC.
  if (value instanceof Date) return naiveTimeCell(value.getTime(), options);
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) {
    return (v.richText as { text?: unknown }[]).map((run) => String(run.text ?? '')).join('');
  }
  if ('formula' in v || 'sharedFormula' in v) {
    return formulaResult(v.result, cell, date1904, options);
  }
  if ('error' in v) return null;
  if (typeof v.text === 'string') return v.text; // a hyperlink: its shown text, never the target
  return null;
}

function formulaResult(result: unknown, cell: ExcelCellLike, date1904: boolean,
  options: ImportOptions): Cell {
  if (result === null || result === undefined) return null; // never calculated: no value
  if (result instanceof Date) return naiveTimeCell(result.getTime(), options);
  if (typeof result === 'number') {
    if (Number.isNaN(result)) return null; // an error result such as #N/A
    // The streaming reader leaves a formula's numeric result raw even under a date format.
    return isDateFormat(cell.numFmt)
      ? naiveTimeCell(excelSerialToMs(result, date1904), options) : result;
  }
  if (typeof result === 'string' || typeof result === 'boolean') return result;
  return null; // { error: '#REF!' } and the like
}
