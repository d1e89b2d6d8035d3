import { readlinkSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLog } from '../src/generate/index.js';
import { importLog } from '../src/ingest/import-log.js';
import type { CompiledLog } from '../src/log/compiled-log.js';
import { Message, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { planIpcRanges, type ByteRange, type ColumnRanges } from '../src/log/ipc-ranges.js';
import { LazyColumnMap } from '../src/log/lazy-columns.js';
import { LogBuilder } from '../src/log/log-builder.js';
import { casesPathFor, loadCompiledLog, saveCompiledLog } from '../src/log/log-file.js';
import { DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

// A reopened log reads resources, case ids and attributes on first use. Expected values are
// those of the log that was saved (built in memory, never read back from a file); the corrupt
// files are made by patching bytes of a saved pair at places found from its Arrow footer.

const dir = await mkdtemp(path.join(tmpdir(), 'lf-reopen-lazy-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

let serial = 0;
async function saved(log: CompiledLog): Promise<string> {
  const file = path.join(dir, `log-${serial++}.arrow`);
  await saveCompiledLog(log, file);
  return file;
}

/** Every field of two logs equal, attributes read through the Map API. */
function expectSameLog(back: CompiledLog, log: CompiledLog): void {
  expect(back.caseCount).toBe(log.caseCount);
  expect(back.eventCount).toBe(log.eventCount);
  expect(Array.from(back.offsets)).toEqual(Array.from(log.offsets));
  expect(Array.from(back.activity)).toEqual(Array.from(log.activity));
  expect(back.activities).toEqual(log.activities);
  expect(Array.from(back.time)).toEqual(Array.from(log.time));
  expect(Array.from(back.start)).toEqual(Array.from(log.start));
  expect(back.resource === null ? null : Array.from(back.resource))
    .toEqual(log.resource === null ? null : Array.from(log.resource));
  expect(back.resources).toEqual(log.resources);
  expect(back.caseIds).toEqual(log.caseIds);
  for (const [mine, theirs] of [[back.eventAttributes, log.eventAttributes],
    [back.caseAttributes, log.caseAttributes]]) {
    expect(mine.size).toBe(theirs.size);
    expect([...mine.keys()]).toEqual([...theirs.keys()]);
    for (const [name, column] of theirs) {
      const got = mine.get(name);
      expect(got?.kind, name).toBe(column.kind);
      if (column.kind === 'string' && got?.kind === 'string') {
        expect(got.dictionary, name).toEqual(column.dictionary);
        expect(Array.from(got.codes), name).toEqual(Array.from(column.codes));
      } else if (column.kind !== 'string' && got !== undefined && got.kind !== 'string') {
        expect(Array.from(got.values), name).toEqual(Array.from(column.values));
      }
    }
  }
}

/** A log whose string attributes have no nulls, so that a patched code is a real one. */
function plainLog(): CompiledLog {
  const b = new LogBuilder();
  for (let i = 0; i < 40; i++) {
    b.addEvent(`c${i % 6}`, `A${i % 4}`, 1_700_000_000_000 + i * 60_000, NaN, null, `r${i % 3}`);
    b.setEventAttribute('Channel', ['mail', 'portal', 'phone'][i % 3], 'string');
    b.setEventAttribute('Amount', i * 2.5, 'number');
  }
  for (let c = 0; c < 6; c++) b.setCaseAttribute(`c${c}`, 'Region', `R${c % 2}`, 'string');
  return b.finish({ source: 'plain', format: 'csv', mapping: {}, skippedRows: {} });
}

/** The range plan of a saved file, from bytes read whole. */
async function planOf(file: string) {
  const bytes = new Uint8Array(await readFile(file));
  return planIpcRanges((at, n) => bytes.subarray(at, at + n), bytes.length);
}

/** The byte ranges of one column of a saved file, from its footer. */
async function rangesOf(
  file: string, name: string,
): Promise<ColumnRanges & { body: number; header: ByteRange }> {
  const plan = await planOf(file);
  const column = plan?.columns.find((c) => c.name === name);
  if (plan === null || column === undefined) throw new Error(`no column ${name} in ${file}`);
  // The record batch header is the last header that ends before the column's data.
  const data = column.ranges[column.ranges.length - 1];
  const header = plan.headers.filter((h) => h.end <= data.start)
    .sort((a, b) => b.end - a.end)[0];
  return { ...column, body: header.end, header };
}

/**
 * Patches the (offset, length) entry of a column's data buffer in its record batch header:
 * the header's whole buffer list (decoded by Arrow) is found by its bytes, then entry k.
 */
async function patchBufferRegion(
  file: string, name: string, offset: bigint, length: bigint,
): Promise<void> {
  const { ranges, body, header } = await rangesOf(file, name);
  const data = ranges[ranges.length - 1];
  const bytes = new Uint8Array(await readFile(file));
  // Our writer puts a continuation marker and the header length before the header.
  const message = Message.decode(bytes.subarray(header.start + 8, header.end));
  const buffers = (message.header() as { buffers: { offset: number; length: number }[] }).buffers;
  const k = buffers.findIndex((b) => b.offset === data.start - body && b.length > 0);
  const list = new BigInt64Array(buffers.flatMap((b) => [BigInt(b.offset), BigInt(b.length)]));
  const at = Buffer.from(bytes).indexOf(Buffer.from(list.buffer));
  expect(at, 'the buffer list is found in the header').toBeGreaterThan(header.start);
  new DataView(bytes.buffer).setBigInt64(at + 16 * k, offset, true);
  new DataView(bytes.buffer).setBigInt64(at + 16 * k + 8, length, true);
  await writeFile(file, bytes);
}

async function failure(read: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await read();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('a reopened log', () => {
  it('equals the saved generated log column by column, reading attributes on first use',
    async () => {
      const log = generateLog({ invoices: 500, seed: 23 });
      const back = await loadCompiledLog(await saved(log));
      const events = back.eventAttributes as LazyColumnMap<unknown>;
      expect(events).toBeInstanceOf(Map);
      // Nothing read yet: names and count are known without loading.
      for (const name of log.eventAttributes.keys()) expect(events.isPending(name)).toBe(true);
      expect(events.size).toBe(log.eventAttributes.size);
      expect(events.has('Payment Amount')).toBe(true);
      expectSameLog(back, log);
      for (const name of log.eventAttributes.keys()) expect(events.isPending(name)).toBe(false);
    });

  it('hands out values through forEach, values and spread as through get', async () => {
    const log = plainLog();
    const back = await loadCompiledLog(await saved(log));
    const seen: string[] = [];
    back.eventAttributes.forEach((column, name) => seen.push(`${name}:${column.kind}`));
    expect(seen).toEqual(['Channel:string', 'Amount:number']);
    const again = await loadCompiledLog(await saved(log));
    expect([...again.caseAttributes.values()].map((c) => c.kind)).toEqual(['string']);
    expect(new Map(again.eventAttributes).get('Amount')?.kind).toBe('number');
  });

  it('keeps reading the columns it was opened on after the files are replaced or deleted',
    async () => {
      const first = plainLog();
      const file = await saved(first);
      const back = await loadCompiledLog(file);
      await saveCompiledLog(generateLog({ invoices: 30, seed: 2 }), file);
      const other = await loadCompiledLog(file);
      await rm(file);
      await rm(casesPathFor(file));
      expectSameLog(back, first);
      expect(other.caseCount).not.toBe(first.caseCount);
    });

  it('reads each record batch of a file written in several', async () => {
    const log = generateLog({ invoices: 60, seed: 4 });
    const file = await saved(log);
    const whole = tableFromIPC(await readFile(file));
    // Three batches at rows cut by hand: Arrow's writer keeps the schema and its notes.
    const cut = new Table([...whole.slice(0, 50).batches, ...whole.slice(50, 51).batches,
      ...whole.slice(51).batches]);
    expect(cut.batches.length).toBe(3);
    await writeFile(file, tableToIPC(cut, 'file'));
    const plan = await planOf(file);
    expect(plan?.columns.find((c) => c.name === 'time')?.ranges.length).toBe(3);
    expectSameLog(await loadCompiledLog(file), log);
  });

  it('closes its files once every lazy column was read', async () => {
    const file = await saved(plainLog());
    const open = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(file.slice(0, -6));
      } catch {
        return false;
      }
    }).length;
    const back = await loadCompiledLog(file);
    expect(open()).toBe(2);
    void [...back.eventAttributes, ...back.caseAttributes, back.resource];
    expect(open()).toBe(1);
    expect(back.caseIds).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    expect(open()).toBe(0);
  });
});

describe('a reopened log with a corrupt lazy column', () => {
  it('refuses a bad dictionary code at first use, naming file and column', async () => {
    const file = await saved(plainLog());
    const { ranges } = await rangesOf(file, 'Channel');
    const codes = ranges[ranges.length - 1];
    const bytes = new Uint8Array(await readFile(file));
    new DataView(bytes.buffer).setInt32(codes.start + 3 * 4, 9999, true);
    await writeFile(file, bytes);
    const back = await loadCompiledLog(file);
    const err = await failure(() => back.eventAttributes.get('Channel'));
    expect(err.code).toBe('LF_ERR_LOG_BAD_COMPILED');
    expect(err.message).toContain(path.basename(file));
    expect(err.message).toContain('"Channel"');
    expect(err.message).toContain('event 3 has Channel code 9999, outside its 3 names');
    // The same error again, and nothing else broken. The last event in case order is case c5's
    // last, i = 35 (i % 6 = 5), whose amount is 35 × 2.5 = 87.5.
    expect((await failure(() => [...back.eventAttributes])).code).toBe('LF_ERR_LOG_BAD_COMPILED');
    const amount = back.eventAttributes.get('Amount');
    expect(amount?.kind === 'number' ? amount.values[39] : null).toBe(87.5);
    expect(back.resources).toEqual(['r0', 'r1', 'r2']);
    expect(back.caseIds.length).toBe(6);
  });

  it('refuses a bad resource code when the resources are first read', async () => {
    const file = await saved(plainLog());
    const { ranges } = await rangesOf(file, 'resource');
    const bytes = new Uint8Array(await readFile(file));
    new DataView(bytes.buffer).setInt32(ranges[ranges.length - 1].start + 4 * 7, -5, true);
    await writeFile(file, bytes);
    const back = await loadCompiledLog(file);
    expect(back.eventCount).toBe(40);
    const err = await failure(() => back.resource);
    expect(err.code).toBe('LF_ERR_LOG_BAD_COMPILED');
    expect(err.message).toContain('event 7 has resource code -5');
    expect(back.eventAttributes.get('Channel')?.kind).toBe('string');
  });

  it('refuses a buffer that runs past the file end, or starts outside it', async () => {
    const longer = await saved(plainLog());
    await patchBufferRegion(longer, 'Amount', 0n, 1n << 32n);
    const back = await loadCompiledLog(longer);
    const err = await failure(() => back.eventAttributes.get('Amount'));
    expect(err.code).toBe('LF_ERR_LOG_BAD_COMPILED');
    expect(err.message).toContain('"Amount"');
    expect(err.message).toContain('outside its record batch');
    expect(back.eventAttributes.get('Channel')?.kind).toBe('string');

    const outside = await saved(plainLog());
    await patchBufferRegion(casesPathFor(outside), 'Region', 1n << 40n, 24n);
    const cases = await loadCompiledLog(outside);
    expect((await failure(() => cases.caseAttributes.get('Region'))).code)
      .toBe('LF_ERR_LOG_BAD_COMPILED');
    expect(cases.caseIds.length).toBe(6);
  });

  it('refuses at open a column whose bytes overlap another column', async () => {
    const file = await saved(plainLog());
    const time = await rangesOf(file, 'time');
    const timeData = time.ranges[time.ranges.length - 1];
    // Amount's data moved onto the times: converting one in place would change the other.
    await patchBufferRegion(file, 'Amount', BigInt(timeData.start - time.body), 40n * 8n);
    const err = await failure(() => loadCompiledLog(file));
    expect(err.code).toBe('LF_ERR_LOG_BAD_COMPILED');
    expect(err.message).toContain('columns time and Amount share bytes');
  });

  it('still refuses a core column fault at open', async () => {
    const file = await saved(plainLog());
    await patchBufferRegion(file, 'activity', 0n, 1n << 32n);
    const err = await failure(() => loadCompiledLog(file));
    expect(err.code).toBe('LF_ERR_LOG_BAD_COMPILED');
    expect(err.message).toContain('column activity');
  });
});

// Case counts from /work/shared/data/SOURCES.md; the values compared are the import's own.
const SHARED: Array<[string, number]> = [
  ['running-example.xes', 6],
  ['hospital-billing-1t-per-variant.xes.gz', 1_020],
  ['receipt-wabo.xes.gz', 1_434],
  ['bpic2020-travel-permits-1t-per-variant.xes.gz', 1_478],
  ['bpic2020-domestic-declarations-subset.xes.gz', 5_188],
  ['bpic2012-loan-application.xes.gz', 13_087],
];

describe.skipIf(!sharedAvailable())('shared logs reopened lazily', () => {
  it.each(SHARED)('%s equals its import column by column', async (name, cases) => {
    const log = await importLog(path.join(DATA_DIR, name));
    expect(log.caseCount).toBe(cases);
    const back = await loadCompiledLog(await saved(log));
    expectSameLog(back, log);
  }, 120_000);
});
