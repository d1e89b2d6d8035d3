/**
 * The columns of the ledgerflow template and of generated logs, the default activity names,
 * and the typed row the generator emits.
 */

/** The 15 template columns, in file order. */
export const TEMPLATE_COLUMNS = [
  'Invoice Number', 'Activity', 'Timestamp', 'Customer', 'Invoice Amount', 'Currency',
  'Due Date', 'Agent', 'Automated', 'Region', 'Segment', 'Payment Terms', 'Promised Date',
  'Dispute Reason', 'Payment Amount',
] as const;

/** Default activity name of each receivables role. */
export const ACTIVITIES = {
  created: 'Invoice Created',
  dunning: 'Dunning Letter Sent',
  promise: 'Promise To Pay',
  disputeOpened: 'Dispute Opened',
  disputeResolved: 'Dispute Resolved',
  creditNote: 'Credit Note Issued',
  payment: 'Payment Received',
  cashApplied: 'Cash Applied',
  cleared: 'Invoice Cleared',
} as const;

/** An activity name the generator writes. */
export type Activity = (typeof ACTIVITIES)[keyof typeof ACTIVITIES];

/**
 * One event row, typed, in template column order. Times are epoch ms (UTC); dates are epoch
 * ms of their UTC midnight; amounts are in the currency's major unit; null means empty.
 */
export type EventRow = [
  invoiceNumber: string,
  activity: Activity,
  timestamp: number,
  customer: string,
  invoiceAmount: number,
  currency: string,
  dueDate: number,
  agent: string | null,
  automated: boolean | null,
  region: string,
  segment: string,
  paymentTerms: string,
  promisedDate: number | null,
  disputeReason: string | null,
  paymentAmount: number | null,
];

/** Column positions in {@link EventRow}. */
export const COL = {
  invoice: 0, activity: 1, timestamp: 2, customer: 3, invoiceAmount: 4, currency: 5,
  dueDate: 6, agent: 7, automated: 8, region: 9, segment: 10, paymentTerms: 11,
  promisedDate: 12, disputeReason: 13, paymentAmount: 14,
} as const;

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an epoch-ms instant (UTC). */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO 8601 UTC with `Z`, to the second (generated times carry no milliseconds). */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Currencies written without minor units. */
const ZERO_DECIMALS: ReadonlySet<string> = new Set(['JPY']);

/** Number of minor-unit digits of a currency (2, or 0 for the yen). */
export function currencyDecimals(currency: string): number {
  return ZERO_DECIMALS.has(currency) ? 0 : 2;
}

/** An amount with the currency's fixed number of decimals, e.g. `1234.50`. */
export function formatAmount(amount: number, currency: string): string {
  return amount.toFixed(currencyDecimals(currency));
}

/** Each cell of a row as the text a CSV file carries ('' for empty). */
export function rowToText(row: EventRow): string[] {
  const out = new Array<string>(row.length);
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v === null) out[i] = '';
    else if (i === COL.timestamp) out[i] = formatTimestamp(v as number);
    else if (i === COL.dueDate || i === COL.promisedDate) out[i] = formatDate(v as number);
    else if (i === COL.invoiceAmount || i === COL.paymentAmount) {
      out[i] = formatAmount(v as number, row[COL.currency]);
    } else out[i] = String(v);
  }
  return out;
}
