/**
 * Random CSVs through the columnar path with every attribute column spilled (spillBytes 0),
 * on one to three threads, against the row importer (`fast: false`), the oracle: codes that
 * pass 127 within a range or only once ranges merge, columns empty until late, numbers that
 * turn textual late, quoted and multi-byte fields, lifecycle, resource and start columns.
 * After each file, no spill descriptor is open and nothing is left in the spill folder. On
 * more threads a cut inside a quoted line break may send the file to the row importer.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importCsv } from '../src/ingest/csv/import-csv.js';
import { lastFastCsvDecline } from '../src/ingest/fast-csv/import-fast.js';
import { openSpillFiles } from './helpers/spill-descriptors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lf-spill-property-'));
const spillDir = mkdtempSync(path.join(dir, 'spill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const workerFile = fileURLToPath(new URL('./fixtures/fast-csv/ts-worker.mjs', import.meta.url));

/** How one attribute column's cells are made, row by row. */
type ColumnRule =
  | { kind: 'grows'; every: number } | { kind: 'few'; values: number }
  | { kind: 'late'; from: number } | { kind: 'textLate'; from: number }
  | { kind: 'quoted' } | { kind: 'multibyte'; values: number } | { kind: 'empty' };

const QUOTED = ['"a,b"', '"say ""hi"""', '"two\nlines"', 'plain', ''];
const LETTERS = ['\u00e9', 'e\u0301', '\u20ac', '\u4e2d', '\u{1f600}'];

function cellOf(rule: ColumnRule, row: number, pick: number): string {
  switch (rule.kind) {
    case 'grows': return `g${Math.floor(row / rule.every)}`;
    case 'few': return `f${pick % rule.values}`;
    case 'late': return row < rule.from ? '' : `l${row}`;
    case 'textLate': return row === rule.from ? 'n/a' : `${pick % 500}.5`;
    case 'quoted': return QUOTED[pick % QUOTED.length];
    case 'multibyte': return `${LETTERS[pick % LETTERS.length]}${pick % rule.values}`;
    default: return '';
  }
}

const ruleArb: fc.Arbitrary<ColumnRule> = fc.oneof(
  fc.record({ kind: fc.constant('grows' as const), every: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('few' as const), values: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('late' as const), from: fc.integer({ min: 0, max: 1500 }) }),
  fc.record({ kind: fc.constant('textLate' as const), from: fc.integer({ min: 0, max: 1500 }) }),
  fc.record({ kind: fc.constant('quoted' as const) }),
  fc.record({ kind: fc.constant('multibyte' as const), values: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('empty' as const) }),
);

const fileArb = fc.record({
  rows: fc.integer({ min: 1, max: 1500 }),
  cases: fc.integer({ min: 1, max: 200 }),
  activities: fc.integer({ min: 1, max: 200 }),
  roles: fc.record({ resource: fc.boolean(), lifecycle: fc.boolean(), start: fc.boolean() }),
  rules: fc.array(ruleArb, { maxLength: 6 }),
  picks: fc.array(fc.nat(), { minLength: 16, maxLength: 16 }),
});

type FileShape = typeof fileArb extends fc.Arbitrary<infer T> ? T : never;

function csvOf(shape: FileShape): string {
  const { roles, rules, picks } = shape;
  const header = ['case', 'activity', 'time'];
  if (roles.resource) header.push('Resource');
  if (roles.lifecycle) header.push('lifecycle:transition');
  if (roles.start) header.push('start_timestamp');
  rules.forEach((_, k) => header.push(`a${k}`));
  const lines = [header.join(',')];
  for (let row = 0; row < shape.rows; row++) {
    // A cheap spread of values from the drawn numbers: every cell still varies by row.
    const pick = (k: number) => (picks[k % picks.length] + row * (k * 2 + 1)) % 100_003;
    const day = String(1 + (pick(1) % 28)).padStart(2, '0');
    const fields = [`k${pick(2) % shape.cases}`, `A${pick(3) % shape.activities}`,
      `2024-01-${day}T${String(pick(4) % 24).padStart(2, '0')}:00:00Z`];
    if (roles.resource) fields.push(pick(5) % 4 === 0 ? '' : `R${pick(5) % 150}`);
    if (roles.lifecycle) fields.push(['start', 'complete', 'other', ''][pick(6) % 4]);
    if (roles.start) fields.push(pick(7) % 3 === 0 ? '' : `2023-12-${day}T00:00:00Z`);
    rules.forEach((rule, k) => fields.push(cellOf(rule, row, pick(8 + k))));
    lines.push(fields.join(','));
  }
  return lines.join('\n') + '\n';
}


async function outcome(file: string, settings: object): Promise<unknown> {
  try {
    return { log: await importCsv(await byteSourceFromFile(file), {}, settings) };
  } catch (err) {
    return { error: (err as { code: unknown }).code };
  }
}

describe('spilled columns against the row importer', () => {
  it('random files give the row importer\'s log on 1, 2 and 3 threads', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(fileArb, async (shape) => {
      const file = path.join(dir, `random-${n++}.csv`);
      writeFileSync(file, csvOf(shape));
      const slow = await outcome(file, { fast: false });
      for (const threads of [1, 2, 3]) {
        const fast = await outcome(file,
          { threads, parallelBytes: 0, workerFile, spillBytes: 0, spillDir });
        expect(fast, `${threads} thread(s)`).toEqual(slow);
        // One range has no cut to guess wrong: the columnar path must have read the file.
        if (threads === 1) expect(lastFastCsvDecline).toBe('');
      }
      expect(openSpillFiles()).toBe(0);
      expect(readdirSync(spillDir)).toEqual([]);
    }), { numRuns: 12 });
  }, 240_000);
});
