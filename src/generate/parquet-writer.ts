/**
 * Streams rows to a Parquet file one row group at a time (100,000 rows by default), so memory
 * holds one row group, never the whole file. Columns are typed: the timestamp as
 * TIMESTAMP(MILLIS, UTC), due and promised dates as DATE, amounts as DOUBLE, Automated as
 * BOOLEAN; empty cells are nulls.
 */
import { ParquetWriter, fileWriter, type ColumnSource, type SchemaElement } from 'hyparquet-writer';
import { LedgerflowError } from '../errors.js';
import { COL, DAY_MS, TEMPLATE_COLUMNS, type EventRow } from './columns.js';

/** Rows per row group unless told otherwise. */
export const DEFAULT_ROW_GROUP = 100_000;

type Leaf = Omit<SchemaElement, 'name'>;
const TEXT: Leaf = { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' };
const OPTIONAL_TEXT: Leaf = { ...TEXT, repetition_type: 'OPTIONAL' };
const DATE: Leaf = { type: 'INT32', converted_type: 'DATE', repetition_type: 'REQUIRED' };

// Parquet type of each template column, in column order.
const LEAVES: Leaf[] = [
  TEXT, TEXT,
  {
    type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'REQUIRED',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  },
  TEXT, { type: 'DOUBLE', repetition_type: 'REQUIRED' }, TEXT, DATE, OPTIONAL_TEXT,
  { type: 'BOOLEAN', repetition_type: 'OPTIONAL' }, TEXT, TEXT, TEXT,
  { ...DATE, repetition_type: 'OPTIONAL' }, OPTIONAL_TEXT,
  { type: 'DOUBLE', repetition_type: 'OPTIONAL' },
];

function schema(): SchemaElement[] {
  return [
    { name: 'root', num_children: TEMPLATE_COLUMNS.length },
    ...TEMPLATE_COLUMNS.map((name, i) => ({ name, ...LEAVES[i] }) as SchemaElement),
  ];
}

/**
 * Writes rows to `path` as Parquet; resolves with the number of rows written. Takes rows one
 * at a time or grouped (e.g. one array per invoice, as {@link LogGenerator.invoices} gives).
 */
export async function writeParquet(
  path: string, rows: Iterable<EventRow | EventRow[]>, rowGroupSize = DEFAULT_ROW_GROUP,
): Promise<number> {
  let writer: ParquetWriter;
  try {
    writer = new ParquetWriter({ writer: fileWriter(path), schema: schema(),
      createdBy: 'ledgerflow generator' });
  } catch (err) {
    throw writeFailed(path, err);
  }
  // Columns of the row group being filled, preallocated so cells are stored, not pushed.
  const columns: unknown[][] = TEMPLATE_COLUMNS.map(() => new Array(rowGroupSize));
  let count = 0;
  let inGroup = 0;
  const flush = async () => {
    const columnData: ColumnSource[] = TEMPLATE_COLUMNS.map((name, i) => ({
      name,
      data: inGroup === rowGroupSize ? columns[i] : columns[i].slice(0, inGroup),
      // Min/max of free text helps no reader and costs a third of the writing time.
      statistics: LEAVES[i].type !== 'BYTE_ARRAY',
    }));
    try {
      await writer.write({ columnData, rowGroupSize: inGroup });
    } catch (err) {
      throw writeFailed(path, err);
    }
    inGroup = 0;
  };
  // Stores one row; true when the row group is full and must be flushed.
  const add = (row: EventRow): boolean => {
    for (let i = 0; i < row.length; i++) columns[i][inGroup] = row[i];
    // DATE columns hold whole days since the epoch.
    columns[COL.dueDate][inGroup] = Math.floor(row[COL.dueDate] / DAY_MS);
    const promised = row[COL.promisedDate];
    columns[COL.promisedDate][inGroup] = promised === null ? null
      : Math.floor(promised / DAY_MS);
    count++;
    return ++inGroup === rowGroupSize;
  };
  for (const item of rows) {
    if (typeof item[0] === 'string') {
      if (add(item as EventRow)) await flush();
    } else {
      for (const row of item as EventRow[]) if (add(row)) await flush();
    }
  }
  if (inGroup > 0) await flush();
  try {
    await writer.finish();
  } catch (err) {
    throw writeFailed(path, err);
  }
  return count;
}

function writeFailed(path: string, err: unknown): LedgerflowError {
  const message = err instanceof Error ? err.message : String(err);
  return new LedgerflowError('LF_ERR_OUTPUT_WRITE_FAILED',
    `${message}; check that the folder exists and is writable`, { file: path }, err);
}
