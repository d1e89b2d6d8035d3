/**
 * Property-based fuzzing of the CSV and XES readers and of the timestamp parsers, shared by
 * the bounded run in test/fuzz.test.ts and the long run of scripts/fuzz.ts (`npm run fuzz`).
 *
 * Every property says: the reader either imports correctly or throws a LedgerflowError, never
 * another exception, and within a deadline (a hang fails the run). Where the input is built
 * well-formed, the right counts come from the generator itself (rows and distinct cases it
 * wrote), and the right instant of a timestamp from JavaScript's own Date.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { isLedgerflowError } from '../../src/errors.js';
import { importCsv } from '../../src/ingest/csv/index.js';
import type { ByteSource } from '../../src/ingest/import-options.js';
import { importLog } from '../../src/ingest/import-log.js';
import {
  fieldsToLocalMillis, makeTimestampFields, parseIsoTimestamp, scanTimestamp, TimestampForm,
} from '../../src/ingest/timestamp.js';
import { importXes } from '../../src/ingest/xes/index.js';
import { parseXesDate } from '../../src/ingest/xes/xes-time.js';

/** A source handing `bytes` over in chunks of the given sizes (cycled): boundaries anywhere. */
export function chunkedSource(bytes: Uint8Array, sizes: number[], name = 'fuzz'): ByteSource {
  return {
    name, size: bytes.length,
    async *open() {
      let at = 0;
      for (let k = 0; at < bytes.length; k++) {
        const n = Math.max(1, sizes[k % sizes.length]);
        yield bytes.subarray(at, at + n);
        at += n;
      }
    },
  };
}

/** Rethrows anything that is not a LedgerflowError: the one failure a property looks for. */
function typedOnly(err: unknown): void {
  if (!isLedgerflowError(err)) throw err;
}

// Characters that matter to a CSV reader, and some that should not.
const CSV_CHARS = [',', ';', '\t', '|', '"', '"', '\n', '\r', ' ', 'a', 'b', 'Z', 'T', '0', '1',
  '2', '9', '-', ':', '/', '.', '+', 'é', '\u0000', '\ufeff', '😀'];
const csvText = fc.array(fc.constantFrom(...CSV_CHARS), { maxLength: 400 }).map((a) => a.join(''));
const header = fc.constantFrom('case,activity,timestamp\n', 'Case ID;Activity;Timestamp\n',
  'invoice\tactivity\ttimestamp\tamount\n', '');
const sizes = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 });
const rawBytes = fc.uint8Array({ maxLength: 300 });

/** Arbitrary CSV-like text (and raw bytes) → a log or a typed error. */
export const csvNeverCrashes = fc.asyncProperty(header, csvText, sizes, async (h, body, cut) => {
  const bytes = Buffer.from(h + body);
  await importCsv(chunkedSource(bytes, cut)).catch(typedOnly);
  await importCsv(chunkedSource(bytes, cut), { skipBadRows: true }).catch(typedOnly);
});

/** Arbitrary bytes through the sniffing entry point (every format's reader) → same. */
export const bytesNeverCrash = fc.asyncProperty(rawBytes, sizes, async (bytes, cut) => {
  await importLog(chunkedSource(bytes, cut)).catch(typedOnly);
  await importLog(chunkedSource(gzipSync(bytes), cut)).catch(typedOnly);
});

const token = fc.stringMatching(/^[A-Za-z0-9 ,;"\n]{1,12}$/);
const event = fc.record({
  caseId: fc.integer({ min: 0, max: 6 }).map((i) => `inv ${i}`),
  activity: token,
  ms: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }),
});

function quoted(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * Well-formed CSV of random events, every field quoted (delimiters, quotes and line breaks
 * inside), cut into random chunks: the import has exactly the rows and cases written.
 */
export const csvRoundTrip = fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 40 }),
  fc.constantFrom(',', ';', '\t'), fc.boolean(), sizes, async (events, delim, crlf, cut) => {
    const eol = crlf ? '\r\n' : '\n';
    const lines = [['case', 'activity', 'timestamp'].join(delim)];
    for (const e of events) {
      lines.push([quoted(e.caseId), quoted(e.activity), new Date(e.ms).toISOString()]
        .join(delim));
    }
    const log = await importCsv(chunkedSource(Buffer.from(lines.join(eol) + eol), cut),
      { delimiter: delim });
    const cases = new Set(events.map((e) => e.caseId)).size;
    if (log.eventCount !== events.length || log.caseCount !== cases) {
      throw new Error(`read ${log.caseCount} cases / ${log.eventCount} events, wrote ` +
        `${cases} / ${events.length}`);
    }
  });

// Pieces of XES documents, shuffled into mostly broken ones.
const XES_PIECES = ['<?xml version="1.0"?>', '<log>', '</log>', '<trace>', '</trace>',
  '<event>', '</event>', '<string key="concept:name" value="a"/>',
  '<date key="time:timestamp" value="2024-01-01T00:00:00Z"/>', '<date key="time:timestamp" ' +
  'value="+275760-09-13T00:00:00.001Z"/>', '<string key="concept:name" value="&amp;&lt;"/>',
  '<!DOCTYPE log [<!ENTITY x "y">]>', '&x;', '<![CDATA[z]]>', '<!-- c -->', '<list key="l">',
  '</list>', '<int key="n" value="99999999999999999999"/>', '"', '<', '>', '&', ' ', '\n',
  '\u0000', '<string key="concept:name" value="é😀"/>',
  '<log xmlns="http://www.xes-standard.org/">'];
const xesText = fc.array(fc.constantFrom(...XES_PIECES), { maxLength: 40 }).map((a) => a.join(''));

/** Arbitrary XES-like text, plain and gzipped → a log or a typed error. */
export const xesNeverCrashes = fc.asyncProperty(xesText, sizes, async (text, cut) => {
  const bytes = Buffer.from(text);
  await importXes(chunkedSource(bytes, cut)).catch(typedOnly);
  await importXes(chunkedSource(gzipSync(bytes), cut)).catch(typedOnly);
});

/**
 * Well-formed XES of random events: the import has exactly the traces and events written.
 */
export const xesRoundTrip = fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 30 }),
  sizes, async (events, cut) => {
    const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;')
      .replaceAll('<', '&lt;').replaceAll('\n', '&#10;');
    const traces = events.map((e, i) => `<trace><string key="concept:name" value="t${i}"/>` +
      `<event><string key="concept:name" value="${esc(e.activity)}"/><date ` +
      `key="time:timestamp" value="${new Date(e.ms).toISOString()}"/></event></trace>`);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<log>${traces.join('\n')}</log>\n`;
    const log = await importXes(chunkedSource(Buffer.from(xml), cut));
    if (log.eventCount !== events.length || log.caseCount !== events.length) {
      throw new Error(`read ${log.caseCount} / ${log.eventCount}, wrote ${events.length}`);
    }
  });

const TIME_CHARS = ['0', '1', '2', '3', '5', '9', '-', '+', ':', '/', '.', ',', 'T', 'Z', ' ',
  't', 'z'];
const timeText = fc.oneof(
  fc.array(fc.constantFrom(...TIME_CHARS), { maxLength: 40 }).map((a) => a.join('')),
  fc.string({ maxLength: 40 }),
);

const MAX_MS = 8.64e15;

function inRangeOrNaN(ms: number, text: string, who: string): void {
  if (Number.isNaN(ms)) return;
  if (!(Math.abs(ms) <= MAX_MS) || !Number.isInteger(ms)) {
    throw new Error(`${who}(${JSON.stringify(text)}) = ${ms}: not a Date instant`);
  }
}

/** The timestamp parsers never throw, and answer NaN or an instant a Date can hold. */
export const timestampsNeverCrash = fc.property(timeText, (text) => {
  inRangeOrNaN(parseXesDate(text), text, 'parseXesDate');
  const iso = parseIsoTimestamp(text);
  if (!Number.isNaN(iso) && !Number.isFinite(iso)) throw new Error(`parseIso ${text}: ${iso}`);
  const fields = makeTimestampFields();
  if (scanTimestamp(text, fields) !== TimestampForm.None) {
    for (const dayFirst of [true, false]) {
      const local = fieldsToLocalMillis(fields, dayFirst);
      if (!Number.isNaN(local) && !Number.isFinite(local)) throw new Error(`local ${text}`);
    }
  }
});

/** Any instant a Date can hold, printed by Date itself, reads back to the same instant. */
export const timestampsRoundTrip = fc.property(
  fc.integer({ min: -MAX_MS, max: MAX_MS }), (ms) => {
    const text = new Date(ms).toISOString();
    for (const [who, got] of [['parseXesDate', parseXesDate(text)],
      ['parseIsoTimestamp', parseIsoTimestamp(text)]] as const) {
      if (got !== ms) throw new Error(`${who}(${text}) = ${got}, expected ${ms}`);
    }
  });

/** Every property, by name. */
export const PROPERTIES = {
  csvNeverCrashes, bytesNeverCrash, csvRoundTrip, xesNeverCrashes, xesRoundTrip,
  timestampsNeverCrash, timestampsRoundTrip,
} as const;
