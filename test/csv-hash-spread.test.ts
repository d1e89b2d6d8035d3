/**
 * The CSV byte dictionaries' hash (fieldHash and the WASM scanner's hashBytes, which must
 * agree) on keys that differ only in the high byte of each four-byte word: ids such as
 * `INVa-00b-12c`. Oracle: counts of distinct hashes worked out from the birthday bound.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fieldHash } from '../src/ingest/fast-csv/byte-dictionary.js';
import { ColumnKind, type RangePlan } from '../src/ingest/fast-csv/range-plan.js';
import { parseFileRange } from '../src/ingest/fast-csv/read-range.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lf-csv-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 62 × 62 × 26 = 99,944 ids of 12 bytes that differ only in bytes 3, 7 and 11. */
function highByteIds(): string[] {
  const ids: string[] = [];
  for (const a of LETTERS) {
    for (const b of LETTERS) {
      for (const c of LETTERS.slice(0, 26)) ids.push(`INV${a}-00${b}-12${c}`);
    }
  }
  return ids;
}

describe('the CSV dictionaries hash', () => {
  it('spreads ids that differ only in the high byte of each word', () => {
    const ids = highByteIds();
    const hashes = new Set(ids.map((id) => {
      const bytes = Buffer.from(id, 'latin1');
      return fieldHash(bytes, 0, bytes.length);
    }));
    // By the birthday bound, 99,944 random 32-bit hashes have about 99,944² / 2³³ ≈ 1.2
    // pairs in common: at least 99,900 distinct (a hash where a word's high byte reaches
    // only the state's high byte gives 256 at most, each shared by ~390 ids).
    expect(ids.length).toBe(99_944);
    expect(hashes.size).toBeGreaterThanOrEqual(99_900);
  });

  it('the scanner hashes such ids as fieldHash does', () => {
    const ids = highByteIds().filter((_, k) => k % 50 === 0);
    const header = 'case,activity,time,note';
    const text = `${header}\n${ids.map((id) => `c1,A,2024-01-01,${id}`).join('\n')}\n`;
    const target = path.join(dir, 'ids.csv');
    writeFileSync(target, text);
    const plan: RangePlan = {
      delimiter: 44, width: 4,
      kinds: [ColumnKind.Text, ColumnKind.Text, ColumnKind.Time, ColumnKind.Text],
      required: [0, 1], caseColumn: 0, timezone: 'UTC', maxFieldBytes: 1 << 20,
      maxRowBytes: 1 << 22, spilled: [], spillDir: '',
    };
    const size = Buffer.byteLength(text);
    const range = parseFileRange(target, header.length + 1, size, plan, size, 1 << 20);
    expect(range.failure).toBe('');
    const notes = range.dictionaries[3];
    if (notes === null) throw new Error('the note column has no dictionary');
    expect(notes.size).toBe(ids.length);
    for (let code = 0; code < notes.size; code++) {
      const from = notes.starts[code];
      expect(notes.hashes[code]).toBe(fieldHash(notes.pool, from, from + notes.lengths[code]));
    }
  });
});
