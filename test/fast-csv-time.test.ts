/**
 * Timestamps read from bytes must equal the exact parser's reading of the same text
 * (`TimestampColumn.parse`, the row importer's reader), or decline (NaN) so that the exact
 * parser is asked. Oracle: the exact parser, on random values (fast-check), plus values
 * worked out by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvScanner } from '../src/ingest/fast-csv/csv-scanner.js';
import { isoMillisFromBytes } from '../src/ingest/fast-csv/time-bytes.js';
import { TimestampColumn } from '../src/ingest/timestamp-column.js';
import { ZoneClock } from '../src/ingest/time-zone.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Text of the common forms, with values that do and do not exist (month 13, Feb 30…). */
const isoText = fc.record({
  year: fc.integer({ min: 0, max: 9999 }),
  month: fc.integer({ min: 0, max: 13 }),
  day: fc.integer({ min: 0, max: 32 }),
  hour: fc.integer({ min: 0, max: 25 }),
  minute: fc.integer({ min: 0, max: 60 }),
  second: fc.integer({ min: 0, max: 61 }),
  fraction: fc.option(fc.stringMatching(/^[0-9]{1,9}$/)),
  sep: fc.constantFrom('T', ' ', 't'),
  time: fc.constantFrom('none', 'hm', 'hms'),
  zone: fc.constantFrom('', 'Z', 'z', '+01:00', '-05:30', '+0200', '-03', '+24:00', ' Z'),
}).map((v) => {
  let text = `${pad(v.year, 4)}-${pad(v.month, 2)}-${pad(v.day, 2)}`;
  if (v.time !== 'none') {
    text += `${v.sep}${pad(v.hour, 2)}:${pad(v.minute, 2)}`;
    if (v.time === 'hms') {
      text += `:${pad(v.second, 2)}`;
      if (v.fraction !== null) text += `.${v.fraction}`;
    }
  }
  return text + v.zone;
});

const clocks = new Map<string, ZoneClock>();
function clock(zone: string): ZoneClock {
  let found = clocks.get(zone);
  if (found === undefined) clocks.set(zone, found = new ZoneClock(zone));
  return found;
}

function exact(text: string, zone: string): number {
  const column = new TimestampColumn({ file: 't', field: 'time' }, clock(zone), null);
  return column.parse(text, 0, 1);
}

function fromBytes(text: string, zone: string): number {
  const bytes = Buffer.from(`x,${text},y`, 'utf8');
  return isoMillisFromBytes(bytes, 2, bytes.length - 2, clock(zone));
}

describe('timestamps from bytes', () => {
  for (const zone of ['UTC', 'Europe/Amsterdam', 'America/New_York']) {
    it(`agrees with the exact parser or leaves the value to it (${zone})`, () => {
      fc.assert(fc.property(isoText, (text) => {
        const fast = fromBytes(text, zone);
        if (!Number.isNaN(fast)) expect(fast).toBe(exact(text, zone));
      }), { numRuns: 1500 });
    });
  }

  it('reads the common forms itself', () => {
    fc.assert(fc.property(
      fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'),
        noInvalidDate: true }),
      (date) => {
        const text = date.toISOString();
        expect(fromBytes(text, 'UTC')).toBe(date.getTime());
        expect(fromBytes(text.replace('T', ' ').replace('Z', ''), 'UTC')).toBe(date.getTime());
      }), { numRuns: 2000 });
  });

  it('values worked out by hand', () => {
    // 2024-03-31T14:05:00Z: 19813 days after 1970-01-01, plus 14:05 → 1711893900000.
    expect(fromBytes('2024-03-31T14:05:00Z', 'UTC')).toBe(1711893900000);
    // The same wall time at +02:00 is two hours earlier.
    expect(fromBytes('2024-03-31T14:05:00+02:00', 'UTC')).toBe(1711893900000 - 7_200_000);
    // Naive in Amsterdam on 2024-03-31 after the switch to summer time (+02:00).
    expect(fromBytes('2024-03-31 14:05:00', 'Europe/Amsterdam')).toBe(1711893900000 - 7_200_000);
    // ".5" is 500 ms, ".123999" is 123 ms; 24:00 is the next midnight.
    expect(fromBytes('2024-03-31T14:05:00.5Z', 'UTC')).toBe(1711893900500);
    expect(fromBytes('2024-03-31T14:05:00.123999Z', 'UTC')).toBe(1711893900123);
    expect(fromBytes('2024-03-31T24:00:00Z', 'UTC')).toBe(1711929600000);
    // Left to the exact parser: another form, or a date that does not exist.
    for (const text of ['31/03/2024', '2024-02-30', ' 2024-03-31', '2024-03-31T1:05', '']) {
      expect(fromBytes(text, 'UTC')).toBeNaN();
    }
  });

  it('the WASM scanner reads what the byte reader reads, or leaves it (NaN)', () => {
    // Naive times are read in the scanner only when they are UTC; the rest are NaN there
    // and go to the byte reader, which knows the zone.
    const scanner = (naiveUtc: boolean) => new CsvScanner({
      width: 1, delimiter: 44, text: [false], required: [false], naiveUtc,
      maxFieldBytes: 1024, maxRowBytes: 1024,
    }, 1024);
    const utc = scanner(true);
    const zoned = scanner(false);
    const wasm = (s: CsvScanner, text: string) => s.millisOf(Buffer.from(text, 'utf8'));
    fc.assert(fc.property(isoText, (text) => {
      expect(wasm(utc, text)).toBe(fromBytes(text, 'UTC'));
      const inZone = wasm(zoned, text);
      if (!Number.isNaN(inZone)) expect(inZone).toBe(fromBytes(text, 'Europe/Amsterdam'));
    }), { numRuns: 3000 });
    // By hand, as above: the designator forms are read in any zone, a naive one only in UTC.
    expect(wasm(zoned, '2024-03-31T14:05:00+02:00')).toBe(1711893900000 - 7_200_000);
    expect(wasm(zoned, '2024-03-31T14:05:00.5Z')).toBe(1711893900500);
    expect(wasm(zoned, '2024-03-31 14:05:00')).toBeNaN();
    expect(wasm(utc, '2024-03-31 14:05:00')).toBe(1711893900000);
    // Year 0 is a leap year, and its January and February fall in era -1 of the calendar.
    expect(wasm(utc, '0000-02-29')).toBe(new Date('0000-02-29T00:00:00Z').getTime());
    for (const text of ['31/03/2024', '2024-02-30', ' 2024-03-31', '2024-03-31T1:05', '']) {
      expect(wasm(utc, text)).toBeNaN();
    }
  });
});
