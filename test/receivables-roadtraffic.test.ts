/**
 * The road-traffic fines log (SOURCES.md: 150,370 cases) read as receivables through
 * examples/roadtraffic-roles.json. The expected figures were computed independently by a short
 * Python script over the raw XES (standard library only: iterparse, fromisoformat):
 * 150,370 fines, 69,715 with a Payment (share 0.463623…), mean 109.79528556744 days from Create
 * Fine to the last Payment, and 59,013 sent for credit collection (rate 0.392451…).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  computeReceivables, renderReceivables, type ReceivablesReport,
} from '../src/analysis/receivables/index.js';
import { mineReference } from '../src/engine/reference.js';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importXes } from '../src/ingest/xes/index.js';
import { DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rolesFile = path.join(here, '..', 'examples', 'roadtraffic-roles.json');

describe.skipIf(!sharedAvailable())('road-traffic fines as receivables', () => {
  let report: ReceivablesReport;
  const value = (id: string) => report.kpis.find((k) => k.id === id);

  it('imports the log and computes the report', async () => {
    const file = path.join(DATA_DIR, 'roadtraffic-fines.xes.gz');
    const log = await importXes(await byteSourceFromFile(file));
    expect(log.caseCount).toBe(150_370);
    report = computeReceivables(log, mineReference(log), {
      roles: JSON.parse(readFileSync(rolesFile, 'utf8')),
    });
    const lines = ['paid-share', 'days-to-pay', 'days-to-pay-km-median', 'dunning-rate']
      .map((id) => `${id}: ${value(id)?.value}`);
    console.log(`road-traffic fines as receivables\n  ${lines.join('\n  ')}`);
    console.log(renderReceivables(report).split('\n').slice(0, 40).join('\n'));
  }, 180_000);

  it('share of fines paid', () => {
    expect(value('paid-share')!.casesUsed).toBe(150_370);
    expect(value('paid-share')!.value).toBeCloseTo(69_715 / 150_370, 12);
  });

  it('days to pay over paid fines', () => {
    const k = value('days-to-pay')!;
    expect(k.casesUsed).toBe(69_715);
    expect(k.value).toBeCloseTo(109.79528556744, 6);
  });

  it('escalation (credit collection) rate', () => {
    expect(value('dunning-rate')!.value).toBeCloseTo(59_013 / 150_370, 12);
  });

  it('says which KPIs the log cannot support', () => {
    const missing = report.unavailable.map((u) => u.id);
    expect(missing).toContain('on-time-rate'); // no due date in the log
    expect(missing).toContain('promise-kept-rate');
    expect(missing).toContain('days-to-clear');
  });
});
