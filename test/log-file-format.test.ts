import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Table, makeVector, tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLog } from '../src/generate/index.js';
import { parseIsoTimestamp } from '../src/ingest/timestamp.js';
import type { CompiledLog } from '../src/log/compiled-log.js';
import { LogBuilder } from '../src/log/log-builder.js';
import { casesPathFor, loadCompiledLog, saveCompiledLog } from '../src/log/log-file.js';

// Format 2 of the compiled-log files, and format 1 files still loading. Expected values come
// from the generator (which never touches the files), from hand-worked dates (checked with
// Python's datetime, noted beside them), or from the log that was saved.

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures',
  'log-file-v1');
const dir = await mkdtemp(path.join(tmpdir(), 'lf-logformat-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every field of two logs equal (case ids read, so a lazy list is decoded). */
function expectSameLog(back: CompiledLog, log: CompiledLog): void {
  expect(back.caseCount).toBe(log.caseCount);
  expect(back.eventCount).toBe(log.eventCount);
  expect(back.caseIds).toEqual(log.caseIds);
  expect(back.activities).toEqual(log.activities);
  expect(back.resources).toEqual(log.resources);
  expect(Array.from(back.offsets)).toEqual(Array.from(log.offsets));
  expect(Array.from(back.activity)).toEqual(Array.from(log.activity));
  expect(Array.from(back.time)).toEqual(Array.from(log.time));
  expect(back.hasIntervals).toBe(log.hasIntervals);
  expect(Array.from(back.start)).toEqual(Array.from(log.start));
  expect(back.resource === null ? null : Array.from(back.resource))
    .toEqual(log.resource === null ? null : Array.from(log.resource));
  for (const [which, mine, theirs] of [
    ['event', back.eventAttributes, log.eventAttributes],
    ['case', back.caseAttributes, log.caseAttributes],
  ] as const) {
    expect([...mine.keys()], `${which} attribute names`).toEqual([...theirs.keys()]);
    for (const [name, column] of theirs) {
      const got = mine.get(name);
      expect(got?.kind, name).toBe(column.kind);
      if (got === undefined) continue;
      if (column.kind === 'string' && got.kind === 'string') {
        expect(got.dictionary, name).toEqual(column.dictionary);
        expect(Array.from(got.codes), name).toEqual(Array.from(column.codes));
      } else if (column.kind !== 'string' && got.kind !== 'string') {
        expect(Array.from(got.values), name).toEqual(Array.from(column.values));
      }
    }
  }
  expect(back.info).toEqual(log.info);
}

/** A log with nulls in every kind of column, booleans not a multiple of 8, odd names. */
function awkwardLog(): CompiledLog {
  const b = new LogBuilder({ promoteCaseAttributes: true, parseTime: parseIsoTimestamp });
  const t = (s: string) => parseIsoTimestamp(s);
  for (let i = 0; i < 21; i++) {
    const id = ['Müller-Ω', '請求書-7', 'plain', '🧾 receipt'][i % 4];
    b.addEvent(id, `A${i % 3}`, t(`2024-01-01T00:00:${String(i).padStart(2, '0')}Z`),
      i % 5 === 0 ? t('2023-12-31T00:00:00Z') : NaN, null, i % 2 === 0 ? `r${i % 3}` : null);
    if (i % 3 !== 1) b.setEventAttribute('Flag', i % 3 === 0 ? 'true' : 'false');
    if (i % 4 === 2) b.setEventAttribute('When', `2024-02-0${1 + (i % 9)}T00:00:00Z`);
    if (i % 7 === 0) b.setEventAttribute('attr:odd', `x${i}`);
    if (i % 6 === 0) b.setEventAttribute('ledgerflow.offset', String(i));
    if (i % 2 === 1) b.setEventAttribute('time', String(i * 1.5));
  }
  b.addCase('no events');
  return b.finish({ source: 'awkward', format: 'csv', mapping: {}, skippedRows: {} });
}

describe('compiled-log format 1 files', () => {
  it('still load, with every value of the log they were written from', async () => {
    // generated-40.arrow was written by format 1 from generateLog({ invoices: 40, seed: 5 }).
    const back = await loadCompiledLog(path.join(FIXTURES, 'generated-40.arrow'));
    expectSameLog(back, generateLog({ invoices: 40, seed: 5 }));
  });

  it('keep nulls as -1 codes, NaN times and -1 booleans', async () => {
    // sample.arrow: three events of cases '007' and '7' and an empty case 'NA' (see
    // test/log-file.test.ts); Manual was false, true, missing; Automated only on case '7'.
    const back = await loadCompiledLog(path.join(FIXTURES, 'sample.arrow'));
    expect(back.caseIds).toEqual(['007', '7', 'NA']);
    expect(Array.from(back.offsets)).toEqual([0, 2, 3, 3]);
    expect(Array.from(back.resource ?? [])).toEqual([0, -1, -1]);
    expect(back.eventAttributes.get('Manual')).toEqual({
      kind: 'boolean', values: new Int8Array([0, 1, -1]),
    });
    expect(back.caseAttributes.get('Automated')).toEqual({
      kind: 'boolean', values: new Int8Array([-1, 1, -1]),
    });
    expect(back.caseAttributes.get('Region')).toEqual({
      kind: 'string', codes: new Int32Array([0, 1, -1]), dictionary: ['EMEA', 'NA'],
    });
    // 2964-04-18T00:00Z: datetime(2964, 4, 18, tzinfo=utc).timestamp() * 1000 in Python.
    expect(back.caseAttributes.get('Due Date')).toEqual({
      kind: 'time', values: new Float64Array([31376937600000, NaN, NaN]),
    });
    expect(back.time[0]).toBe(31374312075371);
    expect(back.start[2]).toBe(-10098176400000);
  });
});

describe('compiled-log format 2 files', () => {
  it('round-trip a generated log with nulls in every column kind', async () => {
    const log = generateLog({ invoices: 300, seed: 17 });
    const file = path.join(dir, 'generated.arrow');
    await saveCompiledLog(log, file);
    expectSameLog(await loadCompiledLog(file), generateLog({ invoices: 300, seed: 17 }));
  });

  it('round-trip non-ASCII ids, sparse booleans and names that clash with ours', async () => {
    const file = path.join(dir, 'awkward.arrow');
    await saveCompiledLog(awkwardLog(), file);
    const back = await loadCompiledLog(file);
    expectSameLog(back, awkwardLog());
    expect(back.caseIds).toEqual([
      'Müller-Ω', '請求書-7', 'plain', '🧾 receipt', 'no events',
    ]);
    expect(back.eventAttributes.has('attr:odd')).toBe(true);
    expect(back.eventAttributes.has('time')).toBe(true);
  });

  it('decode case ids only when read, and take an assignment before that', async () => {
    const file = path.join(dir, 'lazy.arrow');
    await saveCompiledLog(awkwardLog(), file);
    const lazy = await loadCompiledLog(file);
    expect(Object.getOwnPropertyDescriptor(lazy, 'caseIds')?.get).toBeTypeOf('function');
    const ids = lazy.caseIds;
    expect(Object.getOwnPropertyDescriptor(lazy, 'caseIds')?.value).toBe(ids);
    expect(Array.isArray(ids)).toBe(true);
    const other = await loadCompiledLog(file);
    other.caseIds = ['a', 'b', 'c', 'd', 'e'];
    expect(other.caseIds).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect({ ...other }.caseIds).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('store the offsets in the case table, readable by any Arrow reader', async () => {
    const file = path.join(dir, 'offsets.arrow');
    await saveCompiledLog(awkwardLog(), file);
    const cases = tableFromIPC(await readFile(casesPathFor(file)));
    // Cases in order of first appearance: rows 0,4,..,20 (6), 1,5,..,17 (5), 2,..,18 (5),
    // 3,..,19 (5), then the empty case: first rows 0, 6, 11, 16, 21.
    expect(Array.from(cases.getChild('ledgerflow.offset')?.toArray() ?? []))
      .toEqual([0, 6, 11, 16, 21]);
    expect(cases.getChild('case')?.toArray())
      .toEqual(['Müller-Ω', '請求書-7', 'plain', '🧾 receipt', 'no events']);
    // The clashing attribute varied within a case, so it stayed an event column, renamed.
    expect(cases.getChild('attr:ledgerflow.offset')).toBeNull();
    const events = tableFromIPC(await readFile(file));
    expect(events.schema.metadata.get('ledgerflow.version')).toBe('2');
    expect(events.getChild('attr:attr:odd')?.get(0)).toBe('x0');
    expect(events.getChild('ledgerflow.offset')?.get(0)).toBe(0);
    // Rows 16..20 are the fourth case's five events.
    expect(events.getChild('case')?.get(20)).toBe('🧾 receipt');
  });

  it('refuse offsets that run backwards and formats it cannot read', async () => {
    const file = path.join(dir, 'bad.arrow');
    await saveCompiledLog(awkwardLog(), file);
    const casesFile = casesPathFor(file);
    const cases = tableFromIPC(await readFile(casesFile));
    const offsets = Int32Array.from(cases.getChild('ledgerflow.offset')?.toArray() ?? []);
    offsets[2] = 3;
    const columns = Object.fromEntries(cases.schema.fields.map((f) => [f.name,
      f.name === 'ledgerflow.offset' ? makeVector(offsets) : cases.getChild(f.name)]));
    // The schema metadata (the pair id shared with the events file) is kept.
    const rewritten = new Table(columns as never);
    for (const [k, v] of cases.schema.metadata) rewritten.schema.metadata.set(k, v);
    await writeFile(casesFile, tableToIPC(rewritten, 'file'));
    await expect(loadCompiledLog(file)).rejects.toMatchObject({
      code: 'LF_ERR_LOG_BAD_COMPILED', message: expect.stringMatching(/case 1 ends before/),
    });

    const later = path.join(dir, 'later.arrow');
    await saveCompiledLog(awkwardLog(), later);
    const events = tableFromIPC(await readFile(later));
    events.schema.metadata.set('ledgerflow.version', '3');
    await writeFile(later, tableToIPC(events, 'file'));
    await expect(loadCompiledLog(later)).rejects.toMatchObject({
      code: 'LF_ERR_LOG_BAD_COMPILED',
      message: expect.stringMatching(/reads 1 and 2\); import the log again.*value "3"/),
    });
  });
});

describe('fast column readers', () => {
  it('read random codes, numbers, booleans and times with nulls as written', async () => {
    const fc = (await import('fast-check')).default;
    const { attributeFromVector, attributeVector } = await import('../src/log/arrow-columns.js');
    const { booleansFromBits, columnFromVector, timesInPlace } =
      await import('../src/log/arrow-views.js');
    const own = { ownBytes: true };
    fc.assert(fc.property(
      fc.array(fc.constantFrom(-1, 0, 1), { maxLength: 70 }),
      fc.array(fc.option(fc.integer({ min: -8.64e15, max: 8.64e15 }), { nil: NaN }),
        { maxLength: 70 }),
      fc.array(fc.integer({ min: -1, max: 2 }), { maxLength: 70 }),
      (flags, times, codes) => {
        const strings = attributeVector({
          kind: 'string', codes: Int32Array.from(codes), dictionary: ['a', 'b', 'c'],
        });
        expect(columnFromVector(strings, own)).toEqual({
          kind: 'string', codes: Int32Array.from(codes), dictionary: ['a', 'b', 'c'],
        });
        // The same draws as numbers, with −1 standing for a null.
        const numbers = attributeVector({
          kind: 'number', values: Float64Array.from(codes, (c) => (c < 0 ? NaN : c / 4)),
        });
        expect(Array.from((columnFromVector(numbers, own) as { values: Float64Array }).values))
          .toEqual(codes.map((c) => (c < 0 ? NaN : c / 4)));
        const bools = attributeVector({ kind: 'boolean', values: Int8Array.from(flags) });
        expect(Array.from(booleansFromBits(bools.data[0]))).toEqual(flags);
        expect(attributeFromVector(bools)).toEqual({
          kind: 'boolean', values: Int8Array.from(flags),
        });
        const stamps = attributeVector({ kind: 'time', values: Float64Array.from(times) });
        expect(Array.from(timesInPlace(stamps.data[0]))).toEqual(times);
      },
    ), { numRuns: 300 });
  });
});
