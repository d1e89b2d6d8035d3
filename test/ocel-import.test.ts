/**
 * OCEL 2.0 SQLite import on a tiny log built in memory (test/fixtures/ocel/tiny-ocel.ts).
 * Expected values were worked out by hand from the fixture's rows, as each comment says.
 */
import { describe, expect, it } from 'vitest';
import { isLedgerflowError } from '../src/errors.js';
import { byteSourceFromBytes } from '../src/ingest/byte-source.js';
import { importLog } from '../src/ingest/import-log.js';
import { importOcelSqlite } from '../src/ingest/ocel/index.js';
import { attributeValue, type CompiledLog } from '../src/log/compiled-log.js';
import { tinyOcelBytes } from './fixtures/ocel/tiny-ocel.js';

const source = async () => byteSourceFromBytes(await tinyOcelBytes(), 'tiny.sqlite');

/** Activity sequence of each case, keyed by case id. */
function traces(log: CompiledLog): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let c = 0; c < log.caseCount; c++) {
    out[log.caseIds[c]] = [];
    for (let k = log.offsets[c]; k < log.offsets[c + 1]; k++) {
      out[log.caseIds[c]].push(log.activities[log.activity[k]]);
    }
  }
  return out;
}

function caseValue(log: CompiledLog, caseId: string, name: string) {
  const column = log.caseAttributes.get(name);
  if (column === undefined) return undefined;
  return attributeValue(column, log.caseIds.indexOf(caseId));
}

describe('OCEL 2.0 SQLite import', () => {
  it('makes each order a case and each related event an event of it, once per pair', async () => {
    const log = await importOcelSqlite(await source(), {
      objectType: 'orders', timezone: 'Europe/Amsterdam',
    });
    // Orders 1 and 2 have events; order 3 has none and is no case. e3 ships both orders
    // (convergence), so it is an event of each; its second link to order 1 adds nothing.
    expect(log.caseCount).toBe(2);
    expect(log.eventCount).toBe(4);
    expect(traces(log)).toEqual({
      1: ['place order', 'ship orders'],
      2: ['place order', 'ship orders'],
    });
  });

  it('reads naive times in the given zone across a DST change', async () => {
    const log = await importOcelSqlite(await source(), {
      objectType: 'orders', timezone: 'Europe/Amsterdam',
    });
    // By hand: 2024-03-31T00:00Z = 1711843200000. 01:30 CET (+1) = 00:30Z; 03:30 CEST (+2)
    // = 01:30Z; 04:00 CEST = 02:00Z.
    const c1 = log.caseIds.indexOf('1');
    const c2 = log.caseIds.indexOf('2');
    expect(Array.from(log.time.subarray(log.offsets[c1], log.offsets[c1 + 1])))
      .toEqual([1711845000000, 1711850400000]);
    expect(Array.from(log.time.subarray(log.offsets[c2], log.offsets[c2 + 1])))
      .toEqual([1711848600000, 1711850400000]);
  });

  it('keeps event attributes and the latest value of each object attribute', async () => {
    const log = await importOcelSqlite(await source(), { objectType: 'orders' });
    const channel = log.eventAttributes.get('channel');
    const c1 = log.caseIds.indexOf('1');
    expect(channel && attributeValue(channel, log.offsets[c1])).toBe('web');
    expect(channel && attributeValue(channel, log.offsets[c1] + 1)).toBe(null);
    // Order 1: price 100 then changed to 120 on 2024-04-01; status open then shipped on
    // 2024-04-02 (the change rows are stored out of time order). Order 2 keeps its first row.
    expect(caseValue(log, '1', 'price')).toBe(120);
    expect(caseValue(log, '1', 'status')).toBe('shipped');
    expect(caseValue(log, '2', 'price')).toBe(50);
    expect(caseValue(log, '2', 'status')).toBe('open');
  });

  it('defaults to the object type related to the most events, and says so', async () => {
    const notes: string[] = [];
    const log = await importOcelSqlite(await source(), { onNote: (n) => notes.push(n) });
    // orders: e1, e2, e3 (3 events); customers: e1, e4 (2 events).
    expect(log.info.mapping.case).toContain('orders');
    expect(notes.join('\n')).toContain('orders (3 events), customers (2 events)');
    // By hand: e3 is the one event shared by two cases.
    expect(notes.join('\n')).toContain('1 events belong to several cases');
  });

  it('flattens on another type when asked', async () => {
    const log = await importOcelSqlite(await source(), { objectType: 'customers' });
    expect(traces(log)).toEqual({ c1: ['place order', 'place order'] });
  });

  it('refuses an object type the log does not have, listing the types', async () => {
    const error = await importOcelSqlite(await source(), { objectType: 'invoices' })
      .catch((e: unknown) => e);
    expect(isLedgerflowError(error, 'LF_ERR_OPTION_INVALID')).toBe(true);
    expect(String(error)).toContain('customers (2 events)');
  });

  it('refuses an SQLite file that is not OCEL 2.0', async () => {
    const bytes = await tinyOcelBytes(true);
    const error = await importOcelSqlite(byteSourceFromBytes(bytes, 'plain.sqlite'))
      .catch((e: unknown) => e);
    expect(isLedgerflowError(error, 'LF_ERR_INGEST_NOT_OCEL')).toBe(true);
    expect(String(error)).toContain('plain.sqlite');
    expect(String(error)).toContain('event_object');
  });

  it('refuses a damaged SQLite file with a typed error', async () => {
    const bytes = new Uint8Array(4096).fill(7);
    bytes.set(new TextEncoder().encode('SQLite format 3\u0000'));
    const error = await importOcelSqlite(byteSourceFromBytes(bytes, 'broken.sqlite'))
      .catch((e: unknown) => e);
    expect(isLedgerflowError(error, 'LF_ERR_INGEST_BAD_SQLITE')).toBe(true);
  });

  it('is chosen by importLog from the SQLite header', async () => {
    const log = await importLog(await source(), { objectType: 'orders' });
    expect(log.info.format).toBe('ocel-sqlite');
    expect(log.caseCount).toBe(2);
  });
});
