/**
 * The `ledgerflow` command as a user runs it (needs `npm run build`, which `npm ci` runs).
 * Expected values come from ../shared/cases/README.md and ../shared/data/SOURCES.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CASES_DIR, DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

const bin = path.resolve(import.meta.dirname, '..', 'bin', 'ledgerflow.js');
const work = mkdtempSync(path.join(tmpdir(), 'lf-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function ledgerflow(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('ledgerflow CLI', () => {
  it('analyze --json prints the documented keys for a shared case', () => {
    if (!sharedAvailable()) return;
    const { code, out } = ledgerflow('analyze', path.join(CASES_DIR, '08-start-end-unsorted.csv'),
      '--json');
    expect(code).toBe(0);
    const s = JSON.parse(out);
    expect([s.cases, s.events, s.activities]).toEqual([3, 6, 3]);
    // 08: c1 08:10 → 12:00, c2 14:00 → 15:00, c3 10:00, all on 2024-08-30.
    expect(s.timeSpan).toEqual({ start: '2024-08-30T08:10:00.000Z',
      end: '2024-08-30T15:00:00.000Z' });
    expect(s.startActivities).toEqual({ 'Order Received': 3 });
    expect(s.endActivities).toEqual({ 'Goods Shipped': 2, 'Order Received': 1 });
    expect(s.variants.map((v: { count: number }) => v.count)).toEqual([1, 1, 1]);
    const edge = s.dfg.edges.find((e: { from: string; to: string }) =>
      e.from === 'Order Received' && e.to === 'Credit Check');
    expect([edge.count, edge.meanMs, edge.medianMs]).toEqual([1, 3000000, 3000000]);
    expect([s.caseDurations.count, s.caseDurations.meanMs]).toEqual([3,
      (13800000 + 3600000 + 0) / 3]);
  });

  it('ingest writes a compiled log that analyze reads back with the same answers', () => {
    if (!sharedAvailable()) return;
    const source = path.join(DATA_DIR, 'running-example.xes');
    const compiled = path.join(work, 'running.arrow');
    expect(ledgerflow('ingest', source, '-o', compiled).code).toBe(0);
    const direct = JSON.parse(ledgerflow('analyze', source, '--json').out);
    const reloaded = JSON.parse(ledgerflow('analyze', compiled, '--json').out);
    // SOURCES.md: running example, 6 cases, 42 events, 8 activities.
    expect([direct.cases, direct.events, direct.activities]).toEqual([6, 42, 8]);
    expect({ ...reloaded, format: '' }).toEqual({ ...direct, format: '' });
  });

  it('a bad timestamp fails with a code, the file, the line and the value', () => {
    const file = path.join(work, 'bad.csv');
    writeFileSync(file, 'case,activity,timestamp\nc1,A,2024-01-01 10:00:00\nc1,B,yesterday\n');
    const { code, err } = ledgerflow('analyze', file);
    expect(code).toBe(1);
    expect(err).toContain('LF_ERR_INGEST_BAD_TIMESTAMP');
    expect(err).toContain('bad.csv');
    expect(err).toContain('line 3');
    expect(err).toContain('yesterday');
  });

  it('--skip-bad-rows goes on and counts what it skipped', () => {
    const file = path.join(work, 'skip.csv');
    writeFileSync(file, 'case,activity,timestamp\nc1,A,2024-01-01 10:00:00\nc1,B,never\n' +
      'c1,C,2024-01-01 11:00:00\n');
    const { code, out } = ledgerflow('analyze', file, '--skip-bad-rows', '--json');
    expect(code).toBe(0);
    const s = JSON.parse(out);
    expect(s.events).toBe(2);
    expect(Object.values(s.skippedRows)).toEqual([1]);
  });

  it('generate is deterministic per seed and template writes both files', () => {
    const a = path.join(work, 'a.csv');
    const b = path.join(work, 'b.csv');
    expect(ledgerflow('generate', '--invoices', '50', '--seed', '7', '-o', a).code).toBe(0);
    expect(ledgerflow('generate', '--invoices', '50', '--seed', '7', '-o', b).code).toBe(0);
    const first = JSON.parse(ledgerflow('analyze', a, '--json').out);
    const second = JSON.parse(ledgerflow('analyze', b, '--json').out);
    expect(first.cases).toBe(50);
    // Every KPI carries the documented fields, and the case counts add up to the invoices.
    const kpis = first.receivables.kpis as Record<string, unknown>[];
    expect(kpis.length).toBeGreaterThan(10);
    for (const kpi of kpis) {
      expect(Object.keys(kpi)).toEqual(expect.arrayContaining(['id', 'value', 'unit',
        'definition', 'casesUsed', 'casesSkipped']));
    }
    const dispute = kpis.find((k) => k.id === 'dispute-rate');
    expect((dispute?.casesUsed as number) + (dispute?.casesSkipped as number)).toBe(50);
    const unnamed = (r: { source: string; receivables: object }) =>
      ({ ...r, source: '', receivables: { ...r.receivables, source: '' } });
    expect(unnamed(second)).toEqual(unnamed(first));
    expect(ledgerflow('template', '-o', work).code).toBe(0);
    const filled = JSON.parse(ledgerflow('analyze', path.join(work, 'ledgerflow-template.xlsx'),
      '--json').out);
    const csv = JSON.parse(ledgerflow('analyze', path.join(work, 'ledgerflow-template.csv'),
      '--json').out);
    expect(filled.cases).toBeGreaterThan(0);
    expect({ ...unnamed(filled), format: '' }).toEqual({ ...unnamed(csv), format: '' });
  });

  it('unknown commands and flags exit 2 with usage', () => {
    expect(ledgerflow('frobnicate').code).toBe(2);
    const bad = ledgerflow('analyze', 'x.csv', '--no-such-flag');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('Usage: ledgerflow analyze');
  });
});
