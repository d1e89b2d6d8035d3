/**
 * Writes a generated log to a CSV or Parquet file, streaming: memory stays flat whatever the
 * number of invoices.
 */
import { LedgerflowError, quoteValue } from '../errors.js';
import { TEMPLATE_COLUMNS, rowToText, type EventRow } from './columns.js';
import { invoiceCsv } from './csv-format.js';
import { ChunkedTextFile, csvLine } from './csv-writer.js';
import { LogGenerator, type GenerateOptions, type GenerateSummary } from './generator.js';
import { writeParquet } from './parquet-writer.js';

/** The file formats the generator writes. */
export type GeneratedFormat = 'csv' | 'parquet';

/** Options of {@link generateToFile}. */
export interface GenerateFileOptions extends GenerateOptions {
  /** Default 'csv'. */
  format?: GeneratedFormat;
}

/** Generates a log into `path`; resolves with what was written. */
export async function generateToFile(
  path: string, options: GenerateFileOptions,
): Promise<GenerateSummary & { format: GeneratedFormat }> {
  const format = options.format ?? 'csv';
  if (format !== 'csv' && format !== 'parquet') {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `format ${quoteValue(String(format))} is not one the generator writes; use csv or parquet`,
      { field: 'format' });
  }
  const generator = new LogGenerator(options);
  if (format === 'parquet') await writeParquet(path, generator.invoices());
  else await writeCsvByInvoice(path, generator.invoices());
  return { ...generator.summary, format };
}

/** Streams a generator's invoices to a CSV file; resolves with the bytes written. */
async function writeCsvByInvoice(path: string, invoices: Iterable<EventRow[]>): Promise<number> {
  const file = new ChunkedTextFile(path);
  try {
    await file.write(csvLine(TEMPLATE_COLUMNS));
    for (const rows of invoices) {
      const waiting = file.write(invoiceCsv(rows));
      if (waiting !== null) await waiting;
    }
  } catch (err) {
    file.destroy();
    throw err;
  }
  return file.close();
}

/** Streams rows to a CSV file with the template header; resolves with the bytes written. */
export async function writeCsv(path: string, rows: Iterable<EventRow>): Promise<number> {
  const file = new ChunkedTextFile(path);
  try {
    await file.write(csvLine(TEMPLATE_COLUMNS));
    for (const row of rows) {
      const waiting = file.write(csvLine(rowToText(row)));
      if (waiting !== null) await waiting;
    }
  } catch (err) {
    file.destroy();
    throw err;
  }
  return file.close();
}
