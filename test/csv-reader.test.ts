import { describe, expect, it } from 'vitest';
import { isLedgerflowError, type ErrorCode } from '../src/errors.js';
import { importCsv } from '../src/ingest/csv/index.js';
import type { ImportOptions } from '../src/ingest/import-options.js';
import { attributeValue } from '../src/log/compiled-log.js';
import { dfg, memorySource } from './fixtures/csv/log-helpers.js';

const read = (text: string | Uint8Array, options: ImportOptions = {}, chunk?: number) =>
  importCsv(memorySource(text, chunk), options);

async function failure(text: string | Uint8Array, options: ImportOptions = {}, chunk?: number) {
  try {
    await read(text, options, chunk);
  } catch (err) {
    return err;
  }
  throw new Error('expected the import to fail');
}

function expectError(err: unknown, code: ErrorCode, ...parts: (string | RegExp)[]) {
  expect(isLedgerflowError(err, code), String(err)).toBe(true);
  for (const part of parts) expect(String(err)).toMatch(part);
}

// Every expected value below is worked out by hand from the fixture text next to it.
describe('CSV reading', () => {
  const quoted = 'case,activity,timestamp,note\n' +
    'c1,"Check, then approve",2024-01-01 10:00:00,"said ""yes"""\n' +
    'c1,"Two\nlines",2024-01-01 11:00:00,""\n';

  it('follows RFC 4180 quoting, at any chunk size', async () => {
    for (const chunk of [1, 2, 3, 7, 1 << 16]) {
      const log = await read(quoted, {}, chunk);
      expect(log.activities, `chunk ${chunk}`).toEqual(['Check, then approve', 'Two\nlines']);
      const note = log.caseAttributes.get('note') ?? log.eventAttributes.get('note');
      expect(note && attributeValue(note, 0)).toBe('said "yes"');
    }
  });

  it('reads CRLF and CR line ends like LF', async () => {
    const lf = 'case,activity,timestamp\nc1,A,2024-01-01\nc1,B,2024-01-02\n';
    for (const eol of ['\r\n', '\r']) {
      for (const chunk of [1, 5, 1 << 16]) {
        const log = await read(lf.replaceAll('\n', eol), {}, chunk);
        expect(log.activities).toEqual(['A', 'B']);
        expect(Array.from(log.time)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)]);
      }
    }
  });

  it('drops a UTF-8 BOM from the first column name', async () => {
    const log = await read('\uFEFFcase_id,activity,timestamp\nc1,A,2024-01-01\n', {}, 1);
    expect(log.info.mapping.case).toBe('case_id');
  });

  it('detects each delimiter, ignoring delimiters inside quotes', async () => {
    for (const d of [',', ';', '\t', '|']) {
      const other = d === ',' ? ';' : ',';
      const text = [`case${d}activity${d}timestamp${d}x`,
        `c1${d}"A${other}${other}${other}"${d}2024-01-01${d}1`,
        `c1${d}B${d}2024-01-02${d}2`].join('\n');
      const log = await read(text);
      expect(log.activities, JSON.stringify(d)).toEqual([`A${other}${other}${other}`, 'B']);
    }
  });

  it('obeys a forced delimiter', async () => {
    const log = await read('case;x,activity;timestamp\nc1;1,2;2024-01-01\n', {
      delimiter: ',', mapping: { case: 'case;x', activity: 'activity;timestamp' },
    }).catch((e) => e);
    // With ',' the header has two columns and no timestamp column: the mapping error proves
    // the forced delimiter was used (detection would have chosen ';').
    expectError(log, 'LF_ERR_INGEST_MISSING_COLUMN');
    await expect(read('a|b\n', { delimiter: '""' })).rejects.toMatchObject({
      code: 'LF_ERR_OPTION_INVALID',
    });
    // '§' is two bytes in UTF-8 (C2 A7): the readers split on one byte, so it is refused.
    await expect(read('a\u00a7b\n', { delimiter: '\u00a7' })).rejects.toMatchObject({
      code: 'LF_ERR_OPTION_INVALID',
    });
  });

  it('keeps case ids as written: NA, N/A, 007 and 7 are four cases', async () => {
    const log = await read('case,activity,timestamp\nNA,A,2024-01-01\nN/A,A,2024-01-01\n' +
      '007,A,2024-01-01\n7,A,2024-01-01\n 7,A,2024-01-01\n');
    expect(log.caseIds).toEqual(['NA', 'N/A', '007', '7', ' 7']);
  });

  it('decides day-first for the whole column from one late value', async () => {
    const log = await read(
      'case,activity,timestamp\nc1,A,01/02/2024 10:00\nc1,B,13/02/2024 10:00\n');
    expect(Array.from(log.time)).toEqual([Date.UTC(2024, 1, 1, 10), Date.UTC(2024, 1, 13, 10)]);
  });

  it('decides month-first for the whole column, rewriting the rows read before', async () => {
    const log = await read('case,activity,timestamp\nc1,A,01/02/2024 10:00\nc2,B,03/04/2024\n' +
      'c1,C,02/13/2024 10:00\n');
    expect(Array.from(log.time)).toEqual([
      Date.UTC(2024, 0, 2, 10), Date.UTC(2024, 1, 13, 10), Date.UTC(2024, 2, 4)]);
  });

  it('reads naive times in the given zone, summer and winter (Europe/Amsterdam)', async () => {
    // Python zoneinfo: 2024-07-01 12:00 → 1719828000000, 2024-01-15 12:00 → 1705316400000
    const log = await read(
      'case,activity,timestamp\nc1,A,2024-01-15 12:00\nc1,B,2024-07-01 12:00\n',
      { timezone: 'Europe/Amsterdam' });
    expect(Array.from(log.time)).toEqual([1705316400000, 1719828000000]);
    expectError(await failure('case,activity,timestamp\n', { timezone: 'Nowhere/City' }),
      'LF_ERR_OPTION_INVALID', 'Nowhere/City');
  });

  it('tells the chosen mapping in a note and in the log info', async () => {
    const notes: string[] = [];
    const log = await read('Invoice Number,Activity,Date,Agent\nI1,A,2024-01-01,ann\n',
      { onNote: (n) => notes.push(n) });
    expect(notes).toEqual(['columns: case ← Invoice Number, activity ← Activity, ' +
      'timestamp ← Date, resource ← Agent']);
    expect(log.info.mapping).toEqual({
      case: 'Invoice Number', activity: 'Activity', timestamp: 'Date', resource: 'Agent',
    });
    expect(log.resources).toEqual(['ann']);
  });

  it('reports progress with the byte count', async () => {
    const calls: [number, number | null][] = [];
    const text = 'case,activity,timestamp\nc1,A,2024-01-01\n';
    await read(text, { onProgress: (a, b) => calls.push([a, b]) });
    expect(calls.at(-1)).toEqual([text.length, text.length]);
  });
});

describe('CSV errors', () => {
  const header = 'case,activity,timestamp\n';

  it('a row with the wrong number of fields: LF_ERR_INGEST_BAD_ROW with its line', async () => {
    expectError(await failure(`${header}c1,A,2024-01-01\nc1,B\n`), 'LF_ERR_INGEST_BAD_ROW',
      'line 3', '2 fields', 'header has 3');
  });

  it('an unreadable timestamp: file, line, field, value and the hints', async () => {
    const err = await failure(`${header}c1,A,2024-01-01\n\nc1,B,next tuesday\n`);
    // Line 4: the blank line 3 is skipped but still counted.
    expectError(err, 'LF_ERR_INGEST_BAD_TIMESTAMP', 'test.csv', 'line 4', 'field "timestamp"',
      '"next tuesday"', '--date-format', '--timezone');
  });

  it('a quote never closed: the line where it opened', async () => {
    const err = await failure(`${header}c1,A,2024-01-01\nc1,"B,2024-01-02\nc1,C,2024-01-03\n`);
    expectError(err, 'LF_ERR_INGEST_BAD_ROW', 'line 3', 'never closed');
  });

  it('text after a closing quote: LF_ERR_INGEST_BAD_ROW with its line', async () => {
    expectError(await failure(`${header}c1,"A"x,2024-01-01\n`), 'LF_ERR_INGEST_BAD_ROW', 'line 2');
  });

  it('a missing mapped column names it and lists the header', async () => {
    expectError(await failure(header, { mapping: { case: 'Invoice' } }),
      'LF_ERR_INGEST_MISSING_COLUMN', '"Invoice"', '"case", "activity", "timestamp"');
  });

  it('invalid UTF-8: LF_ERR_INGEST_BAD_ENCODING with the byte offset, any chunk size', async () => {
    const good = new TextEncoder().encode(`${header}c1,Prüf,2024-01-01\n`);
    // The header is 24 bytes and "c1,Pr" 5 more, so the ü takes bytes 29–30; its second byte
    // becomes 0x41, so byte 29 starts a bad sequence.
    const bad = good.slice();
    const at = good.indexOf(0xc3);
    expect(at).toBe(29);
    bad[at + 1] = 0x41;
    for (const chunk of [1, 2, 31, 1 << 16]) {
      expectError(await failure(bad, {}, chunk), 'LF_ERR_INGEST_BAD_ENCODING', 'byte 29');
    }
    // A file cut inside a sequence: the cut sequence starts at byte 29.
    expectError(await failure(good.slice(0, 30), {}, 4), 'LF_ERR_INGEST_BAD_ENCODING', 'byte 29');
  });

  it('a 0-byte file: LF_ERR_INGEST_EMPTY_FILE', async () => {
    expectError(await failure(''), 'LF_ERR_INGEST_EMPTY_FILE');
  });

  it('a header alone is an empty log, not an error', async () => {
    const log = await read(header);
    expect([log.caseCount, log.eventCount]).toEqual([0, 0]);
  });

  it('skips bad rows under skipBadRows, counted by reason, with a note', async () => {
    const notes: string[] = [];
    const text = `${header}c1,A,2024-01-01\n` +
      'c1,B\n' + // wrong number of fields
      'c1,C,someday\n' + // unreadable timestamp
      'c1,D,\n' + // missing timestamp
      ',E,2024-01-02\n' + // empty case id
      'c2,"F"x,2024-01-02\n' + // malformed quoting
      'c2,G,2024-01-03\n' +
      'c1,H,1,2\n'; // wrong number of fields
    const log = await read(text, { skipBadRows: true, onNote: (n) => notes.push(n) });
    expect(log.eventCount).toBe(2);
    expect(log.info.skippedRows).toEqual({
      'wrong number of fields': 2, 'unreadable timestamp': 1, 'missing timestamp': 1,
      'empty case id': 1, 'malformed quoting': 1,
    });
    expect(notes.at(-1)).toMatch(/^skipped 6 bad row/);
    expect(dfg(log).size).toBe(0);
  });

  it('a header repeated inside the file (exports joined) is named, on its line', async () => {
    const text = `${header}c1,A,2024-01-01
${header}c1,B,2024-01-02
`;
    const error = await failure(text);
    expectError(error, 'LF_ERR_INGEST_BAD_ROW', 'repeats the header');
    // By hand: the header is line 1, c1/A line 2, the repeated header line 3.
    expect((error as { location: { line: number } }).location.line).toBe(3);
    const log = await read(text, { skipBadRows: true });
    expect(log.eventCount).toBe(2);
    expect(log.info.skippedRows).toEqual({ 'repeated header': 1 });
  });
});
