/**
 * The fast xs:dateTime reader of the XES importer against the general ISO reader, on
 * hand-worked values and on random dates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoTimestamp } from '../src/ingest/timestamp.js';
import { ZoneClock } from '../src/ingest/time-zone.js';
import { parseXesDate } from '../src/ingest/xes/xes-time.js';

describe('parseXesDate', () => {
  it('reads hand-worked instants', () => {
    // From cases/README.md (cases 02 and 21).
    expect(parseXesDate('2024-01-10T08:00:00Z')).toBe(1704873600000);
    expect(parseXesDate('2024-01-10T08:00:01.5Z')).toBe(1704873601500);
    expect(parseXesDate('2024-01-10T08:00:02.123000+00:00')).toBe(1704873602123);
    expect(parseXesDate('2964-03-18T11:41:15.371-03:00')).toBe(31374312075371);
    expect(parseXesDate('1650-01-01T00:00:00.000Z')).toBe(-10098172800000);
    // By hand: 2000-03-01 is 11017 days after 1970-01-01 (30 years, 7 leap days, Jan + Feb 29).
    expect(parseXesDate('2000-03-01T00:00:00')).toBe(11017 * 86_400_000);
  });

  it('reads times without an offset in the given zone, and keeps written offsets', () => {
    const amsterdam = new ZoneClock('Europe/Amsterdam');
    // By hand: Amsterdam is UTC+1 in January (CET) and UTC+2 in July (CEST).
    expect(parseXesDate('2024-01-15T10:00:00', amsterdam)).toBe(Date.UTC(2024, 0, 15, 9));
    expect(parseXesDate('2024-01-15T10:00:00.5', amsterdam))
      .toBe(Date.UTC(2024, 0, 15, 9, 0, 0, 500));
    expect(parseXesDate('2024-01-15 10:00:00', amsterdam)).toBe(Date.UTC(2024, 0, 15, 9));
    expect(parseXesDate('2024-07-01', amsterdam)).toBe(Date.UTC(2024, 5, 30, 22));
    expect(parseXesDate('2024-01-15T10:00:00Z', amsterdam)).toBe(Date.UTC(2024, 0, 15, 10));
    expect(parseXesDate('2024-01-15T10:00:00-05:00', amsterdam)).toBe(Date.UTC(2024, 0, 15, 15));
    expect(parseXesDate('2024-01-15T10:00:00+0100', amsterdam)).toBe(Date.UTC(2024, 0, 15, 9));
  });

  it('refuses what is not a date', () => {
    for (const text of ['2024-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-01T25:00:00Z',
      'not a date', '2024-01-01T00:00:00.Z', '2024-01-01T00:00:00+1:00']) {
      expect(parseXesDate(text), text).toBeNaN();
    }
  });

  it('agrees with parseIsoTimestamp on random xs:dateTime texts', () => {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const text = fc.record({
      year: fc.integer({ min: 1000, max: 9999 }), month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }), hour: fc.integer({ min: 0, max: 24 }),
      minute: fc.integer({ min: 0, max: 59 }), second: fc.integer({ min: 0, max: 60 }),
      fraction: fc.option(fc.stringMatching(/^\d{1,9}$/)),
      zone: fc.constantFrom('', 'Z', 'z', '+01:00', '-03:30', '+14:00', '+0530', '+02'),
    }).map((d) => `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}T${pad(d.hour, 2)}:`
      + `${pad(d.minute, 2)}:${pad(d.second, 2)}${d.fraction === null ? '' : `.${d.fraction}`}`
      + d.zone);
    fc.assert(fc.property(text, (t) => {
      expect(parseXesDate(t)).toBe(parseIsoTimestamp(t));
    }), { numRuns: 5000 });
  });
});
