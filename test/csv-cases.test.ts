import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../src/ingest/csv/index.js';
import { CASES_DIR, DATA_DIR, sharedAvailable } from './helpers/shared-data.js';
import {
  boundaryActivities, caseDurations, dfg, fileSource, variants,
} from './fixtures/csv/log-helpers.js';

const load = (dir: string, name: string) => importCsv(fileSource(path.join(dir, name)));
const edge = (edges: ReturnType<typeof dfg>, key: string) => edges.get(key);

// Expected values are those of /work/shared/cases/README.md, per case number.
describe.skipIf(!sharedAvailable())('shared CSV cases', () => {
  it('08: start/end activities and durations of unsorted rows', async () => {
    const log = await load(CASES_DIR, '08-start-end-unsorted.csv');
    expect(boundaryActivities(log, false)).toEqual({ 'Order Received': 3 });
    expect(boundaryActivities(log, true)).toEqual({ 'Goods Shipped': 2, 'Order Received': 1 });
    const edges = dfg(log);
    expect(edges.size).toBe(3);
    expect(edge(edges, 'Order Received → Credit Check'))
      .toEqual({ count: 1, durations: [3000000] });
    expect(edge(edges, 'Credit Check → Goods Shipped'))
      .toEqual({ count: 1, durations: [10800000] });
    expect(edge(edges, 'Order Received → Goods Shipped'))
      .toEqual({ count: 1, durations: [3600000] });
    expect(caseDurations(log)).toEqual({ c1: 13800000, c2: 3600000, c3: 0 });
    expect(variants(log).size).toBe(3);
  });

  it('09: variants of shuffled rows', async () => {
    const log = await load(CASES_DIR, '09-variants-unsorted.csv');
    expect(Object.fromEntries(variants(log))).toEqual({
      'Invoice Created,Reminder Sent,Payment Received': 2,
      'Invoice Created,Payment Received': 1,
    });
    const edges = dfg(log);
    expect(edge(edges, 'Invoice Created → Reminder Sent'))
      .toEqual({ count: 2, durations: [600000, 600000] });
    expect(edge(edges, 'Reminder Sent → Payment Received'))
      .toEqual({ count: 2, durations: [600000, 600000] });
    expect(edge(edges, 'Invoice Created → Payment Received'))
      .toEqual({ count: 1, durations: [86400000] });
    expect(caseDurations(log)).toEqual({ c1: 1200000, c2: 1200000, c3: 86400000 });
  });

  it('11: case durations use the start-timestamp column', async () => {
    const log = await load(CASES_DIR, '11-case-duration-start-ts.csv');
    expect(log.info.mapping)
      .toMatchObject({ startTimestamp: 'start_timestamp', timestamp: 'end_timestamp' });
    expect(caseDurations(log)).toEqual({ c1: 7200000, c2: 2700000 });
    const processing = (k: number) => log.time[k] - log.start[k];
    expect([0, 1, 2].map(processing)).toEqual([3600000, 1800000, 2700000]);
    const edges = dfg(log);
    expect(edge(edges, 'Invoice Created → Invoice Approved'))
      .toEqual({ count: 1, durations: [3600000] });
    // waiting time = next start − previous end
    expect(log.start[1] - log.time[0]).toBe(1800000);
  });

  it('12: an empty start makes an instant event, the row is kept', async () => {
    const log = await load(CASES_DIR, '12-missing-start-ts.csv');
    expect([log.caseCount, log.eventCount]).toEqual([2, 3]);
    expect(log.time[0] - log.start[0]).toBe(3600000);
    expect(log.time[1] - log.start[1]).toBe(0);
    expect(caseDurations(log)).toEqual({ c1: 7200000, c2: 0 });
    expect(edge(dfg(log), 'Claim Filed → Claim Assessed'))
      .toEqual({ count: 1, durations: [3600000] });
    expect(log.start[1] - log.time[0]).toBe(3600000);
  });

  it('16: a header alone is an empty log', async () => {
    const log = await load(CASES_DIR, '16-empty-log.csv');
    expect([log.caseCount, log.eventCount, log.activities.length]).toEqual([0, 0, 0]);
    expect(variants(log).size).toBe(0);
    expect(dfg(log).size).toBe(0);
    expect(boundaryActivities(log, false)).toEqual({});
  });

  it('18: BOM dropped, non-ASCII names byte-exact', async () => {
    const log = await load(CASES_DIR, '18-csv-bom-unicode.csv');
    expect(log.info.mapping.case).toBe('case_id');
    expect([log.caseCount, log.eventCount]).toEqual([3, 6]);
    const edges = dfg(log);
    expect(edge(edges, 'Prüfung gestartet → Überweisung erhalten'))
      .toEqual({ count: 1, durations: [4500000] });
    expect(edge(edges, 'Prüfung gestartet → Ærø kontrol'))
      .toEqual({ count: 1, durations: [1800000] });
    expect(edge(edges, 'Ærø kontrol → 支払確認'))
      .toEqual({ count: 1, durations: [5400000] });
    expect(boundaryActivities(log, false))
      .toEqual({ 'Prüfung gestartet': 2, '📄 Document Filed': 1 });
    expect(caseDurations(log)).toEqual({ c1: 4500000, c2: 7200000, c3: 0 });
  });
});

// Counts from SOURCES.md; directly-follows counts and summed durations from a short Python
// script (csv.DictReader, events sorted per case by (time, row), sepsis times read as UTC with
// strptime '%Y/%m/%d %H:%M:%S.%f', road-traffic times with datetime.fromisoformat):
//   sepsis: Leucocytes→CRP 1778 (Σ 36713940000 ms), CRP→Leucocytes 1445 (Σ 64532040000),
//           ER Registration→ER Triage 971 (Σ 617033000); 846 variants;
//           starts ER Registration 995, ends Release A 393
//   road traffic: Create Fine→Send Fine 77 (Σ 555778800000), Create Fine→Payment 23
//           (Σ 18061200000), Add penalty→Send for Credit Collection 36 (Σ 1441548000000);
//           10 variants; N77802: Create Fine 1111532400000, Send Fine 1121983200000
describe.skipIf(!sharedAvailable())('shared public CSV logs', () => {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  it('sepsis-cases.csv: semicolons, slash dates, 1,050 / 15,214 / 16', async () => {
    const log = await load(DATA_DIR, 'sepsis-cases.csv');
    expect([log.caseCount, log.eventCount, log.activities.length]).toEqual([1050, 15214, 16]);
    const edges = dfg(log);
    expect(edge(edges, 'Leucocytes → CRP')?.count).toBe(1778);
    expect(sum(edge(edges, 'Leucocytes → CRP')!.durations)).toBe(36713940000);
    expect(edge(edges, 'CRP → Leucocytes')?.count).toBe(1445);
    expect(sum(edge(edges, 'CRP → Leucocytes')!.durations)).toBe(64532040000);
    expect(edge(edges, 'ER Registration → ER Triage')?.count).toBe(971);
    expect(sum(edge(edges, 'ER Registration → ER Triage')!.durations)).toBe(617033000);
    expect(variants(log).size).toBe(846);
    expect(boundaryActivities(log, false)['ER Registration']).toBe(995);
    expect(boundaryActivities(log, true)['Release A']).toBe(393);
    // Case attributes sit on the first row only; they land in the case table.
    expect(log.caseAttributes.has('Age')).toBe(true);
  });

  it('roadtraffic-fines-100traces.csv: mixed offsets, 100 / 390 / 10', async () => {
    const log = await load(DATA_DIR, 'roadtraffic-fines-100traces.csv');
    expect([log.caseCount, log.eventCount, log.activities.length]).toEqual([100, 390, 10]);
    const edges = dfg(log);
    expect(edge(edges, 'Create Fine → Send Fine')?.count).toBe(77);
    expect(sum(edge(edges, 'Create Fine → Send Fine')!.durations)).toBe(555778800000);
    expect(edge(edges, 'Create Fine → Payment')?.count).toBe(23);
    expect(sum(edge(edges, 'Create Fine → Payment')!.durations)).toBe(18061200000);
    expect(edge(edges, 'Add penalty → Send for Credit Collection')?.count).toBe(36);
    expect(sum(edge(edges, 'Add penalty → Send for Credit Collection')!.durations))
      .toBe(1441548000000);
    expect(variants(log).size).toBe(10);
    const c = log.caseIds.indexOf('N77802');
    expect(Array.from(log.time.subarray(log.offsets[c], log.offsets[c + 1])))
      .toEqual([1111532400000, 1121983200000]);
  });
});
