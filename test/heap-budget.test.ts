/**
 * The row importers' guard against filling V8's heap with distinct texts (heap-budget.ts).
 * Oracles: the budget worked out by hand, and a child process with a 128 MB heap that must
 * end with the typed error instead of V8's fatal out-of-memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLedgerflowError } from '../src/errors.js';
import { checkTextsHeld } from '../src/ingest/heap-budget.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lf-heap-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CHILD = path.join(import.meta.dirname, 'hostile', 'heap-child.mjs');

describe('the heap budget of the row importers', () => {
  it('lets through texts within half the heap, refuses past it, naming the line', () => {
    // By hand: 1,000 texts of 8 characters need 1,000 x 64 + 8,000 = 72,000 bytes; half of a
    // 144,000-byte heap is 72,000.
    expect(() => checkTextsHeld('f.csv', 10, 1000, 8000, 64, 144_000)).not.toThrow();
    let refused: unknown = null;
    try {
      checkTextsHeld('f.csv', 10, 1000, 8000, 64, 143_999);
    } catch (err) {
      refused = err;
    }
    expect(isLedgerflowError(refused, 'LF_ERR_INGEST_TOO_LARGE')).toBe(true);
    expect((refused as { location: unknown }).location).toEqual({ file: 'f.csv', line: 10 });
  });

  it('a CSV of distinct texts past a small heap ends in the typed error, not a crash', () => {
    // 600,000 rows, each with a new case id and two new texts: 1.8 M distinct texts need
    // about 130 MB by the budget, past half of a 128 MB heap, so the import stops at a check.
    const lines = ['case,activity,time,a,b'];
    for (let i = 0; i < 600_000; i++) {
      lines.push(`c${i},A,2024-01-01T00:00:00Z,a${i},b${i}`);
    }
    const file = path.join(dir, 'distinct.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const child = spawnSync(process.execPath, ['--max-old-space-size=128', CHILD, file],
      { encoding: 'utf8', timeout: 120_000 });
    expect(child.status, child.stderr).toBe(0);
    const outcome = JSON.parse(child.stdout.trim()) as { code?: string; location?: unknown };
    expect(outcome.code).toBe('LF_ERR_INGEST_TOO_LARGE');
    expect(outcome.location).toMatchObject({ file: 'distinct.csv' });
  }, 150_000);

  it('an XES file of distinct texts read by the JavaScript readers: the typed error too', () => {
    // 700,000 traces, each with a new case id, a new case attribute and a new event
    // attribute: 2.1 M distinct texts, about 200 MB by the budget, in a 128 MB heap. The WASM
    // scanner (which makes its strings only at the end) is turned off, so the readers that
    // make them as they go are the ones held to the budget.
    const file = path.join(dir, 'distinct.xes');
    const traces: string[] = [];
    for (let i = 0; i < 700_000; i++) {
      traces.push(`<trace><string key="concept:name" value="case-${i}"/>` +
        `<string key="a" value="a-${i}"/><event><string key="concept:name" value="A"/>` +
        `<date key="time:timestamp" value="2024-01-01T00:00:00.000Z"/>` +
        `<string key="b" value="b-${i}"/></event></trace>`);
    }
    writeFileSync(file, '<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" ' +
      `xmlns="http://www.xes-standard.org/">\n${traces.join('\n')}\n</log>\n`);
    const child = spawnSync(process.execPath, ['--max-old-space-size=128', CHILD, file], {
      encoding: 'utf8', timeout: 120_000, env: { ...process.env, LEDGERFLOW_XES_WASM: '0' },
    });
    expect(child.status, child.stderr).toBe(0);
    const outcome = JSON.parse(child.stdout.trim()) as { code?: string; location?: unknown };
    expect(outcome.code).toBe('LF_ERR_INGEST_TOO_LARGE');
    expect(outcome.location).toMatchObject({ file: 'distinct.xes' });
  }, 150_000);
});
