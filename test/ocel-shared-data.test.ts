/**
 * The OCEL 2.0 order-management running example of /work/shared/data.
 *
 * Counts of the file (events, event types used and declared, objects per type) are those of
 * data/SOURCES.md. The flattenings' case, event and directly-follows counts were found
 * independently with test/fixtures/ocel/ocel_df.py (Python sqlite3 only), run by hand:
 *   python3 ocel_df.py orders    → cases 2000, events 6484; ▶→place order 2000,
 *     place order→confirm order 2000, confirm order→payment reminder 2000,
 *     payment reminder→payment reminder 484, payment reminder→■ 2000
 *   python3 ocel_df.py packages  → cases 320, events 1041; create package→send package 320,
 *     send package→failed delivery 320, failed delivery→failed delivery 81
 * The price of order 990001 (2591.97) is its only row in object_Orders (sqlite3 query).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importOcelSqlite, summarizeOcelSqlite } from '../src/ingest/ocel/index.js';
import { attributeValue, type CompiledLog } from '../src/log/compiled-log.js';
import { DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

const FILE = 'ocel2-order-management-running-example.sqlite';
const source = () => byteSourceFromFile(path.join(DATA_DIR, FILE));

/** Directly-follows counts with ▶ and ■ for start and end, keyed "a → b". */
function directlyFollows(log: CompiledLog): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (a: string, b: string) => counts.set(`${a} → ${b}`,
    (counts.get(`${a} → ${b}`) ?? 0) + 1);
  for (let c = 0; c < log.caseCount; c++) {
    let previous = '▶';
    for (let k = log.offsets[c]; k < log.offsets[c + 1]; k++) {
      const activity = log.activities[log.activity[k]];
      add(previous, activity);
      previous = activity;
    }
    add(previous, '■');
  }
  return counts;
}

describe.skipIf(!sharedAvailable())('OCEL 2.0 running example (shared data)', () => {
  it('has the counts of SOURCES.md', async () => {
    const summary = await summarizeOcelSqlite(await source());
    expect(summary.events).toBe(18_211);
    expect(summary.eventTypes.size).toBe(8);
    expect(summary.declaredEventTypes).toHaveLength(11);
    const unused = summary.declaredEventTypes.filter((t) => !summary.eventTypes.has(t));
    expect(unused.sort()).toEqual(['package delivered', 'pay order', 'reorder item']);
    expect(summary.objectTypes.size).toBe(6);
    expect([...summary.objectTypes.values()].reduce((a, b) => a + b, 0)).toBe(10_031);
    expect(summary.objectTypes.get('orders')).toBe(2_000);
  });

  it('flattened on orders, matches the independent Python count', async () => {
    const log = await importOcelSqlite(await source(), { objectType: 'orders' });
    expect(log.caseCount).toBe(2_000);
    expect(log.eventCount).toBe(6_484);
    const df = directlyFollows(log);
    expect(df.get('▶ → place order')).toBe(2_000);
    expect(df.get('place order → confirm order')).toBe(2_000);
    expect(df.get('confirm order → payment reminder')).toBe(2_000);
    expect(df.get('payment reminder → payment reminder')).toBe(484);
    expect(df.get('payment reminder → ■')).toBe(2_000);
    expect(df.size).toBe(5);
    const price = log.caseAttributes.get('price');
    expect(price && attributeValue(price, log.caseIds.indexOf('990001'))).toBe(2591.97);
  });

  it('flattened on packages, matches the independent Python count', async () => {
    const log = await importOcelSqlite(await source(), { objectType: 'packages' });
    expect(log.caseCount).toBe(320);
    expect(log.eventCount).toBe(1_041);
    const df = directlyFollows(log);
    expect(df.get('create package → send package')).toBe(320);
    expect(df.get('send package → failed delivery')).toBe(320);
    expect(df.get('failed delivery → failed delivery')).toBe(81);
  });
});
