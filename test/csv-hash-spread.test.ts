/**
 * The CSV byte dictionaries' hash (fieldHash and the WASM scanner's hashBytes, which must
 * agree) on keys that differ only in the high byte of each four-byte word (ids such as
 * `INVa-00b-12c`), and on keys written to share one hash: each word step can be undone, so
 * for an unseeded hash any value's hash can be given to other values, and an import of
 * such values probes its tables quadratically. Oracles: counts of distinct hashes worked out
 * from the birthday bound; the row importer's log.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importCsv } from '../src/ingest/csv/import-csv.js';
import { fieldHash } from '../src/ingest/fast-csv/byte-dictionary.js';
import { lastFastCsvDecline } from '../src/ingest/fast-csv/import-fast.js';
import { ColumnKind, type RangePlan } from '../src/ingest/fast-csv/range-plan.js';
import { parseFileRange } from '../src/ingest/fast-csv/read-range.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lf-csv-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const HASH_START = 0x811c9dc5 | 0;
const HASH_PRIME = 0x01000193;

/**
 * `count` distinct values of 8 bytes (ASCII `0` to `z`, no delimiter or quote) whose unseeded
 * hash is the same: the first word at random, the second chosen to bring the state after it
 * to one value (the state after the first word, folded as fieldHash folds it, xor the target
 * unfolded). Deterministic (a fixed LCG on the high bits).
 */
function collidingValues(count: number): string[] {
  const unfold = (h: number) => h ^ (h >>> 16);
  // The state before the second fold: the target's unfolding (x ^ x >>> 16 is its own
  // inverse for 32 bits), then undo the multiply by the prime's inverse mod 2^32.
  let inverse = HASH_PRIME;
  for (let k = 0; k < 5; k++) inverse = Math.imul(inverse, 2 - Math.imul(HASH_PRIME, inverse));
  const before = Math.imul(unfold(0x2468ace0), inverse);
  const values = new Set<string>();
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return 0x30 + ((state >>> 16) % 75);
  };
  while (values.size < count) {
    const first = [next(), next(), next(), next()];
    const w1 = first[0] | (first[1] << 8) | (first[2] << 16) | (first[3] << 24);
    const w2 = unfold(Math.imul(HASH_START ^ w1, HASH_PRIME)) ^ before;
    const second = [w2 & 255, (w2 >>> 8) & 255, (w2 >>> 16) & 255, w2 >>> 24];
    if (second.some((b) => b < 0x30 || b > 0x7a)) continue;
    values.add(String.fromCharCode(...first, ...second));
  }
  return [...values];
}

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

  it('values written to share the unseeded hash spread under a seed', () => {
    const values = collidingValues(2000);
    const hashOf = (value: string, seed: number) => {
      const bytes = Buffer.from(value, 'latin1');
      return fieldHash(bytes, 0, bytes.length, seed);
    };
    // By construction, one hash for all 2,000 without a seed. With one, a lookup walks
    // past the values that share its hash: a few at most (random hashes would share none).
    expect(new Set(values.map((v) => hashOf(v, 0))).size).toBe(1);
    for (const seed of [1, 0x5bd1e995, -7]) {
      const shared = new Map<number, number>();
      for (const v of values) shared.set(hashOf(v, seed), (shared.get(hashOf(v, seed)) ?? 0) + 1);
      expect(Math.max(...shared.values()), `seed ${seed}`).toBeLessThanOrEqual(3);
    }
  });

  it('an import of such values is the row importer\'s on one and three threads', async () => {
    const values = collidingValues(3000);
    const lines = values.map((v, i) => `c${i % 40},A${i % 3},` +
      `${new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString()},${v}`);
    const target = path.join(dir, 'colliding.csv');
    writeFileSync(target, `case,activity,time,note\n${lines.join('\n')}\n`);
    const rows = await importCsv(await byteSourceFromFile(target), {}, { fast: false });
    for (const threads of [1, 3]) {
      const fast = await importCsv(await byteSourceFromFile(target), {},
        { threads, parallelBytes: 0 });
      expect(lastFastCsvDecline).toBe('');
      expect(fast.eventAttributes.get('note')).toEqual(rows.eventAttributes.get('note'));
      expect(Array.from(fast.offsets)).toEqual(Array.from(rows.offsets));
    }
  }, 30_000);
});
