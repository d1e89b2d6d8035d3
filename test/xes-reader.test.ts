/**
 * What the XES reader makes of attributes, odd traces, bad events and options. The expected
 * values were read off the hand-written fixtures quirks.xes and bad-events.xes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isLedgerflowError, type LedgerflowError } from '../src/errors.js';
import type { ImportOptions } from '../src/ingest/import-options.js';
import { importXes } from '../src/ingest/xes/index.js';
import { bytesSource, fileSource, traces } from './fixtures/xes/log-facts.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'xes');
const fixture = (name: string) => fileSource(path.join(FIXTURES, name), 64);
const badEvents = readFileSync(path.join(FIXTURES, 'bad-events.xes'), 'utf8').split('\n');

/** bad-events.xes without the given 1-based lines. */
function badEventsWithout(...lines: number[]) {
  const text = badEvents.filter((_, i) => !lines.includes(i + 1)).join('\n');
  return bytesSource('bad-events.xes', Buffer.from(text));
}

async function failure(promise: Promise<unknown>): Promise<LedgerflowError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(isLedgerflowError(err), String(err)).toBe(true);
  return err as LedgerflowError;
}

describe('XES reader', () => {
  it('reads past globals, classifiers and log attributes, and keeps odd traces', async () => {
    const notes: string[] = [];
    const log = await importXes(fixture('quirks.xes'), { onNote: (n) => notes.push(n) });
    expect(log.caseIds).toEqual(['INV-1', 'trace-2', 'INV-1#2']);
    expect(log.eventCount).toBe(4);
    expect(log.activities).toEqual(['Invoice Created', 'Payment Received']);
    expect(traces(log)).toEqual([
      ['Invoice Created', 'Payment Received'], ['Invoice Created'], ['Invoice Created'],
    ]);
    expect(log.resources).toEqual(['Ann']);
    expect([...(log.resource ?? [])]).toEqual([0, -1, -1, -1]);
    expect(log.info.lifecycle.unpairedCompletes).toBe(2);
    expect(notes.join('\n')).toMatch(/1 traces have no case id/);
    expect(notes.join('\n')).toMatch(/1 traces repeat an earlier trace's case id/);
    expect(notes.join('\n')).toMatch(/2 list or container attributes were skipped/);
  });

  it('types event attributes and keeps role keys out of them', async () => {
    const log = await importXes(fixture('quirks.xes'));
    expect([...log.eventAttributes.keys()].sort()).toEqual(['doc', 'paid', 'reminders']);
    expect(log.eventAttributes.get('reminders')).toEqual({
      kind: 'number', values: Float64Array.of(0, NaN, 2, NaN),
    });
    expect(log.eventAttributes.get('paid')).toEqual({
      kind: 'number', values: Float64Array.of(NaN, 100.25, NaN, NaN),
    });
    // An XES id keeps its leading zeros: it is a code, not a quantity.
    expect(log.eventAttributes.get('doc')).toEqual({
      kind: 'string', codes: Int32Array.of(0, -1, -1, -1), dictionary: ['0042'],
    });
  });

  it('puts trace attributes in the case table', async () => {
    const log = await importXes(fixture('quirks.xes'));
    expect([...log.caseAttributes.keys()].sort()).toEqual(['amount', 'disputed', 'region']);
    expect(log.caseAttributes.get('region')).toEqual({
      kind: 'string', codes: Int32Array.of(0, -1, 1), dictionary: ['North', 'South'],
    });
    expect(log.caseAttributes.get('amount')).toEqual({
      kind: 'number', values: Float64Array.of(100.25, NaN, NaN),
    });
    expect(log.caseAttributes.get('disputed')).toEqual({
      kind: 'boolean', values: Int8Array.of(1, -1, -1),
    });
  });

  it('follows the mapping options for case and activity keys', async () => {
    const options: ImportOptions = {
      mapping: { case: 'region', activity: 'org:resource' }, skipBadRows: true,
    };
    const log = await importXes(fixture('quirks.xes'), options);
    expect(log.caseIds).toEqual(['North', 'trace-2', 'South']);
    expect(log.activities).toEqual(['Ann']);
    expect(log.eventCount).toBe(1);
    expect(log.info.skippedRows).toEqual({ 'missing activity': 3 });
    expect(log.info.mapping.activity).toBe('org:resource');
    // concept:name is no longer the case key, so it stays a case attribute.
    expect(log.caseAttributes.get('concept:name')).toEqual({
      kind: 'string', codes: Int32Array.of(0, -1, 0), dictionary: ['INV-1'],
    });
  });

  it('fails on an event without a timestamp, naming its line', async () => {
    const err = await failure(importXes(badEventsWithout()));
    expect(err.code).toBe('LF_ERR_INGEST_BAD_TIMESTAMP');
    expect(err.location).toMatchObject({ line: 5, field: 'time:timestamp' });
  });

  it('fails on an unreadable timestamp with its line and value', async () => {
    const err = await failure(importXes(badEventsWithout(5)));
    expect(err.code).toBe('LF_ERR_INGEST_BAD_TIMESTAMP');
    expect(err.location).toMatchObject({ line: 5, value: '31/01/2024' });
    expect(err.message).toContain('"31/01/2024"');
  });

  it('fails on an event without concept:name, naming its line', async () => {
    const err = await failure(importXes(badEventsWithout(5, 6)));
    expect(err.code).toBe('LF_ERR_INGEST_MISSING_COLUMN');
    expect(err.location).toMatchObject({ line: 5, field: 'concept:name' });
  });

  it('skips and counts bad events under skipBadRows', async () => {
    const log = await importXes(badEventsWithout(), { skipBadRows: true });
    expect(traces(log)).toEqual([['Invoice Created', 'Invoice Cleared']]);
    expect(log.info.skippedRows).toEqual({
      'missing timestamp': 1, 'unreadable timestamp': 1, 'missing activity': 1,
    });
  });

  it('reads times without an offset in the timezone option', async () => {
    const xml = '<log><trace><string key="concept:name" value="c1"/><event>'
      + '<string key="concept:name" value="Invoice Created"/>'
      + '<date key="time:timestamp" value="2024-07-01T12:00:00"/></event></trace></log>';
    const log = await importXes(bytesSource('zone.xes', Buffer.from(xml)),
      { timezone: 'America/New_York' });
    // By hand: New York is UTC−4 in July (EDT), so 12:00 local is 16:00Z.
    expect(log.time[0]).toBe(Date.UTC(2024, 6, 1, 16));
    const bad = await failure(importXes(bytesSource('zone.xes', Buffer.from(xml)),
      { timezone: 'Mars/Olympus' }));
    expect(bad.code).toBe('LF_ERR_OPTION_INVALID');
  });

  it('reports progress in compressed bytes, ending at the source size', async () => {
    const bytes = gzipSync(readFileSync(path.join(FIXTURES, 'quirks.xes')));
    const calls: Array<[number, number | null]> = [];
    await importXes(bytesSource('q.xes.gz', bytes, 100), {
      onProgress: (read, total) => calls.push([read, total]),
    });
    expect(calls.at(-1)).toEqual([bytes.length, bytes.length]);
  });

  it('gives the same log for the plain and the gzip form, in any chunk size', async () => {
    const plain = readFileSync(path.join(FIXTURES, 'quirks.xes'));
    const a = await importXes(bytesSource('q.xes', plain, 1));
    const b = await importXes(bytesSource('q.xes.gz', gzipSync(plain), 1));
    expect(b).toEqual({ ...a, info: { ...a.info, source: 'q.xes.gz' } });
  });
});
