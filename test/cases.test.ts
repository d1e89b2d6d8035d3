/**
 * Every case of ../shared/cases, end to end: file → importLog → mine → summary.
 * Expected values are those of ../shared/cases/README.md (worked out by hand there).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeLog, type LogSummary } from '../src/analysis/log-summary.js';
import { mineLog } from '../src/engine/mine-log.js';
import { END, START, type MineResult } from '../src/engine/mine-result.js';
import { importLog } from '../src/ingest/import-log.js';
import type { CompiledLog } from '../src/log/compiled-log.js';
import { caseDurations } from './fixtures/csv/log-helpers.js';
import { CASES_DIR, sharedAvailable } from './helpers/shared-data.js';

const available = sharedAvailable();

async function run(file: string): Promise<{ log: CompiledLog; mined: MineResult; s: LogSummary }> {
  const log = await importLog(path.join(CASES_DIR, file));
  const mined = await mineLog(log);
  return { log, mined, s: summarizeLog(log, mined) };
}

/** "A → B" → [count, [waiting durations sorted]] read from the mine result. */
function edges(log: CompiledLog, mined: MineResult): Record<string, [number, number, number]> {
  const out: Record<string, [number, number, number]> = {};
  for (const e of mined.edges) {
    if (e.from === START || e.to === END) continue;
    const key = `${log.activities[e.from]} → ${log.activities[e.to]}`;
    out[key] = [e.count, e.waiting.minMs ?? NaN, e.waiting.maxMs ?? NaN];
  }
  return out;
}


function variantsOf(s: LogSummary): [string, number][] {
  return s.variants.map((v) => [v.activities.join(','), v.count]);
}

describe.skipIf(!available)('shared cases, end to end', () => {
  it('02 reads fractional seconds of any length, or none', async () => {
    const { log, mined } = await run('02-xes-fractional-seconds.xes');
    expect(Array.from(log.time)).toEqual([1704873600000, 1704873600250, 1704873601500,
      1704873602123]);
    expect(edges(log, mined)).toEqual({
      'Order Received → Order Checked': [1, 250, 250],
      'Order Checked → Order Approved': [1, 1250, 1250],
      'Order Approved → Order Closed': [1, 623, 623],
    });
    expect(caseDurations(log)).toEqual({ [log.caseIds[0]]: 2123 });
    expect(mined.variants).toHaveLength(1);
    expect(mined.variants.at(0)?.activities).toHaveLength(4);
  });

  it('03 keeps nested and list attributes with their parent', async () => {
    const { log, mined, s } = await run('03-xes-nested-list.xes');
    expect([s.cases, s.events]).toEqual([1, 2]);
    expect([...log.activities].sort()).toEqual(['Invoice Created', 'Invoice Paid']);
    expect(edges(log, mined)).toEqual({
      'Invoice Created → Invoice Paid': [1, 172800000, 172800000],
    });
    expect(s.caseDurations.maxMs).toBe(172800000);
  });

  it('04 decodes entity and character references and keeps Unicode names', async () => {
    const { log, mined, s } = await run('04-xes-entities-unicode.xes');
    expect([...log.activities].sort()).toEqual(['Check & Approve', 'Crédit Vérifié',
      'Customer\'s "Reply"', 'Send <Reminder>', '請求書発行'].sort());
    expect(mined.activityCounts[log.activities.indexOf('Check & Approve')]).toBe(2);
    expect(edges(log, mined)).toEqual({
      'Check & Approve → Send <Reminder>': [1, 3600000, 3600000],
      'Send <Reminder> → Crédit Vérifié': [1, 3600000, 3600000],
      '請求書発行 → Check & Approve': [1, 1800000, 1800000],
      'Check & Approve → Customer\'s "Reply"': [1, 9000000, 9000000],
    });
    expect(s.variants).toHaveLength(2);
    expect(caseDurations(log)).toEqual({ c1: 7200000, c2: 10800000 });
  });

  it('05 rejects an external entity without opening it or echoing its content', async () => {
    const error = await importLog(path.join(CASES_DIR, '05-xes-external-entity.xes'))
      .then(() => null, (err: unknown) => err as { code?: string; message: string });
    expect(error?.code).toBe('LF_ERR_INGEST_BAD_XML');
    const { readFileSync } = await import('node:fs');
    const hostname = readFileSync('/etc/hostname', 'utf8').trim();
    if (hostname.length > 0) expect(error?.message).not.toContain(hostname);
  });

  it('06 reads gzip-compressed XES exactly as the plain file', async () => {
    const plain = await run('06-xes-gzip.xes');
    const gz = await run('06-xes-gzip.xes.gz');
    for (const r of [plain, gz]) {
      expect([r.s.cases, r.s.events]).toEqual([2, 5]);
      expect(edges(r.log, r.mined)).toEqual({
        'Order Received → Credit Check': [1, 1200000, 1200000],
        'Credit Check → Goods Shipped': [1, 6000000, 6000000],
        'Order Received → Goods Shipped': [1, 86400000, 86400000],
      });
      expect(r.s.startActivities).toEqual({ 'Order Received': 2 });
      expect(r.s.endActivities).toEqual({ 'Goods Shipped': 2 });
      expect(caseDurations(r.log)).toEqual({ c1: 7200000, c2: 86400000 });
    }
    expect({ ...gz.s, source: '' }).toEqual({ ...plain.s, source: '' });
  });

  it('08 takes start and end activities after sorting unsorted rows', async () => {
    const { log, mined, s } = await run('08-start-end-unsorted.csv');
    expect(s.startActivities).toEqual({ 'Order Received': 3 });
    expect(s.endActivities).toEqual({ 'Goods Shipped': 2, 'Order Received': 1 });
    expect(edges(log, mined)).toEqual({
      'Order Received → Credit Check': [1, 3000000, 3000000],
      'Credit Check → Goods Shipped': [1, 10800000, 10800000],
      'Order Received → Goods Shipped': [1, 3600000, 3600000],
    });
    expect(caseDurations(log)).toEqual({ c1: 13800000, c2: 3600000, c3: 0 });
    expect(s.variants).toHaveLength(3);
  });

  it('09 builds variants in time order, not row order', async () => {
    const { log, mined, s } = await run('09-variants-unsorted.csv');
    expect(variantsOf(s)).toEqual([
      ['Invoice Created,Reminder Sent,Payment Received', 2],
      ['Invoice Created,Payment Received', 1],
    ]);
    expect(edges(log, mined)).toEqual({
      'Invoice Created → Reminder Sent': [2, 600000, 600000],
      'Reminder Sent → Payment Received': [2, 600000, 600000],
      'Invoice Created → Payment Received': [1, 86400000, 86400000],
    });
    expect(caseDurations(log)).toEqual({ c1: 1200000, c2: 1200000, c3: 86400000 });
  });

  it('11 uses start timestamps for case duration, waiting and processing time', async () => {
    const { log, mined } = await run('11-case-duration-start-ts.csv');
    expect(caseDurations(log)).toEqual({ c1: 7200000, c2: 2700000 });
    const created = log.activities.indexOf('Invoice Created');
    const approved = log.activities.indexOf('Invoice Approved');
    const processing = mined.processingTimes;
    expect(processing?.[created].count).toBe(2);
    expect([processing?.[created].minMs, processing?.[created].maxMs]).toEqual([2700000, 3600000]);
    expect([processing?.[approved].count, processing?.[approved].maxMs]).toEqual([1, 1800000]);
    const edge = mined.edges.find((e) => e.from === created && e.to === approved);
    expect(edge?.count).toBe(1);
    expect(edge?.endToEnd?.sumMs).toBe(3600000);
    expect(edge?.waiting.sumMs).toBe(1800000);
  });

  it('12 keeps an event with an empty start as an instant event', async () => {
    const { log, mined, s } = await run('12-missing-start-ts.csv');
    expect([s.cases, s.events]).toEqual([2, 3]);
    const assessed = log.activities.indexOf('Claim Assessed');
    const filed = log.activities.indexOf('Claim Filed');
    expect(mined.processingTimes?.[assessed].maxMs).toBe(0);
    expect(mined.processingTimes?.[filed].maxMs).toBe(3600000);
    expect(caseDurations(log)).toEqual({ c1: 7200000, c2: 0 });
    const edge = mined.edges.find((e) => e.from === filed && e.to === assessed);
    expect([edge?.count, edge?.endToEnd?.sumMs, edge?.waiting.sumMs])
      .toEqual([1, 3600000, 3600000]);
  });

  it('14 pairs lifecycle start and complete into one activity instance', async () => {
    const { log, mined, s } = await run('14-lifecycle-pairing.xes');
    expect(log.info.lifecycle.rawEvents).toBe(6);
    expect(s.events).toBe(3);
    expect(variantsOf(s)).toEqual([['Review Document,Request Info,Review Document', 1]]);
    const e = edges(log, mined);
    expect(Object.keys(e).sort()).toEqual(['Request Info → Review Document',
      'Review Document → Request Info']);
    const review = log.activities.indexOf('Review Document');
    const info = log.activities.indexOf('Request Info');
    expect(mined.edges.find((x) => x.from === review && x.to === info)?.endToEnd?.sumMs)
      .toBe(1800000);
    expect(mined.edges.find((x) => x.from === info && x.to === review)?.endToEnd?.sumMs)
      .toBe(2400000);
    expect(mined.processingTimes?.[review].sumMs).toBe(3600000);
    expect(mined.processingTimes?.[info].sumMs).toBe(900000);
    expect(caseDurations(log)).toEqual({ c1: 6000000 });
  });

  it('15 keeps an empty trace as a case with the empty variant', async () => {
    const { log, mined, s } = await run('15-empty-trace.xes');
    expect([s.cases, s.events]).toEqual([4, 5]);
    // Ties in count keep first appearance: c3 (empty) comes before c4.
    expect(variantsOf(s)).toEqual([
      ['Ticket Opened,Ticket Closed', 2], ['', 1], ['Ticket Opened', 1],
    ]);
    expect(edges(log, mined)).toEqual({ 'Ticket Opened → Ticket Closed': [2, 3600000, 7200000] });
    expect(mined.edges.find((x) => x.from >= 0 && x.to >= 0)?.waiting.meanMs).toBe(5400000);
    expect(s.startActivities).toEqual({ 'Ticket Opened': 3 });
    expect(s.endActivities).toEqual({ 'Ticket Closed': 2, 'Ticket Opened': 1 });
    expect(caseDurations(log)).toEqual({ c1: 3600000, c2: 7200000, c3: null, c4: 0 });
    expect(s.caseDurations.emptyCases).toBe(1);
  });

  it('16 gives empty results for a header-only log', async () => {
    const { s } = await run('16-empty-log.csv');
    expect([s.cases, s.events, s.activities, s.variants.length, s.dfg.edges.length])
      .toEqual([0, 0, 0, 0, 0]);
    expect([s.startActivities, s.endActivities]).toEqual([{}, {}]);
    expect([s.caseDurations.count, s.caseDurations.meanMs, s.caseDurations.medianMs])
      .toEqual([0, null, null]);
  });

  it('18 drops the UTF-8 BOM and keeps non-ASCII names byte-exact', async () => {
    const { log, mined, s } = await run('18-csv-bom-unicode.csv');
    expect(log.info.mapping.case).toBe('case_id');
    expect([s.cases, s.events]).toEqual([3, 6]);
    expect(edges(log, mined)).toEqual({
      'Prüfung gestartet → Überweisung erhalten': [1, 4500000, 4500000],
      'Prüfung gestartet → Ærø kontrol': [1, 1800000, 1800000],
      'Ærø kontrol → 支払確認': [1, 5400000, 5400000],
    });
    expect(s.startActivities).toEqual({ 'Prüfung gestartet': 2, '📄 Document Filed': 1 });
    expect(caseDurations(log)).toEqual({ c1: 4500000, c2: 7200000, c3: 0 });
  });

  it('21 keeps dates outside the nanosecond range exactly', async () => {
    const { log, mined } = await run('21-far-dates.xes');
    expect(Array.from(log.time)).toEqual([31374312075371, 31374317475371, -10098172800000,
      -10098086400000]);
    expect(edges(log, mined)).toEqual({
      'Sample Taken → Sample Analysed': [2, 5400000, 86400000],
    });
    expect(caseDurations(log)).toEqual({ c1: 5400000, c2: 86400000 });
  });
});
