/**
 * Role mappings: validation naming the bad key, KPIs a log cannot support listed with a reason,
 * and the CLI flags. Expected values are from the hand-made fixture (see receivables.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  computeReceivables, defaultRoleMapping, parseRoleMapping,
} from '../src/analysis/receivables/index.js';
import { receivablesOptionsFromFlags } from '../src/cli/receivables-flags.js';
import { mineReference } from '../src/engine/reference.js';
import { isLedgerflowError } from '../src/errors.js';
import { LogBuilder } from '../src/log/log-builder.js';
import { handLog } from './fixtures/receivables/hand-log.js';

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('role mapping validation', () => {
  it('merges a partial mapping over the defaults', () => {
    const m = parseRoleMapping({ roles: { payment: ['Payment'] }, thresholds: { graceDays: 5 } });
    expect(m.roles.payment).toEqual(['Payment']);
    expect(m.roles.created).toEqual(['Invoice Created']);
    expect(m.thresholds).toEqual({ graceDays: 5, stuckDays: 30, smallDispute: 500 });
  });

  it.each([
    [{ roles: { paymnt: ['Payment'] } }, 'roles.paymnt'],
    [{ roles: { payment: { name: 'Paid' } } }, 'roles.payment'],
    [{ roles: { payment: [''] } }, 'roles.payment'],
    [{ roles: { payment: [3] } }, 'roles.payment'],
    [{ attributes: { amonut: 'x' } }, 'attributes.amonut'],
    [{ thresholds: { graceDays: -1 } }, 'thresholds.graceDays'],
    [{ role: {} }, 'role'],
  ])('rejects %j naming %s', (input, field) => {
    const err = errorOf(() => parseRoleMapping(input, 'roles.json'));
    expect(isLedgerflowError(err, 'LF_ERR_ANALYSIS_BAD_ROLES')).toBe(true);
    expect((err as { location: { field?: string } }).location.field).toBe(field);
    expect((err as Error).message).toContain('roles.json');
  });

  it('rejects text that is not JSON', () => {
    const err = errorOf(() => parseRoleMapping('{ roles: ', 'r.json'));
    expect(isLedgerflowError(err, 'LF_ERR_ANALYSIS_BAD_ROLES')).toBe(true);
  });
});

describe('a log missing roles or attributes', () => {
  it('computes what it can and lists the rest with the reason', () => {
    const log = handLog({ drop: ['Due Date', 'Promised Date'] });
    const roles = defaultRoleMapping();
    roles.roles.promise = ['Callback Agreed'];
    const r = computeReceivables(log, mineReference(log), { roles });
    const missing = Object.fromEntries(r.unavailable.map((u) => [u.id, u.reason]));
    expect(Object.keys(missing).sort()).toEqual(['days-past-due', 'on-time-rate',
      'promise-kept-rate']);
    expect(missing['promise-kept-rate']).toContain('role "promise"');
    expect(missing['on-time-rate']).toContain('"Due Date"');
    // Unaffected KPIs keep their hand-computed values (see receivables.test.ts).
    expect(r.kpis.find((k) => k.id === 'dispute-rate')!.value).toBeCloseTo(2 / 7, 12);
  });

  it('falls back to the first event as creation, and to payment as closing', () => {
    // Two invoices: x paid 10 days after its first event, y never paid (open at the end).
    const b = new LogBuilder();
    b.addEvent('x', 'Order Booked', Date.UTC(2024, 0, 1));
    b.addEvent('x', 'Payment', Date.UTC(2024, 0, 11));
    b.addEvent('y', 'Order Booked', Date.UTC(2024, 0, 5));
    const log = b.finish({ source: 't', format: 'test', mapping: {}, skippedRows: {} });
    const r = computeReceivables(log, mineReference(log), {
      roles: { roles: { payment: ['Payment'] } },
    });
    expect(r.kpis.find((k) => k.id === 'days-to-pay')!.value).toBe(10);
    expect(r.kpis.find((k) => k.id === 'open-at-cutoff-share')!.value).toBe(0.5);
    expect(r.unavailable.map((u) => u.id)).toContain('days-to-clear');
    expect(r.notes.join(' ')).toContain('first event');
  });

  it('refuses to group by an attribute the log does not have, naming it', () => {
    const log = handLog();
    const err = errorOf(() => computeReceivables(log, mineReference(log), { by: 'Colour' }));
    expect(isLedgerflowError(err, 'LF_ERR_OPTION_INVALID')).toBe(true);
    expect((err as Error).message).toContain('"Colour"');
    expect((err as Error).message).toContain('"Segment"');
  });
});

describe('receivables CLI flags', () => {
  it('reads a roles file, grouping, as-of and stuck days', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lf-roles-'));
    const file = path.join(dir, 'roles.json');
    writeFileSync(file, JSON.stringify({ roles: { payment: ['Paid'] } }));
    const options = receivablesOptionsFromFlags({
      roles: file, by: 'Region', 'as-of': '2024-12-31', 'stuck-days': '45',
    });
    expect((options.roles as { roles: { payment: string[] } }).roles.payment).toEqual(['Paid']);
    expect(options.by).toBe('Region');
    expect(options.asOf).toBe(Date.UTC(2024, 11, 31));
    expect(options.stuckDays).toBe(45);
  });

  it('names the bad flag', () => {
    const err = errorOf(() => receivablesOptionsFromFlags({ 'stuck-days': 'ten' }));
    expect(isLedgerflowError(err, 'LF_ERR_OPTION_INVALID')).toBe(true);
    expect((err as Error).message).toContain('--stuck-days');
    const missing = errorOf(() => receivablesOptionsFromFlags({ roles: '/nonexistent/r.json' }));
    expect(isLedgerflowError(missing, 'LF_ERR_ANALYSIS_BAD_ROLES')).toBe(true);
  });
});
