import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerflowError } from '../src/errors.js';
import { TimestampColumn } from '../src/ingest/timestamp-column.js';
import { parseTimestampReference } from '../src/ingest/timestamp-reference.js';
import { ZoneClock } from '../src/ingest/time-zone.js';
import { parseIsoTimestamp } from '../src/ingest/timestamp.js';

const place = { file: 'test.csv', field: 'time' };
const utc = new ZoneClock('UTC');

function readForced(text: string, order: 'day-first' | 'month-first' | 'iso', clock = utc) {
  return new TimestampColumn(place, clock, order).parse(text, 0, 2);
}

// Expected epoch ms below come from Date.UTC by hand or from Python
// (datetime + zoneinfo, `int(d.timestamp() * 1000)`), as noted per group.
describe('timestamp forms', () => {
  it('reads every supported form to the same instant', () => {
    // 2024-03-05T14:07:09.120Z = Date.UTC(2024, 2, 5, 14, 7, 9, 120)
    const want = Date.UTC(2024, 2, 5, 14, 7, 9, 120);
    expect(readForced('2024-03-05T14:07:09.12Z', 'day-first')).toBe(want);
    expect(readForced('2024-03-05 14:07:09.120', 'day-first')).toBe(want);
    expect(readForced('2024/03/05 14:07:09.120', 'day-first')).toBe(want);
    expect(readForced('05/03/2024 14:07:09.120', 'day-first')).toBe(want);
    expect(readForced('03/05/2024 14:07:09.120', 'month-first')).toBe(want);
    expect(readForced('05.03.2024 14:07:09.120', 'day-first')).toBe(want);
    expect(readForced('2024-03-05T16:07:09.120+02:00', 'day-first')).toBe(want);
    expect(readForced('2024-03-05T09:37:09.1204567-0430', 'day-first')).toBe(want);
    expect(readForced('  2024-03-05 14:07:09.12 ', 'day-first')).toBe(want);
  });

  it('reads dates alone, minutes without seconds, and fractions of any length', () => {
    expect(readForced('2024-03-05', 'day-first')).toBe(Date.UTC(2024, 2, 5));
    expect(readForced('5/3/2024 9:30', 'day-first')).toBe(Date.UTC(2024, 2, 5, 9, 30));
    expect(readForced('2024-03-05T00:00:00.5Z', 'day-first')).toBe(Date.UTC(2024, 2, 5) + 500);
    expect(readForced('2024-03-05T00:00:00.123999Z', 'day-first')).toBe(Date.UTC(2024, 2, 5) + 123);
  });

  it('rejects what is no date', () => {
    for (const bad of ['', 'yesterday', '2024-13-01', '2024-02-30', '31/02/2024',
      '2024-01-01 25:00', '2024-01-01T10:00:00+25:00', '1.5', '12345', '2024-01-01T10:00:00.Z']) {
      expect(readForced(bad, 'day-first'), bad).toBeNaN();
    }
    expect(readForced('05/03/2024', 'iso')).toBeNaN();
  });

  it('keeps years far outside 1677–2262 exact', () => {
    // Python: datetime(2964,7,1,9,8,7,371000,tzinfo=utc) → 31383364087371;
    // calendar.timegm((1650,1,1,0,0,0)) * 1000 → -10098172800000
    expect(readForced('2964-07-01T09:08:07.371Z', 'day-first')).toBe(31383364087371);
    expect(readForced('1650-01-01', 'day-first')).toBe(-10098172800000);
    expect(readForced('01/01/1650', 'day-first')).toBe(-10098172800000);
  });

  it('keeps parseIsoTimestamp as it was', () => {
    // From the shared case 21 README: 31374312075371 for c1's first event.
    expect(parseIsoTimestamp('2024-01-10T08:00:00.250Z')).toBe(1704873600250);
    expect(parseIsoTimestamp('not a date')).toBeNaN();
  });
});

describe('naive times in a zone', () => {
  const amsterdam = new ZoneClock('Europe/Amsterdam');
  it('reads Europe/Amsterdam summer and winter times with their offsets', () => {
    // Python zoneinfo: 2024-07-01 12:00 -> 1719828000000 (+2);
    // 2024-01-15 12:00 -> 1705316400000 (+1)
    expect(readForced('2024-07-01 12:00:00', 'day-first', amsterdam)).toBe(1719828000000);
    expect(readForced('15/01/2024 12:00', 'day-first', amsterdam)).toBe(1705316400000);
  });

  it('moves a time in the spring gap forward and takes the earlier of a repeated time', () => {
    // Python zoneinfo (fold=0): 2024-03-31 02:30 -> 1711848600000;
    // 2024-10-27 02:30 -> 1729989000000
    expect(readForced('2024-03-31 02:30', 'day-first', amsterdam)).toBe(1711848600000);
    expect(readForced('2024-10-27 02:30', 'day-first', amsterdam)).toBe(1729989000000);
    // America/New_York 2024-03-10 02:30 (gap) → 1710055800000
    expect(readForced('2024-03-10 02:30', 'day-first', new ZoneClock('America/New_York')))
      .toBe(1710055800000);
  });

  it('ignores the zone for times that carry an offset', () => {
    expect(readForced('2024-07-01T12:00:00Z', 'day-first', amsterdam))
      .toBe(Date.UTC(2024, 6, 1, 12));
  });

  it('rejects an unknown zone with LF_ERR_OPTION_INVALID', () => {
    let caught: unknown;
    try {
      new ZoneClock('Mars/Olympus_Mons');
    } catch (err) {
      caught = err;
    }
    expect(isLedgerflowError(caught, 'LF_ERR_OPTION_INVALID')).toBe(true);
    expect(String(caught)).toContain('Mars/Olympus_Mons');
  });
});

describe('day-first or month-first, once per column', () => {
  it('decides day-first from a first field over 12, whatever came before', () => {
    const col = new TimestampColumn(place, utc, null);
    expect(col.parse('01/02/2024', 0, 2)).toBe(Date.UTC(2024, 1, 1));
    expect(col.parse('13/02/2024', 1, 3)).toBe(Date.UTC(2024, 1, 13));
    expect(col.takeRewrites()).toBeNull();
    expect(col.order).toBe('day-first');
  });

  it('decides month-first from a second field over 12 and rewrites earlier rows', () => {
    const col = new TimestampColumn(place, utc, null);
    expect(col.parse('01/02/2024', 0, 2)).toBe(Date.UTC(2024, 1, 1));
    expect(col.parse('03/04/2024', 1, 3)).toBe(Date.UTC(2024, 3, 3));
    expect(col.parse('02/13/2024', 2, 4)).toBe(Date.UTC(2024, 1, 13));
    const rewrites = col.takeRewrites();
    expect(Array.from(rewrites!.keys)).toEqual([0, 1]);
    expect(Array.from(rewrites!.times)).toEqual([Date.UTC(2024, 0, 2), Date.UTC(2024, 2, 4)]);
    expect(col.parse('05/06/2024', 3, 5)).toBe(Date.UTC(2024, 4, 6));
  });

  it('fails when the column shows both orders, naming both lines', () => {
    const col = new TimestampColumn(place, utc, null);
    col.parse('13/02/2024', 0, 2);
    let caught: unknown;
    try {
      col.parse('02/13/2024', 1, 7);
    } catch (err) {
      caught = err;
    }
    expect(isLedgerflowError(caught, 'LF_ERR_INGEST_BAD_TIMESTAMP')).toBe(true);
    expect(String(caught)).toMatch(/line 7/);
    expect(String(caught)).toMatch(/line 2/);
    expect(String(caught)).toContain('--date-format');
  });

  it('reads an undecided column day-first and says so', () => {
    const col = new TimestampColumn(place, utc, null);
    expect(col.parse('01/02/2024', 0, 2)).toBe(Date.UTC(2024, 1, 1));
    expect(col.undecided).toBe(true);
  });

  it('obeys a forced order', () => {
    const col = new TimestampColumn(place, utc, 'month-first');
    expect(col.parse('01/02/2024', 0, 2)).toBe(Date.UTC(2024, 0, 2));
    expect(col.parse('13/02/2024', 1, 3)).toBeNaN();
  });
});

describe('fast scanner against the reference parser', () => {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const value = fc.record({
    year: fc.oneof(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: -99999, max: 99999 })),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 9 }),
    offset: fc.option(fc.integer({ min: -14 * 60, max: 14 * 60 })),
    form: fc.integer({ min: 0, max: 5 }),
    dateOnly: fc.boolean(),
    zone: fc.constantFrom('UTC', 'Europe/Amsterdam', 'America/New_York', 'Australia/Lord_Howe'),
  });

  function format(v: typeof value extends fc.Arbitrary<infer T> ? T : never) {
    const y = v.year < 0 ? `-${pad(-v.year, 6)}` : v.year > 9999 ? `+${pad(v.year, 6)}`
      : pad(v.year, 4);
    const y4 = pad(Math.abs(v.year) % 10000, 4);
    const dates = [
      `${y}-${pad(v.month, 2)}-${pad(v.day, 2)}`,
      `${y4}/${pad(v.month, 2)}/${pad(v.day, 2)}`,
      `${pad(v.day, 2)}/${pad(v.month, 2)}/${y4}`,
      `${v.month}/${v.day}/${y4}`,
      `${pad(v.day, 2)}.${pad(v.month, 2)}.${y4}`,
      `${y}-${pad(v.month, 2)}-${pad(v.day, 2)}`,
    ];
    let text = dates[v.form];
    if (!v.dateOnly) {
      const clock = `${pad(v.hour, 2)}:${pad(v.minute, 2)}:${pad(v.second, 2)}`;
      text += `${v.form === 0 ? 'T' : ' '}${clock}`;
      if (v.fraction !== '') text += `.${v.fraction}`;
    }
    if (v.offset !== null) {
      const o = Math.abs(v.offset);
      text += v.offset === 0 && v.form === 5 ? 'Z'
        : `${v.offset < 0 ? '-' : '+'}${pad(Math.floor(o / 60), 2)}:${pad(o % 60, 2)}`;
    }
    return text;
  }

  const clocks = new Map<string, [ZoneClock, ZoneClock]>();
  const clocksFor = (zone: string) => {
    let pair = clocks.get(zone);
    if (pair === undefined) {
      pair = [new ZoneClock(zone), new ZoneClock(zone, false)];
      clocks.set(zone, pair);
    }
    return pair;
  };

  it('agrees on random values in every form, order and zone', () => {
    fc.assert(fc.property(value, fc.boolean(), (v, dayFirst) => {
      const text = format(v);
      const order = dayFirst || v.form === 2 || v.form === 4 ? 'day-first' : 'month-first';
      const forcedOrder = v.form === 3 ? 'month-first' : order;
      const [fast, slow] = clocksFor(v.zone);
      const got = new TimestampColumn(place, fast, forcedOrder).parse(text, 0, 2);
      const want = parseTimestampReference(text, forcedOrder, slow);
      expect(Object.is(got, want) || got === want, `${text}: ${got} vs ${want}`).toBe(true);
    }), { numRuns: 3000 });
  });

  it('agrees with Date.parse on ISO texts with an offset', () => {
    const date = fc.date({
      min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(fc.property(date, (d) => {
      const iso = d.toISOString();
      expect(readForced(iso, 'day-first')).toBe(Date.parse(iso));
    }), { numRuns: 2000 });
  });
});
