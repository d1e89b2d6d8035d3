/**
 * Reads the timestamps of one column, deciding day-first or month-first once for the column.
 *
 * A value `NN/NN/YYYY` is ambiguous on its own. The column decides from all its values: a first
 * field over 12 anywhere means day-first, a second field over 12 means month-first, both is an
 * error, and a column that never tells is read day-first (unless the caller forces an order).
 * Until the column has decided, ambiguous values are read day-first and their month-first
 * reading is kept aside, so the caller can rewrite them if the column turns out month-first.
 */
import { LedgerflowError } from '../errors.js';
import { Growable } from '../log/growable.js';
import {
  fieldsToLocalMillis, inDateRange, makeTimestampFields, scanTimestamp, TimestampForm,
} from './timestamp.js';
import type { ZoneClock } from './time-zone.js';

/** The order forced by `ImportOptions.dateFormat`, or null to decide from the values. */
export type DateOrder = 'day-first' | 'month-first' | 'iso' | null;

const UNDECIDED = 0;
const DAY_FIRST = 1;
const MONTH_FIRST = 2;

/** Where the column's values are, for messages. */
export interface ColumnPlace {
  file: string;
  field: string;
}

/** One timestamp column's parser and its day/month decision. */
export class TimestampColumn {
  readonly #fields = makeTimestampFields();
  readonly #clock: ZoneClock;
  readonly #place: ColumnPlace;
  readonly #isoOnly: boolean;
  readonly #forced: boolean;
  #order: number;
  /** Line of the value that decided the order, for the conflict message. */
  #decidedAt = 0;
  // Rows read day-first while undecided: their keys and their month-first readings.
  #pendingKeys = new Growable(Int32Array);
  #pendingAlt = new Growable(Float64Array);

  constructor(place: ColumnPlace, clock: ZoneClock, forced: DateOrder) {
    this.#place = place;
    this.#clock = clock;
    this.#isoOnly = forced === 'iso';
    this.#forced = forced !== null;
    this.#order = forced === 'day-first' ? DAY_FIRST : forced === 'month-first' ? MONTH_FIRST
      : forced === 'iso' ? DAY_FIRST : UNDECIDED;
  }

  /** The order in force: 'day-first' or 'month-first' ('day-first' while undecided). */
  get order(): 'day-first' | 'month-first' {
    return this.#order === MONTH_FIRST ? 'month-first' : 'day-first';
  }

  /**
   * Epoch ms of `text`, NaN when it is no timestamp. `key` identifies the row (the caller's
   * event index) in case the reading must be redone; `line` goes into messages. Throws when the
   * value contradicts the order this column already showed.
   */
  parse(text: string, key: number, line: number): number {
    const f = this.#fields;
    const form = scanTimestamp(text, f);
    if (form === TimestampForm.None) return NaN;
    if (form === TimestampForm.YearLast) {
      if (this.#isoOnly) return NaN;
      if (this.#order === UNDECIDED) return this.#parseUndecided(key, line);
      // A forced order reads a contradicting value as no date; a decided one says why.
      if (this.#forced) {
        // fall through: fieldsToLocalMillis rejects a month over 12
      } else if (this.#order === DAY_FIRST && f.second > 12 && f.first <= 12) {
        this.#conflict(text, line, 'month-first');
      } else if (this.#order === MONTH_FIRST && f.first > 12 && f.second <= 12) {
        this.#conflict(text, line, 'day-first');
      }
    }
    const dayFirst = form === TimestampForm.YearLast && this.#order !== MONTH_FIRST;
    return this.#instant(fieldsToLocalMillis(f, dayFirst));
  }

  /** True when ambiguous values were read but none decided the order (they read day-first). */
  get undecided(): boolean {
    return this.#order === UNDECIDED && this.#pendingKeys.length > 0;
  }

  /** Forgets the reading kept aside for row `key` (the caller dropped that row). */
  cancel(key: number): void {
    const keys = this.#pendingKeys;
    if (keys.length > 0 && keys.data[keys.length - 1] === key) {
      keys.length--;
      this.#pendingAlt.length--;
    }
  }

  /**
   * Rows read day-first that must now be read month-first, as (key, time) pairs; empty unless
   * the column decided month-first since the last call. The caller applies them.
   */
  takeRewrites(): { keys: Int32Array; times: Float64Array } | null {
    if (this.#order !== MONTH_FIRST || this.#pendingKeys.length === 0) return null;
    const out = { keys: this.#pendingKeys.toArray(), times: this.#pendingAlt.toArray() };
    this.#pendingKeys = new Growable(Int32Array);
    this.#pendingAlt = new Growable(Float64Array);
    return out;
  }

  #parseUndecided(key: number, line: number): number {
    const f = this.#fields;
    const dayFirst = f.first > 12;
    const monthFirst = f.second > 12;
    if (dayFirst && monthFirst) return NaN;
    if (dayFirst || monthFirst) {
      this.#order = dayFirst ? DAY_FIRST : MONTH_FIRST;
      this.#decidedAt = line;
      if (dayFirst) {
        this.#pendingKeys = new Growable(Int32Array);
        this.#pendingAlt = new Growable(Float64Array);
      }
      return this.#instant(fieldsToLocalMillis(f, dayFirst));
    }
    this.#pendingKeys.push(key);
    this.#pendingAlt.push(this.#instant(fieldsToLocalMillis(f, false)));
    return this.#instant(fieldsToLocalMillis(f, true));
  }

  #instant(local: number): number {
    if (Number.isNaN(local)) return NaN;
    const f = this.#fields;
    if (f.hasOffset) return inDateRange(local - f.offsetMinutes * 60_000);
    return inDateRange(this.#clock.toInstant(local));
  }

  #conflict(text: string, line: number, other: string): never {
    const { file, field } = this.#place;
    throw new LedgerflowError('LF_ERR_INGEST_BAD_TIMESTAMP',
      `the column reads ${this.order} (decided by line ${this.#decidedAt}), but this value ` +
      `only reads ${other}; the column mixes date orders. Fix the file, or force one order ` +
      'with --date-format day-first|month-first (option dateFormat)',
      { file, line, field, value: text });
  }
}
