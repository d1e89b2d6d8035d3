/**
 * The columnar CSV import must give exactly the log of the row importer (today's path, forced
 * with `fast: false`): every column, dictionary order, notes, skipped-row counts, and the same
 * error (code and place) for every file it declines. Oracles: the row importer for whole logs;
 * SOURCES.md for the shared logs' counts; values worked out by hand where written.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateToFile } from '../src/generate/generate-to-file.js';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importCsv } from '../src/ingest/csv/import-csv.js';
import { lastFastCsvDecline, lastFastCsvRetried } from '../src/ingest/fast-csv/import-fast.js';
import type { ImportOptions } from '../src/ingest/import-options.js';
import { CASES_DIR, DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lf-fast-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const workerFile = fileURLToPath(new URL('./fixtures/fast-csv/ts-worker.mjs', import.meta.url));

type Outcome = { log?: unknown; notes: string[]; error?: { code: unknown; location: unknown } };

async function run(file: string, options: ImportOptions, settings: object): Promise<Outcome> {
  const notes: string[] = [];
  const source = await byteSourceFromFile(file);
  try {
    const log = await importCsv(source, { ...options, onNote: (n) => notes.push(n) }, settings);
    return { log, notes };
  } catch (err) {
    const e = err as { code: unknown; location: unknown };
    return { notes, error: { code: e.code, location: e.location } };
  }
}

/**
 * Imports `file` with the row importer and with the columnar one on each count of threads;
 * expects the same outcome, and says whether the columnar path took the file (not declined).
 * Worker threads load the TypeScript sources through a transpiler (seconds each), so most
 * files are read on one thread here, and a few chosen ones on three.
 */
async function same(
  file: string, options: ImportOptions = {}, threadCounts = [1],
): Promise<boolean> {
  const slow = await run(file, options, { fast: false });
  let taken = true;
  for (const threads of threadCounts) {
    const fast = await run(file, options, { threads, parallelBytes: 0, workerFile });
    if (lastFastCsvDecline !== '') taken = false;
    expect(fast, `${path.basename(file)} on ${threads} thread(s)`).toEqual(slow);
  }
  return taken;
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe.skipIf(!sharedAvailable())('shared CSVs', () => {
  it('every CSV of the shared data and cases: the same log as the row importer', async () => {
    const files = [path.join(DATA_DIR, 'sepsis-cases.csv'),
      path.join(DATA_DIR, 'roadtraffic-fines-100traces.csv'),
      ...readdirSync(CASES_DIR).filter((f) => f.endsWith('.csv'))
        .map((f) => path.join(CASES_DIR, f))];
    for (const file of files) await same(file);
  });

  it('sepsis and road traffic go the columnar way, with SOURCES.md counts', async () => {
    const sepsis = path.join(DATA_DIR, 'sepsis-cases.csv');
    expect(await same(sepsis, {}, [1, 3])).toBe(true);
    const log = await importCsv(await byteSourceFromFile(sepsis), {}, { workerFile });
    // SOURCES.md: 1,050 cases, 15,214 events, 16 activities.
    expect([log.caseCount, log.eventCount, log.activities.length]).toEqual([1050, 15214, 16]);
    const road = path.join(DATA_DIR, 'roadtraffic-fines-100traces.csv');
    expect(await same(road)).toBe(true);
    const fines = await importCsv(await byteSourceFromFile(road), {}, { workerFile });
    // SOURCES.md: 100 cases, 390 events, 10 activities.
    expect([fines.caseCount, fines.eventCount, fines.activities.length]).toEqual([100, 390, 10]);
  }, 180_000);
});

describe('generated receivables logs', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: the same log on 1 and 3 threads`, async () => {
      const file = path.join(dir, `generated-${seed}.csv`);
      await generateToFile(file, { invoices: 1500, seed, format: 'csv' });
      expect(await same(file, {}, seed === 1 ? [1, 3] : [1])).toBe(true);
      expect(await same(file, { timezone: 'Europe/Amsterdam' }, seed === 2 ? [1, 2] : [1]))
        .toBe(true);
    }, 180_000);
  }
});

describe('hand-made files', () => {
  const header = 'case,activity,time,amount,note\n';
  const rows = [
    'c1,A,2024-01-01T10:00:00Z,10.50,x',
    'c2,A,2024-01-01T09:00:00+02:00,007,',
    'c1,B,2024-01-01 11:00:00.5,10.50,"with, comma"',
    'c2,"B ""quoted""",2024-01-02,8,"two\nlines"',
    'c3,Ü,2024-03-31T02:30:00,1e3,ÿ',
    'c1,C,2024-01-01T11:00:00.123456,10.50,',
  ];

  it('quotes, escaped quotes, a line break in a field, CRLF, a BOM, missing values', async () => {
    const text = header + rows.join('\n') + '\n';
    expect(await same(write('mixed.csv', text), {}, [1, 3])).toBe(true);
    expect(await same(write('mixed-crlf.csv', '\uFEFF' + text.replaceAll('\n', '\r\n'))))
      .toBe(true);
    expect(await same(write('mixed-nofinal.csv', text.trimEnd() + ','), {})).toBe(false);
    expect(await same(write('mixed-blank.csv', header + '\n' + rows.join('\n\n') + '\n\n')))
      .toBe(true);
    expect(await same(write('mixed-zone.csv', text), { timezone: 'Europe/Amsterdam' }))
      .toBe(true);
    const log = await importCsv(await byteSourceFromFile(path.join(dir, 'mixed.csv')), {},
      { workerFile });
    // By hand: activities in order of first appearance; c2's second activity is unescaped.
    expect(log.activities).toEqual(['A', 'B', 'B "quoted"', 'Ü', 'C']);
    // Case c1 in time order: A at 2024-01-01T10:00:00Z = 1704103200000 ms, then C at 11:00
    // plus 123 ms (only three fraction digits count), then B at 11:00 plus 500 ms.
    expect(Array.from(log.time.subarray(0, 3))).toEqual([1704103200000, 1704106800123,
      1704106800500]);
  });

  it('day-first and month-first dates decided by the column, as the row importer', async () => {
    const dayFirst = 'case,activity,time\nc1,A,01/02/2024 10:00\nc1,B,13/02/2024 10:00\n';
    expect(await same(write('day-first.csv', dayFirst))).toBe(true);
    const monthFirst = 'case,activity,time\nc1,A,01/02/2024 10:00\nc1,B,02/13/2024 10:00\n';
    expect(await same(write('month-first.csv', monthFirst))).toBe(true);
    const log = await importCsv(await byteSourceFromFile(path.join(dir, 'month-first.csv')),
      {}, { workerFile });
    // By hand: 01/02 read month-first is 2024-01-02T10:00Z = 1704189600000.
    expect(log.time[0]).toBe(1704189600000);
    const undecided = 'case,activity,time\nc1,A,01/02/2024 10:00\nc1,B,03/02/2024 10:00\n';
    expect(await same(write('undecided.csv', undecided))).toBe(true);
    const mixed = 'case,activity,time\nc1,A,13/02/2024\nc1,B,02/13/2024\n';
    expect(await same(write('mixed-order.csv', mixed))).toBe(false);
  });

  it('lifecycle and start columns', async () => {
    const text = 'case,activity,time,lifecycle:transition,start_timestamp,org:resource\n' +
      'c1,A,2024-01-01T10:00:00Z,start,,r1\nc1,A,2024-01-01T11:00:00Z,complete,,\n' +
      'c1,B,2024-01-01T12:00:00Z,complete,2024-01-01T11:30:00Z,r2\n' +
      'c2,A,2024-01-01T12:00:00Z,schedule,,r1\n';
    expect(await same(write('lifecycle.csv', text))).toBe(true);
  });

  it('bad rows: the same error, or the same skipped counts', async () => {
    const cases: [string, string][] = [
      ['wide.csv', 'case,activity,time\nc1,A,2024-01-01,x\n'],
      ['empty-case.csv', 'case,activity,time\nc1,A,2024-01-01\n,A,2024-01-02\n'],
      ['bad-time.csv', 'case,activity,time\nc1,A,2024-01-01\nc1,B,2024-02-30\n'],
      ['bad-quote.csv', 'case,activity,time\nc1,"A"x,2024-01-01\n'],
      ['open-quote.csv', 'case,activity,time\nc1,"A,2024-01-01\n'],
      ['lone-cr.csv', 'case,activity,time\rc1,A,2024-01-01\r'],
      ['no-column.csv', 'case,what,time\nc1,A,2024-01-01\n'],
      ['bad-utf8.csv', 'case,activity,time\nc1,A\xff,2024-01-01\n'],
    ];
    for (const [name, text] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, Buffer.from(text, name === 'bad-utf8.csv' ? 'latin1' : 'utf8'));
      expect(await same(file), name).toBe(false);
      expect(await same(file, { skipBadRows: true }), name).toBe(false);
    }
  });

  it('a quoted line break across a cut between threads still reads the same', async () => {
    const lines = ['case,activity,time,note'];
    for (let i = 0; i < 400; i++) {
      const note = i % 50 === 7 ? `"${'line\n'.repeat(40)}"` : 'n';
      lines.push(`c${i % 13},A${i % 5},2024-01-01T00:${String(i % 60).padStart(2, '0')}:00Z,` +
        note);
    }
    await same(write('quoted-cuts.csv', lines.join('\n') + '\n'), {}, [2, 3, 4]);
  }, 180_000);

  it('a cut that surely lands inside a quoted field: read again on one thread, not declined',
    async () => {
      // Row 3's note holds 3,000 line breaks, about 90 % of the file's bytes, so the cut for
      // two threads (near the middle) falls inside it and the second range reads nonsense.
      const text = 'case,activity,time,note\n' +
        'c1,A,2024-01-01T00:00:00Z,a\nc1,B,2024-01-02T00:00:00Z,b\n' +
        `c2,A,2024-01-03T00:00:00Z,"${'x,y\n'.repeat(3000)}"\n` +
        'c2,B,2024-01-04T00:00:00Z,d\n';
      const file = write('cut-in-quotes.csv', text);
      expect(await same(file, {}, [2])).toBe(true);
      expect(lastFastCsvRetried).toBe(true);
      // By hand: the note of c2's first event is the 3,000 lines, unchanged.
      const log = await importCsv(await byteSourceFromFile(file), {},
        { threads: 2, parallelBytes: 0, workerFile });
      const note = log.eventAttributes.get('note');
      const texts = note?.kind === 'string' ? Array.from(note.codes, (c) => note.dictionary[c])
        : [];
      expect(texts[2]).toBe('x,y\n'.repeat(3000));
    }, 120_000);
});
