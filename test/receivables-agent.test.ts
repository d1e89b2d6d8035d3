/**
 * Grouping by agent (or any event-level value): each invoice belongs to its owner, the agent of
 * its last event up to the as-of date that carries one. Owners of the hand-made log below were
 * worked out by hand; on a generated log they are counted again from the generator's raw rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  computeReceivables, type KpiResult, type ReceivablesReport,
} from '../src/analysis/receivables/index.js';
import { receivablesOptionsFromFlags } from '../src/cli/receivables-flags.js';
import { mineReference } from '../src/engine/reference.js';
import { COL } from '../src/generate/columns.js';
import { LogGenerator } from '../src/generate/generator.js';
import { generateLog } from '../src/generate/to-log.js';
import type { CompiledLog } from '../src/log/compiled-log.js';
import { LogBuilder } from '../src/log/log-builder.js';
import { createServer } from '../src/server/index.js';

type Row = [invoice: string, activity: string, time: string, agent: string | null];

// A: dunned by Ann, promise taken by Bob, then paid (no agent) → owner Bob.
// B: dunned by Ann only → Ann.  C: never touched by an agent → no owner.
// D: dunned by Bob in March, dispute opened by Ann in May → Ann; as of April 1st → Bob.
// E: Ann and Cy at the same instant, Cy later in the file → Cy (file order kept on ties).
const ROWS: Row[] = [
  ['A', 'Invoice Created', '2024-01-01T00:00Z', null],
  ['A', 'Dunning Letter Sent', '2024-02-05T00:00Z', 'Ann'],
  ['A', 'Promise To Pay', '2024-02-07T00:00Z', 'Bob'],
  ['A', 'Payment Received', '2024-02-20T00:00Z', null],
  ['B', 'Invoice Created', '2024-01-02T00:00Z', null],
  ['B', 'Dunning Letter Sent', '2024-02-10T00:00Z', 'Ann'],
  ['C', 'Invoice Created', '2024-01-03T00:00Z', null],
  ['C', 'Payment Received', '2024-01-30T00:00Z', null],
  ['D', 'Invoice Created', '2024-01-04T00:00Z', null],
  ['D', 'Dunning Letter Sent', '2024-03-01T00:00Z', 'Bob'],
  ['D', 'Dispute Opened', '2024-05-01T00:00Z', 'Ann'],
  ['E', 'Invoice Created', '2024-01-05T00:00Z', null],
  ['E', 'Dunning Letter Sent', '2024-02-15T00:00Z', 'Ann'],
  ['E', 'Promise To Pay', '2024-02-15T00:00Z', 'Cy'],
];

// The agent as the log's resource (as the template import maps it), or as an event attribute.
function agentLog(as: 'resource' | 'attribute'): CompiledLog {
  const b = new LogBuilder();
  for (const [invoice, activity, time, agent] of ROWS) {
    b.addEvent(invoice, activity, Date.parse(time), NaN, null, as === 'resource' ? agent : null);
    if (as === 'attribute' && agent !== null) b.setEventAttribute('Agent', agent);
  }
  const mapping: Record<string, string> = as === 'resource' ? { resource: 'Agent' } : {};
  return b.finish({ source: 'agents', format: 'test', mapping, skippedRows: {} });
}

function report(log: CompiledLog, by: string, asOf?: string): ReceivablesReport {
  return computeReceivables(log, mineReference(log), { by, asOf });
}

// dispute-rate counts every invoice in scope, so its casesUsed is the group's invoice count.
function sizes(r: ReceivablesReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const g of r.by!.groups) out[g.label!] = kpiOf(g.kpis, 'dispute-rate').casesUsed;
  return out;
}

function kpiOf(kpis: KpiResult[], id: string): KpiResult {
  const k = kpis.find((x) => x.id === id);
  if (k === undefined) throw new Error(`KPI ${id} missing`);
  return k;
}

describe('grouping by agent on a hand-made log', () => {
  it.each(['resource', 'attribute'] as const)('owners by the last agent (agent as %s)', (as) => {
    const r = report(agentLog(as), 'agent');
    expect(sizes(r)).toEqual({ Ann: 2, Bob: 1, Cy: 1 });
    expect(r.by!.ungrouped).toBe(1);
    expect(r.by!.scope).toBe(as === 'resource' ? 'resource' : 'event');
    expect(r.by!.rule).toMatch(/last event up to the as-of date/);
    // Ann owns B and D; only D has a dispute: 1 of 2.
    const ann = r.by!.groups.find((g) => g.label === 'Ann')!.kpis;
    expect(kpiOf(ann, 'dispute-rate').value).toBe(0.5);
  });

  it('reads owners only up to the as-of date', () => {
    // As of April 1st, D's last agent is Bob (March); Ann's May dispute is not seen yet.
    const r = report(agentLog('resource'), 'agent', '2024-04-01');
    expect(sizes(r)).toEqual({ Ann: 1, Bob: 2, Cy: 1 });
  });

  it('takes `resource` and the source column name as the resource too', () => {
    expect(sizes(report(agentLog('resource'), 'resource'))).toEqual({ Ann: 2, Bob: 1, Cy: 1 });
    expect(sizes(report(agentLog('resource'), 'Agent'))).toEqual({ Ann: 2, Bob: 1, Cy: 1 });
  });

  it('groups by any event attribute by the same rule', () => {
    // Dispute Reason is carried by one event of D only.
    const b = new LogBuilder();
    for (const [invoice, activity, time] of ROWS) {
      b.addEvent(invoice, activity, Date.parse(time));
      if (activity === 'Dispute Opened') b.setEventAttribute('Dispute Reason', 'Pricing');
    }
    const log = b.finish({ source: 'reasons', format: 'test', mapping: {}, skippedRows: {} });
    const r = report(log, 'Dispute Reason');
    expect(sizes(r)).toEqual({ Pricing: 1 });
    expect(r.by!.ungrouped).toBe(4);
  });

  it('names the case and event attributes when the attribute is unknown', () => {
    expect(() => report(agentLog('attribute'), 'Colour')).toThrow(/"Agent"/);
  });

  it('the CLI flag passes agent through', () => {
    expect(receivablesOptionsFromFlags({ by: 'agent' }).by).toBe('agent');
  });

  it('HTTP /kpis?by=agent groups an uploaded CSV by its Agent column', async () => {
    const csv = ['Invoice,Activity,Timestamp,Agent',
      ...ROWS.map(([inv, act, time, agent]) => `${inv},${act},${time},${agent ?? ''}`)].join('\n');
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lf-agent-'));
    const app = await createServer({ dataDir, logLevel: false });
    try {
      const up = await app.inject({ method: 'POST', url: '/logs?name=agents.csv', payload: csv,
        headers: { 'content-type': 'application/octet-stream' } });
      expect(up.statusCode, up.body).toBe(201);
      const r = await app.inject({ url: `/logs/${up.json().id}/kpis?by=agent` });
      expect(r.statusCode, r.body).toBe(200);
      expect(sizes(r.json() as ReceivablesReport)).toEqual({ Ann: 2, Bob: 1, Cy: 1 });
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('grouping by agent on a generated log', () => {
  const options = { invoices: 4000, seed: 77 };
  const log = generateLog(options);
  const r = report(log, 'agent');

  it('matches owners counted from the raw generated rows', () => {
    // Independent count: from the generator's rows (not the compiled log), each customer's one
    // collector, and per collector the invoices that have at least one row with an agent, and
    // of those the ones dunned.
    const collectorOf = new Map<string, string>();
    const owned = new Map<string, number>();
    const dunned = new Map<string, number>();
    for (const rows of new LogGenerator(options).invoices()) {
      const agents = rows.filter((row) => row[COL.agent] !== null);
      if (agents.length === 0) continue;
      for (const row of agents) {
        const known = collectorOf.get(row[COL.customer]);
        expect(known ?? row[COL.agent]).toBe(row[COL.agent]); // one collector per customer
        collectorOf.set(row[COL.customer], row[COL.agent]!);
      }
      const agent = collectorOf.get(rows[0][COL.customer])!;
      owned.set(agent, (owned.get(agent) ?? 0) + 1);
      if (rows.some((row) => row[COL.activity] === 'Dunning Letter Sent')) {
        dunned.set(agent, (dunned.get(agent) ?? 0) + 1);
      }
    }
    expect(owned.size).toBeGreaterThan(1);
    expect(sizes(r)).toEqual(Object.fromEntries(owned));
    for (const g of r.by!.groups) {
      const expected = (dunned.get(g.label!) ?? 0) / owned.get(g.label!)!;
      expect(kpiOf(g.kpis, 'dunning-rate').value).toBeCloseTo(expected, 12);
    }
    let total = 0;
    for (const n of owned.values()) total += n;
    expect(r.by!.ungrouped).toBe(options.invoices - total);
  });
});
