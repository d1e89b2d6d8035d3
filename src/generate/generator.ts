/**
 * The synthetic receivables log generator: a seeded, deterministic stream of event rows.
 *
 * Rows come invoice by invoice, each invoice's events in time order. Only the customer table
 * (a few hundred entries) and the current invoice are held, so any number of invoices can be
 * streamed. Invoice `i` depends only on the seed, the options and `i`.
 */
import { LedgerflowError, quoteValue } from '../errors.js';
import { parseIsoTimestamp } from '../ingest/timestamp.js';
import { DAY_MS, type EventRow } from './columns.js';
import { makeCustomerTable } from './customers.js';
import { simulateInvoice, type RunContext } from './invoice.js';

/** Options of a generated log. */
export interface GenerateOptions {
  /** Number of invoices (cases), a positive integer. */
  invoices: number;
  /** Any integer; the same seed and options give the same rows. */
  seed: number;
  /** No event after this instant is emitted (ISO text, epoch ms or Date); default 2025-01-01Z. */
  cutoff?: string | number | Date;
  /** Number of customers; default 300. */
  customers?: number;
  /** Days before the cut-off in which invoices are created; default 730. */
  periodDays?: number;
}

/** Counts of what a generator emitted so far. */
export interface GenerateSummary {
  invoices: number;
  rows: number;
  /** Invoices without an Invoice Cleared event at the cut-off. */
  openAtCutoff: number;
  /** The cut-off, epoch ms. */
  cutoff: number;
}

/** Default cut-off: the start of 2025, UTC. */
export const DEFAULT_CUTOFF = Date.UTC(2025, 0, 1);

const MAX_INVOICES = 2 ** 31 - 1;

/** A generated log: iterate {@link LogGenerator.rows}, read {@link LogGenerator.summary}. */
export class LogGenerator {
  readonly options: Readonly<Required<Omit<GenerateOptions, 'cutoff'>>> & { cutoff: number };
  readonly #summary: GenerateSummary;
  #context: RunContext | null = null;

  constructor(options: GenerateOptions) {
    const invoices = checkInteger('invoices', options.invoices, 1, MAX_INVOICES);
    const seed = checkInteger('seed', options.seed, Number.MIN_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER);
    const customers = checkInteger('customers', options.customers ?? 300, 1, 1_000_000);
    const periodDays = checkInteger('periodDays', options.periodDays ?? 730, 1, 36_500);
    const cutoff = readCutoff(options.cutoff);
    this.options = { invoices, seed, customers, periodDays, cutoff };
    this.#summary = { invoices: 0, rows: 0, openAtCutoff: 0, cutoff };
  }

  /** Counts so far; final once {@link rows} is exhausted. */
  get summary(): Readonly<GenerateSummary> {
    return this.#summary;
  }

  /**
   * The rows, invoice by invoice. Iterate once: counts accumulate in {@link summary}.
   */
  *rows(): Generator<EventRow, GenerateSummary, undefined> {
    for (const batch of this.invoices()) yield* batch;
    return this.#summary;
  }

  /** The rows grouped by invoice (one array per invoice, in time order). */
  *invoices(): Generator<EventRow[], GenerateSummary, undefined> {
    const ctx = this.#contextOnce();
    for (let i = 0; i < this.options.invoices; i++) {
      const batch: EventRow[] = [];
      const result = simulateInvoice(ctx, i, batch);
      this.#summary.invoices++;
      this.#summary.rows += result.rows;
      if (result.open) this.#summary.openAtCutoff++;
      yield batch;
    }
    return this.#summary;
  }

  #contextOnce(): RunContext {
    if (this.#context !== null) {
      throw new LedgerflowError('LF_ERR_OPTION_INVALID',
        'a LogGenerator streams its rows once; create a new one to generate again');
    }
    const { seed, customers, periodDays, cutoff } = this.options;
    // Seeds beyond 32 bits still matter: fold the high part into the low part.
    const seed32 = (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
    this.#context = {
      seed: seed32,
      customers: makeCustomerTable(seed32, customers),
      cutoff,
      startDay: Math.floor(cutoff / DAY_MS) - periodDays,
    };
    return this.#context;
  }
}

/** Rows of a generated log, for callers that need no counts. */
export function generateRows(options: GenerateOptions): Generator<EventRow, GenerateSummary> {
  return new LogGenerator(options).rows();
}

function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `${name} must be an integer from ${min} to ${max}; pass a whole number in that range`,
      { field: name, value: String(value) });
  }
  return value;
}

function readCutoff(value: GenerateOptions['cutoff']): number {
  if (value === undefined) return DEFAULT_CUTOFF;
  const ms = typeof value === 'number' ? value
    : value instanceof Date ? value.getTime() : parseIsoTimestamp(value);
  if (!Number.isFinite(ms)) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `cutoff ${quoteValue(String(value))} is not a date; give an ISO 8601 date such as `
      + '2025-01-01T00:00:00Z or epoch milliseconds', { field: 'cutoff' });
  }
  return ms;
}
