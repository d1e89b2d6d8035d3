/**
 * Size limits of an import: how far a gzip stream may inflate and how long one CSV field, one
 * CSV row or one run of XML text between tags may grow before the import stops with
 * `LF_ERR_INGEST_TOO_LARGE`. They bound the memory and disk a hostile file can claim (a gzip
 * bomb, a 100 MB field, a line of ten million delimiters) without refusing any real log.
 *
 * Each limit is set, in order of precedence, by `ImportOptions.limits`, by an environment
 * variable (`LEDGERFLOW_MAX_INFLATED_BYTES`, `LEDGERFLOW_MAX_INFLATE_RATIO`,
 * `LEDGERFLOW_INFLATE_RATIO_AFTER`, `LEDGERFLOW_MAX_FIELD_CHARS`, `LEDGERFLOW_MAX_ROW_CHARS`,
 * `LEDGERFLOW_MAX_ROW_FIELDS`) or by {@link kDefaultIngestLimits}.
 */
import { LedgerflowError, quoteValue } from '../errors.js';

/** The limits of one import. */
export interface IngestLimits {
  /** Most bytes a gzip stream may inflate to. */
  maxInflatedBytes: number;
  /** Most inflated bytes per compressed byte, checked once `ratioAfterBytes` are inflated. */
  maxInflateRatio: number;
  /** Inflated bytes before the ratio is checked (small files compress unevenly). */
  ratioAfterBytes: number;
  /** Most characters (UTF-16 units) in one CSV field. */
  maxFieldChars: number;
  /** Most characters in one CSV row, or in XML text and attributes between two tags. */
  maxRowChars: number;
  /** Most fields in one CSV row. */
  maxRowFields: number;
}

/**
 * Defaults: above most real event logs (XES.gz compresses 10–40:1, fields are short). The
 * inflated cap is what bounds memory: an import holds about 3–5 bytes per inflated byte while
 * it builds the log, so 2 GiB of text can take up to ~10 GB. Raise it for bigger files on a
 * machine that has the memory.
 */
export const kDefaultIngestLimits: Readonly<IngestLimits> = {
  maxInflatedBytes: 2 * 1024 ** 3,
  maxInflateRatio: 1000,
  ratioAfterBytes: 16 * 1024 ** 2,
  maxFieldChars: 16 * 1024 ** 2,
  maxRowChars: 64 * 1024 ** 2,
  maxRowFields: 100_000,
};

const ENV_NAMES: Readonly<Record<keyof IngestLimits, string>> = {
  maxInflatedBytes: 'LEDGERFLOW_MAX_INFLATED_BYTES',
  maxInflateRatio: 'LEDGERFLOW_MAX_INFLATE_RATIO',
  ratioAfterBytes: 'LEDGERFLOW_INFLATE_RATIO_AFTER',
  maxFieldChars: 'LEDGERFLOW_MAX_FIELD_CHARS',
  maxRowChars: 'LEDGERFLOW_MAX_ROW_CHARS',
  maxRowFields: 'LEDGERFLOW_MAX_ROW_FIELDS',
};

/** Fills the limits: given values, then the environment, then the defaults; validates each. */
export function resolveIngestLimits(
  given: Partial<IngestLimits> = {}, env: NodeJS.ProcessEnv = process.env,
): IngestLimits {
  const limits = { ...kDefaultIngestLimits };
  for (const key of Object.keys(ENV_NAMES) as (keyof IngestLimits)[]) {
    const text = env[ENV_NAMES[key]];
    if (given[key] !== undefined) limits[key] = checked(key, given[key], String(given[key]));
    else if (text !== undefined && text !== '') limits[key] = checked(key, Number(text), text);
  }
  return limits;
}

function checked(key: keyof IngestLimits, value: number, text: string): number {
  if (Number.isInteger(value) && value >= 1) return value;
  throw new LedgerflowError('LF_ERR_OPTION_INVALID',
    `the limit ${key} (${ENV_NAMES[key]}) must be a whole number of at least 1, got ` +
    `${quoteValue(text)}`, { field: key });
}

/**
 * Counts the bytes a gzip stream inflates to and throws `LF_ERR_INGEST_TOO_LARGE` as soon as
 * they pass `maxInflatedBytes`, or `maxInflateRatio` times the compressed bytes read (once
 * `ratioAfterBytes` are out). Call {@link InflateGuard.add} with each inflated chunk.
 */
export class InflateGuard {
  readonly #limits: IngestLimits;
  readonly #file: string;
  readonly #compressed: () => number;
  #inflated = 0;

  constructor(limits: IngestLimits, file: string, compressedBytes: () => number) {
    this.#limits = limits;
    this.#file = file;
    this.#compressed = compressedBytes;
  }

  /** Inflated bytes seen so far. */
  get inflated(): number {
    return this.#inflated;
  }

  /** Adds an inflated chunk's length; throws when a limit is passed. */
  add(length: number): void {
    this.#inflated += length;
    const limits = this.#limits;
    if (this.#inflated > limits.maxInflatedBytes) {
      throw this.#tooLarge(`it inflates to more than ${limits.maxInflatedBytes} bytes ` +
        '(limit maxInflatedBytes, LEDGERFLOW_MAX_INFLATED_BYTES)');
    }
    if (this.#inflated <= limits.ratioAfterBytes) return;
    const compressed = Math.max(this.#compressed(), 1);
    if (this.#inflated / compressed > limits.maxInflateRatio) {
      throw this.#tooLarge(`${compressed} compressed bytes inflated to ${this.#inflated}, ` +
        `more than ${limits.maxInflateRatio}:1 (limit maxInflateRatio, ` +
        'LEDGERFLOW_MAX_INFLATE_RATIO)');
    }
  }

  #tooLarge(detail: string): LedgerflowError {
    return new LedgerflowError('LF_ERR_INGEST_TOO_LARGE',
      `the gzip stream is a decompression bomb or far larger than a log: ${detail}; raise the ` +
      'limit if the file is genuine', { file: this.#file });
  }
}
