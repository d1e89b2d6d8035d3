/**
 * Edges of the columnar CSV import's number columns: files where the head's proposal meets
 * the other reasons to read a file again, and values at the edges of plain decimals. Oracle:
 * the row importer (`fast: false`) for whole logs; the path taken (declined or not, read
 * again or not) is what the file's layout implies, worked out by hand.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importCsv } from '../src/ingest/csv/import-csv.js';
import {
  lastFastCsvDecline, lastFastCsvNumbersDemoted, lastFastCsvRetried,
} from '../src/ingest/fast-csv/import-fast.js';
import { plainNumberColumns } from '../src/ingest/fast-csv/number-columns.js';
import { loadCompiledLog, saveCompiledLog } from '../src/log/log-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lf-fast-csv-number-edges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const workerFile = fileURLToPath(new URL('./fixtures/fast-csv/ts-worker.mjs', import.meta.url));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Rows of two events a case, an amount on each (`amountOf(row)`) and a note. */
function rows(count: number, amountOf: (i: number) => string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const second = String(i % 60).padStart(2, '0');
    lines.push(`c${Math.floor(i / 2)},A${i % 3},2024-01-01T00:00:${second}Z,${amountOf(i)},n`);
  }
  return lines;
}
const header = 'case,activity,time,amount,note';

describe('number columns read again', () => {
  it('as text and on one range, when the cut\'s nonsense hides the non-number', async () => {
    // About 1.09 MB. The head (256 KB) holds only plain amounts and no quote, so the amount
    // column is proposed. Row 11,000 (at about 427 KB) opens a quoted note of 100,000 lines
    // "xx" that the two-thread cut (at 5/8 of the data, about 680 KB) falls inside: the
    // second range fails on its first line (too narrow) and the file is read on one range,
    // which meets "oops" in the amount column at row 19,000 (about 1.05 MB). The file must
    // then be read a third time, as text on one range, not given to the row importer.
    const lines = rows(20_000, (i) => `${i}.5`);
    lines[11_000] = lines[11_000].replace(/,n$/, `,"${'xx\n'.repeat(100_000)}"`);
    lines[19_000] = lines[19_000].replace(/,[^,]*,n$/, ',oops,n');
    const text = `${header}\n${lines.join('\n')}\n`;
    expect(text.indexOf('"')).toBeGreaterThan(256 * 1024);
    expect(text.indexOf('"')).toBeLessThan(text.length * 5 / 8);
    expect(text.lastIndexOf('"')).toBeGreaterThan(text.length * 5 / 8);
    const file = write('both-retries.csv', text);
    const slow = await importCsv(await byteSourceFromFile(file), {}, { fast: false });
    const fast = await importCsv(await byteSourceFromFile(file), {},
      { threads: 2, parallelBytes: 0, workerFile });
    expect(lastFastCsvDecline).toBe('');
    expect([lastFastCsvRetried, lastFastCsvNumbersDemoted]).toEqual([true, true]);
    expect(fast).toEqual(slow);
  }, 30_000);
});

describe('spilled number columns', () => {
  it('across a chunk edge (65,536 rows), written or held where no file can be made', async () => {
    // 65,541 rows: one full chunk and five rows, an amount on most (every fifth empty). The
    // spill folder that does not exist leaves every chunk in memory (code-spill.ts).
    const lines = rows(65_541, (i) => (i % 5 === 0 ? '' : `${i % 1000}.${i % 7}`));
    const text = `${header}\n${lines.join('\n')}\n`;
    // The head proposes the amount (column 3), not the note.
    expect(plainNumberColumns(Buffer.from(text), header.length + 1, 44, 5, [3, 4])).toEqual([3]);
    const file = write('chunks.csv', text);
    const slow = await importCsv(await byteSourceFromFile(file), {}, { fast: false });
    for (const spillDir of [undefined, path.join(dir, 'no', 'such', 'folder')]) {
      const fast = await importCsv(await byteSourceFromFile(file), {},
        { threads: 1, parallelBytes: 0, workerFile, spillBytes: 0, spillDir });
      expect([lastFastCsvDecline, lastFastCsvNumbersDemoted]).toEqual(['', false]);
      expect(fast, String(spillDir)).toEqual(slow);
    }
  }, 30_000);
});

describe('values at the edges of plain decimals', () => {
  it('give the row importer\'s log, read as numbers or read again as text', async () => {
    // Each value goes once at row 9,000 (about 380 KB, past the head's 256 KB of amounts)
    // and once in the last field of the last row, with no final line break. By hand: those
    // in `numbers` are plain decimals and keep the column numeric; the others demote it.
    const numbers = ['9007199254740991', '5.', '-0', '"12.5"', '""', `0.${'0'.repeat(21)}1`];
    const others = ['9007199254740992', `0.${'0'.repeat(22)}1`, '-007', '\u0661\u0662', '-'];
    for (const value of [...numbers, ...others]) {
      for (const at of [9_000, 9_999]) {
        const lines = rows(10_000, (i) => (i === at ? value : `${i}.25`))
          .map((line) => line.replace(/,n$/, ''));
        const file = write('edge.csv', `case,activity,time,amount\n${lines.join('\n')}`);
        const slow = await importCsv(await byteSourceFromFile(file), {}, { fast: false });
        const fast = await importCsv(await byteSourceFromFile(file), {},
          { threads: 1, parallelBytes: 0, workerFile });
        expect(lastFastCsvDecline, `${value} at ${at}`).toBe('');
        expect(lastFastCsvNumbersDemoted, `${value} at ${at}`).toBe(others.includes(value));
        expect(fast, `${value} at ${at}`).toEqual(slow);
      }
    }
  }, 30_000);

  it('"0" and "-0" in one case are one value: a case attribute, the first event\'s', async () => {
    // Case c0's rows say "0" then "-0" (a second later), every other case one amount twice.
    const lines = rows(10_000, (i) => (i === 0 ? '0' : i === 1 ? '-0' : `${Math.floor(i / 2)}.5`));
    const file = write('zeros.csv', `${header}\n${lines.join('\n')}\n`);
    const slow = await importCsv(await byteSourceFromFile(file), {}, { fast: false });
    const fast = await importCsv(await byteSourceFromFile(file), {},
      { threads: 1, parallelBytes: 0, workerFile });
    expect([lastFastCsvDecline, lastFastCsvNumbersDemoted]).toEqual(['', false]);
    expect(fast).toEqual(slow);
    const amount = fast.caseAttributes.get('amount') as { values: Float64Array };
    expect(Object.is(amount.values[0], 0)).toBe(true);
    expect(amount.values[1]).toBe(1.5);
  }, 30_000);
});

describe('case ids made when read', () => {
  it('the row importer\'s, however the log is first read', async () => {
    // Ids that are numbers ("10023", "-0"), quoted with a delimiter or a doubled quote, and
    // non-ASCII; 200 cases of 150 events.
    const stems = ['10023', '"a""b', 'ü-ß', '"x,y', '0007', '-0', '日本', '10023.'];
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const stem = stems[i % 8];
      const id = `${stem}${Math.floor(i / 1200)}${stem.startsWith('"') ? '"' : ''}`;
      const second = String(i % 60).padStart(2, '0');
      lines.push(`${id},A${i % 3},2024-01-01T00:00:${second}Z,${i}.5`);
    }
    const file = write('ids.csv', `case,activity,time,amount\n${lines.join('\n')}\n`);
    const slow = await importCsv(await byteSourceFromFile(file), {}, { fast: false });
    // By hand: the first ids in order of first appearance.
    expect(slow.caseIds.slice(0, 4)).toEqual(['100230', 'a"b0', 'ü-ß0', 'x,y0']);
    // Frozen, on two ranges (their dictionaries merged); the other reads on one.
    const fast = async (threads = 1) => {
      const log = await importCsv(await byteSourceFromFile(file), {},
        { threads, parallelBytes: 0, workerFile });
      expect(lastFastCsvDecline).toBe('');
      return log;
    };
    const frozen = Object.freeze(await fast(2));
    expect(frozen.caseIds).toEqual(slow.caseIds);
    expect(frozen.caseIds).toBe(frozen.caseIds);
    expect(JSON.stringify(await fast())).toBe(JSON.stringify(slow));
    expect(structuredClone(await fast())).toEqual(structuredClone(slow));
    expect({ ...await fast() }).toEqual({ ...slow });
    const saved = path.join(dir, 'ids.arrow');
    await saveCompiledLog(await fast(), saved);
    expect((await loadCompiledLog(saved)).caseIds).toEqual(slow.caseIds);
  }, 30_000);
});
