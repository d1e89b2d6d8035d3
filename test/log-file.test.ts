import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogBuilder } from '../src/log/log-builder.js';
import { loadCompiledLog, saveCompiledLog } from '../src/log/log-file.js';
import { parseIsoTimestamp } from '../src/ingest/timestamp.js';
import type { CompiledLog } from '../src/log/compiled-log.js';

const dir = await mkdtemp(path.join(tmpdir(), 'lf-logfile-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

function sampleLog(): CompiledLog {
  const b = new LogBuilder({ promoteCaseAttributes: true, parseTime: parseIsoTimestamp });
  const t = (s: string) => parseIsoTimestamp(s);
  b.addEvent('007', 'Invoice Created', t('2964-03-18T11:41:15.371-03:00'), NaN, null, 'ann');
  b.setEventAttribute('Region', 'EMEA');
  b.setEventAttribute('Due Date', '2964-04-18');
  b.addEvent('007', 'Payment Received', t('2964-03-19T11:41:15.371Z'), NaN, null, null);
  b.setEventAttribute('Payment Amount', '120.5');
  b.addEvent('7', 'Invoice Created', t('1650-01-01T00:00:00Z'), t('1649-12-31T23:00:00Z'));
  b.setEventAttribute('Region', 'NA');
  b.setEventAttribute('Automated', 'true');
  b.addCase('NA');
  return b.finish({ source: 'sample', format: 'csv', mapping: {}, skippedRows: {} });
}

describe('compiled log files', () => {
  it('round-trips every column, attribute and empty case exactly', async () => {
    const log = sampleLog();
    const file = path.join(dir, 'sample.arrow');
    await saveCompiledLog(log, file);
    const back = await loadCompiledLog(file);

    expect(back.caseIds).toEqual(['007', '7', 'NA']);
    expect(Array.from(back.offsets)).toEqual([0, 2, 3, 3]);
    expect(back.activities).toEqual(log.activities);
    expect(Array.from(back.activity)).toEqual(Array.from(log.activity));
    // 2964-03-18T14:41:15.371Z and 1650-01-01: far outside the nanosecond range, kept exactly.
    expect(back.time[0]).toBe(31374312075371);
    expect(back.time[2]).toBe(-10098172800000);
    expect(back.hasIntervals).toBe(true);
    expect(back.start[2]).toBe(-10098176400000);
    expect(Array.from(back.resource ?? [])).toEqual([0, -1, -1]);
    expect(back.caseAttributes.get('Region')).toEqual(log.caseAttributes.get('Region'));
    expect(back.caseAttributes.get('Due Date')?.kind).toBe('time');
    expect(back.eventAttributes.get('Payment Amount')).toEqual({
      kind: 'number', values: new Float64Array([NaN, 120.5, NaN]),
    });
    expect(back.info).toEqual(log.info);
  });

  it('leaves no temporary file behind', async () => {
    await saveCompiledLog(sampleLog(), path.join(dir, 'again.arrow'));
    const names = await readdir(dir);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(names).toContain('again.cases.arrow');
  });
});

describe('attribute typing', () => {
  it('keeps a declared string that looks like a number as text, and infers untyped text', () => {
    const b = new LogBuilder();
    b.addEvent('c1', 'A', 0);
    b.setEventAttribute('Costs', '50', 'string');
    b.setEventAttribute('amount', '12.5');
    b.addEvent('c1', 'B', 1);
    b.setEventAttribute('Costs', '0050', 'string');
    b.setEventAttribute('amount', '7');
    const log = b.finish({ source: 't', format: 'xes', mapping: {}, skippedRows: {} });
    expect(log.eventAttributes.get('Costs')).toEqual({
      kind: 'string', codes: new Int32Array([0, 1]), dictionary: ['50', '0050'],
    });
    expect(log.eventAttributes.get('amount')).toEqual({
      kind: 'number', values: new Float64Array([12.5, 7]),
    });
  });
});

describe('compiled logs through importLog', () => {
  it('recognises a large compiled log by its footer and keeps its case table', async () => {
    const { generateLog } = await import('../src/generate/index.js');
    const { importLog } = await import('../src/ingest/import-log.js');
    const log = generateLog({ invoices: 5_000, seed: 11 });
    const file = path.join(dir, 'generated.arrow');
    await saveCompiledLog(log, file);
    const { statSync } = await import('node:fs');
    // Larger than any fixed-size sniffing window at the start of the file.
    expect(statSync(file).size).toBeGreaterThan(1 << 17);
    const back = await importLog(file);
    expect(back.info.format).toBe('generated');
    expect([...back.caseAttributes.keys()]).toEqual([...log.caseAttributes.keys()]);
    expect(back.caseAttributes.get('Segment')).toEqual(log.caseAttributes.get('Segment'));
  });
});
