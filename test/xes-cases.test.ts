/**
 * The XES cases of /work/shared/cases: every expected value below is copied from the cases'
 * README.md (worked out by hand there), not from this importer's output.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLedgerflowError } from '../src/errors.js';
import { importXes } from '../src/ingest/xes/index.js';
import type { ImportOptions } from '../src/ingest/import-options.js';
import {
  boundaryActivities, caseDurations, dfg, dfgCounts, fileSource, traces, variants,
} from './fixtures/xes/log-facts.js';
import { CASES_DIR, sharedAvailable } from './helpers/shared-data.js';

const load = (name: string, options: ImportOptions = {}, chunk?: number) =>
  importXes(fileSource(path.join(CASES_DIR, name), chunk), options);

describe.skipIf(!sharedAvailable())('XES cases', () => {
  it('02: reads fractions of any length, or none', async () => {
    const log = await load('02-xes-fractional-seconds.xes');
    expect(log.eventCount).toBe(4);
    expect([...log.time]).toEqual([1704873600000, 1704873600250, 1704873601500, 1704873602123]);
    const edges = dfg(log);
    expect(edges.get('Order Received → Order Checked')).toEqual({ count: 1, durations: [250] });
    expect(edges.get('Order Checked → Order Approved')).toEqual({ count: 1, durations: [1250] });
    expect(edges.get('Order Approved → Order Closed')).toEqual({ count: 1, durations: [623] });
    expect(edges.size).toBe(3);
    expect(caseDurations(log)).toEqual({ c1: 2123 });
    expect(Object.values(variants(log))).toEqual([1]);
    expect(traces(log)[0]).toHaveLength(4);
  });

  it('03: nested lists and meta-attributes belong to their parent, not to the event', async () => {
    const log = await load('03-xes-nested-list.xes');
    expect(log.caseCount).toBe(1);
    expect(log.eventCount).toBe(2);
    expect([...log.activities].sort()).toEqual(['Invoice Created', 'Invoice Paid']);
    expect(dfg(log).get('Invoice Created → Invoice Paid'))
      .toEqual({ count: 1, durations: [172800000] });
    expect(caseDurations(log)).toEqual({ c1: 172800000 });
  });

  it('04: decodes entity and character references and keeps Unicode names exact', async () => {
    // Chunks of 7 bytes split references and multi-byte characters across chunk seams.
    const log = await load('04-xes-entities-unicode.xes', {}, 7);
    expect([...log.activities].sort()).toEqual([
      'Check & Approve', 'Crédit Vérifié', 'Customer\'s "Reply"', 'Send <Reminder>',
      '請求書発行',
    ].sort());
    expect(log.activities).toContain('Cr\u00e9dit V\u00e9rifi\u00e9');
    const edges = dfg(log);
    expect(edges.get('Check & Approve → Send <Reminder>')?.durations).toEqual([3600000]);
    expect(edges.get('Send <Reminder> → Crédit Vérifié')?.durations).toEqual([3600000]);
    expect(edges.get('請求書発行 → Check & Approve')?.durations).toEqual([1800000]);
    expect(edges.get('Check & Approve → Customer\'s "Reply"')?.durations).toEqual([9000000]);
    expect(edges.size).toBe(4);
    expect(Object.keys(variants(log))).toHaveLength(2);
    expect(caseDurations(log)).toEqual({ c1: 7200000, c2: 10800000 });
  });

  it('05: refuses an external entity and never leaks a local file', async () => {
    const err = await load('05-xes-external-entity.xes').catch((e: unknown) => e);
    expect(isLedgerflowError(err, 'LF_ERR_INGEST_BAD_XML')).toBe(true);
    const e = err as Error & { status: number; location: { line?: number } };
    expect(e.status).toBeGreaterThanOrEqual(400);
    expect(e.status).toBeLessThan(500);
    // The DOCTYPE with the entity declaration ends on line 4 of the file.
    expect(e.location.line).toBe(4);
    let hostname = '';
    try {
      hostname = readFileSync('/etc/hostname', 'utf8').trim();
    } catch {
      // No such file here: nothing could leak.
    }
    if (hostname !== '') expect(e.message).not.toContain(hostname);
    expect(e.message).not.toContain('file:///etc/hostname');
  });

  for (const name of ['06-xes-gzip.xes', '06-xes-gzip.xes.gz']) {
    it(`06: reads ${name} with the same result as the other form`, async () => {
      const log = await load(name, {}, 5);
      expect(log.caseCount).toBe(2);
      expect(log.eventCount).toBe(5);
      const edges = dfg(log);
      expect(edges.get('Order Received → Credit Check')?.durations).toEqual([1200000]);
      expect(edges.get('Credit Check → Goods Shipped')?.durations).toEqual([6000000]);
      expect(edges.get('Order Received → Goods Shipped')?.durations).toEqual([86400000]);
      expect(edges.size).toBe(3);
      expect(Object.values(variants(log))).toEqual([1, 1]);
      expect(boundaryActivities(log, 'start')).toEqual({ 'Order Received': 2 });
      expect(boundaryActivities(log, 'end')).toEqual({ 'Goods Shipped': 2 });
      expect(caseDurations(log)).toEqual({ c1: 7200000, c2: 86400000 });
    });
  }

  it('14: pairs lifecycle start and complete into activity instances', async () => {
    const log = await load('14-lifecycle-pairing.xes');
    expect(log.info.lifecycle.rawEvents).toBe(6);
    expect(log.eventCount).toBe(3);
    expect(traces(log)).toEqual([['Review Document', 'Request Info', 'Review Document']]);
    const edges = dfg(log);
    expect(edges.get('Review Document → Request Info'))
      .toEqual({ count: 1, durations: [1800000] });
    expect(edges.get('Request Info → Review Document'))
      .toEqual({ count: 1, durations: [2400000] });
    expect(edges.has('Review Document → Review Document')).toBe(false);
    expect(edges.has('Request Info → Request Info')).toBe(false);
    const processing = (name: string) => [...log.activity.keys()]
      .filter((k) => log.activities[log.activity[k]] === name)
      .map((k) => log.time[k] - log.start[k]);
    expect(processing('Review Document')).toEqual([1800000, 1800000]);
    expect(processing('Request Info')).toEqual([900000]);
    expect(caseDurations(log)).toEqual({ c1: 6000000 });
  });

  it('14: counts every lifecycle event as its own event in the ignore mode', async () => {
    const log = await load('14-lifecycle-pairing.xes', { lifecycle: 'ignore' });
    expect(log.eventCount).toBe(6);
    // The self-loops of the naive count that the README warns about.
    expect(dfgCounts(log)['Review Document → Review Document']).toBe(2);
    expect(dfgCounts(log)['Request Info → Request Info']).toBe(1);
  });

  it('15: keeps an empty trace as a case with the empty variant', async () => {
    const log = await load('15-empty-trace.xes');
    expect(log.caseCount).toBe(4);
    expect(log.eventCount).toBe(5);
    expect(variants(log)).toEqual({
      'Ticket Opened | Ticket Closed': 2, 'Ticket Opened': 1, '': 1,
    });
    expect(dfg(log).get('Ticket Opened → Ticket Closed'))
      .toEqual({ count: 2, durations: [3600000, 7200000] });
    expect(boundaryActivities(log, 'start')).toEqual({ 'Ticket Opened': 3 });
    expect(boundaryActivities(log, 'end')).toEqual({ 'Ticket Closed': 2, 'Ticket Opened': 1 });
    expect(caseDurations(log)).toEqual({ c1: 3600000, c2: 7200000, c3: null, c4: 0 });
  });

  it('21: keeps dates far outside the nanosecond range exact', async () => {
    const log = await load('21-far-dates.xes');
    expect([...log.time]).toEqual([
      31374312075371, 31374317475371, -10098172800000, -10098086400000,
    ]);
    expect(dfg(log).get('Sample Taken → Sample Analysed'))
      .toEqual({ count: 2, durations: [5400000, 86400000] });
    expect(caseDurations(log)).toEqual({ c1: 5400000, c2: 86400000 });
  });
});
