/**
 * Reading naive (offset-less) local times in an IANA time zone.
 *
 * The zone's rules come from `Intl.DateTimeFormat`, so they are DST-correct and follow the
 * tz database shipped with Node. Asking Intl costs microseconds, so offsets are cached per
 * 15-minute bucket of local time, and a bucket is cached only when its offset is the same at
 * both ends (a bucket holding a transition is always computed exactly).
 */
import { LedgerflowError, quoteValue } from '../errors.js';

const DAY_MS = 86_400_000;
const BUCKET_MS = 900_000;
// Bounds the cache: a log spanning decades has ~35,000 buckets per year of distinct times.
const MAX_CACHED_BUCKETS = 200_000;

/** Converts civil local times of one zone to UTC instants. */
export class ZoneClock {
  /** The IANA name, as given. */
  readonly zone: string;
  /** True for UTC (and its aliases): local time is the instant, no lookup needed. */
  readonly isUtc: boolean;
  readonly #format: Intl.DateTimeFormat | null;
  readonly #cache = new Map<number, number>();
  readonly #useCache: boolean;

  /**
   * @param zone IANA zone name such as `Europe/Amsterdam`; throws `LF_ERR_OPTION_INVALID` when
   *   Node does not know it.
   * @param useCache false for the reference path, which must ask Intl every time.
   */
  constructor(zone = 'UTC', useCache = true) {
    this.zone = zone;
    this.#useCache = useCache;
    // The default zone needs no rules: a process's first Intl.DateTimeFormat costs some 12 ms
    // (loading time zone data), on the importing thread and again in each CSV range worker.
    if (zone === 'UTC') {
      this.isUtc = true;
      this.#format = null;
      return;
    }
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric',
        day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch (err) {
      throw new LedgerflowError('LF_ERR_OPTION_INVALID',
        `timezone ${quoteValue(zone)} is not a known IANA zone; give a name such as ` +
        '"Europe/Amsterdam" or "UTC" (option timezone, --timezone)', { field: 'timezone' }, err);
    }
    const resolved = format.resolvedOptions().timeZone;
    this.isUtc = resolved === 'UTC' || resolved === 'Etc/UTC' || resolved === 'Etc/GMT';
    this.#format = this.isUtc ? null : format;
  }

  /**
   * The instant of a local civil time given as "epoch ms as if the zone were UTC". A time that
   * falls in a DST gap moves forward by the gap; a time that occurs twice takes the earlier
   * instant (the usual "compatible" rule of calendars and Temporal).
   */
  toInstant(localMs: number): number {
    if (this.isUtc || !Number.isFinite(localMs)) return localMs;
    if (!this.#useCache) return this.#resolve(localMs);
    const bucket = Math.floor(localMs / BUCKET_MS);
    const cached = this.#cache.get(bucket);
    if (cached !== undefined) return localMs - cached;
    const instant = this.#resolve(localMs);
    const first = bucket * BUCKET_MS;
    const offsetFirst = first - this.#resolve(first);
    const offsetLast = first + BUCKET_MS - 1 - this.#resolve(first + BUCKET_MS - 1);
    if (offsetFirst === offsetLast && offsetFirst === localMs - instant) {
      if (this.#cache.size >= MAX_CACHED_BUCKETS) this.#cache.clear();
      this.#cache.set(bucket, offsetFirst);
    }
    return instant;
  }

  /** Offset (local − UTC) in ms at a UTC instant, straight from Intl. */
  offsetAt(utcMs: number): number {
    if (this.#format === null) return 0;
    const whole = Math.floor(utcMs / 1000) * 1000;
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of this.#format.formatToParts(whole)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value); break;
        case 'minute': minute = Number(part.value); break;
        case 'second': second = Number(part.value); break;
        case 'era': bc = part.value === 'BC' || part.value === 'B'; break;
        default: break;
      }
    }
    // Year 1 BC is astronomical year 0.
    if (bc) year = 1 - year;
    const clock = ((hour * 60 + minute) * 60 + second) * 1000;
    const local = epochDays(year, month, day) * DAY_MS + clock;
    return local - whole;
  }

  #resolve(localMs: number): number {
    // Offsets a day before and after cover both sides of any one transition near this time.
    const before = this.offsetAt(localMs - DAY_MS);
    const after = this.offsetAt(localMs + DAY_MS);
    const early = localMs - Math.max(before, after);
    const late = localMs - Math.min(before, after);
    const earlyFits = this.offsetAt(early) === localMs - early;
    if (earlyFits) return early;
    const lateFits = this.offsetAt(late) === localMs - late;
    if (lateFits) return late;
    // A gap: the wall clock skipped this time; read it with the offset in force before.
    return localMs - before;
  }
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (any year, month 1–12), by integer
 * arithmetic on 400-year eras, so no Date object is made.
 */
export function epochDays(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
