/**
 * Generates a compiled log in-process, without a file: the generator's rows go straight into
 * a {@link LogBuilder}, typed as an import of the same rows would type them.
 */
import type { CompiledLog } from '../log/compiled-log.js';
import { LogBuilder } from '../log/log-builder.js';
import { COL, TEMPLATE_COLUMNS, type EventRow } from './columns.js';
import { LogGenerator, type GenerateOptions, type GenerateSummary } from './generator.js';

const NAME = TEMPLATE_COLUMNS;

/** Feeds rows into `builder`: the case attributes once per invoice, the rest per event. */
export function addRowsToBuilder(builder: LogBuilder, rows: Iterable<EventRow>): void {
  let lastInvoice = '';
  for (const row of rows) {
    const invoice = row[COL.invoice];
    builder.addEvent(invoice, row[COL.activity], row[COL.timestamp], NaN, null, row[COL.agent]);
    if (invoice !== lastInvoice) {
      // A flat import would promote these columns to the case table; setting them there
      // directly avoids holding one value per event for each.
      lastInvoice = invoice;
      builder.setCaseAttribute(invoice, NAME[COL.customer], row[COL.customer], 'string');
      builder.setCaseAttribute(invoice, NAME[COL.invoiceAmount], row[COL.invoiceAmount], 'number');
      builder.setCaseAttribute(invoice, NAME[COL.currency], row[COL.currency], 'string');
      builder.setCaseAttribute(invoice, NAME[COL.dueDate], row[COL.dueDate], 'time');
      builder.setCaseAttribute(invoice, NAME[COL.region], row[COL.region], 'string');
      builder.setCaseAttribute(invoice, NAME[COL.segment], row[COL.segment], 'string');
      builder.setCaseAttribute(invoice, NAME[COL.paymentTerms], row[COL.paymentTerms], 'string');
    }
    if (row[COL.automated] !== null) {
      builder.setEventAttribute(NAME[COL.automated], row[COL.automated], 'boolean');
    }
    if (row[COL.promisedDate] !== null) {
      builder.setEventAttribute(NAME[COL.promisedDate], row[COL.promisedDate], 'time');
    }
    if (row[COL.disputeReason] !== null) {
      builder.setEventAttribute(NAME[COL.disputeReason], row[COL.disputeReason], 'string');
    }
    if (row[COL.paymentAmount] !== null) {
      builder.setEventAttribute(NAME[COL.paymentAmount], row[COL.paymentAmount], 'number');
    }
  }
}

/** A generated log compiled in-process, with what the generator counted. */
export function generateLogWithSummary(
  options: GenerateOptions,
): { log: CompiledLog; summary: GenerateSummary } {
  const generator = new LogGenerator(options);
  const builder = new LogBuilder({ promoteCaseAttributes: true, lifecycle: 'ignore' });
  addRowsToBuilder(builder, generator.rows());
  const log = builder.finish({
    source: `generated (seed ${generator.options.seed}, ${generator.options.invoices} invoices)`,
    format: 'generated',
    mapping: {
      case: NAME[COL.invoice], activity: NAME[COL.activity], timestamp: NAME[COL.timestamp],
      resource: NAME[COL.agent],
    },
    skippedRows: {},
  });
  return { log, summary: { ...generator.summary } };
}

/** A generated log compiled in-process (see {@link GenerateOptions}). */
export function generateLog(options: GenerateOptions): CompiledLog {
  return generateLogWithSummary(options).log;
}
