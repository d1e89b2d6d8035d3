/**
 * The columnar CSV path's byte dictionaries and their merge across thread ranges, and the
 * previous-row match of the field scan. Oracles: codes and texts worked out by hand (written
 * beside each case), and the row importer (`fast: false`) for whole logs.
 */
import {
  mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { byteSourceFromFile } from '../src/ingest/byte-source.js';
import { importCsv } from '../src/ingest/csv/import-csv.js';
import { ByteDictionary } from '../src/ingest/fast-csv/byte-dictionary.js';
import { lastFastCsvDecline } from '../src/ingest/fast-csv/import-fast.js';
import { openSpillFiles } from './helpers/spill-descriptors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lf-fast-csv-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const workerFile = fileURLToPath(new URL('./fixtures/fast-csv/ts-worker.mjs', import.meta.url));

/** A dictionary holding `texts` added in this order; returns it and their codes. */
function dictionaryOf(texts: string[]): { dict: ByteDictionary; codes: number[] } {
  const dict = new ByteDictionary();
  const codes = texts.map((t) => {
    const bytes = Buffer.from(t, 'utf8');
    return dict.code(bytes, 0, bytes.length);
  });
  return { dict, codes };
}

describe('ByteDictionary', () => {
  it('codes by first appearance; texts decoded once, as written', () => {
    const { dict, codes } = dictionaryOf(['b', 'a', 'b', '', 'a', 'c']);
    // By hand: b → 0, a → 1, '' → 2, c → 3.
    expect(codes).toEqual([0, 1, 0, 2, 1, 3]);
    expect(dict.values()).toEqual(['b', 'a', '', 'c']);
  });

  it('a merge where the second range repeats, reorders and adds values', () => {
    const first = dictionaryOf(['x', 'y', 'z']).dict;
    const second = dictionaryOf(['z', 'w', 'x', 'v', 'y']).dict;
    const merged = new ByteDictionary(first.bytes());
    // By hand: z, x, y are already 2, 0, 1; w and v are new, in that order: 3 and 4.
    expect(Array.from(merged.merge(second.bytes()))).toEqual([2, 3, 0, 4, 1]);
    const third = dictionaryOf(['v', 'u']).dict;
    // v was added by the second range (4); u is new (5).
    expect(Array.from(merged.merge(third.bytes()))).toEqual([4, 5]);
    expect(merged.values()).toEqual(['x', 'y', 'z', 'w', 'v', 'u']);
  });

  it('values that differ only in the bytes of multi-byte UTF-8 stay apart', () => {
    // é precomposed (C3 A9), e + combining acute (65 CC 81), ê (C3 AA), ü (C3 BC): four texts
    // that a lossy or Latin-1 decode would merge or garble.
    const texts = ['caf\u00e9', 'cafe\u0301', 'caf\u00ea', 'caf\u00fc'];
    const first = dictionaryOf([texts[0], texts[2]]).dict;
    const second = dictionaryOf([texts[3], texts[1], texts[2], texts[0]]).dict;
    const merged = new ByteDictionary(first.bytes());
    // By hand: ü and e+◌́ are new (2, 3); ê and é are 1 and 0.
    expect(Array.from(merged.merge(second.bytes()))).toEqual([2, 3, 1, 0]);
    expect(merged.values()).toEqual([texts[0], texts[2], texts[3], texts[1]]);
  });

  it('decodes only the entries after the known ones, ASCII or not', () => {
    // The first range's texts are decoded early; the merge decodes the rest onto them. Here
    // the known part is multi-byte and the added part ASCII, then the other way round.
    for (const [known, added] of [[['\u00fc\u00e9'], ['ab', 'c']], [['ab'], ['\u20ac', 'x']]]) {
      const merged = new ByteDictionary(dictionaryOf(known).dict.bytes());
      merged.merge(dictionaryOf(added).dict.bytes());
      expect(merged.values([...known])).toEqual([...known, ...added]);
    }
  });

  it('decodes a pool of several megabytes, entries longer than a megabyte included', () => {
    // ASCII pools are read a megabyte window at a time: entries cross windows and outgrow one.
    const long = 'L'.repeat(1_500_000);
    const texts = Array.from({ length: 300_000 }, (_, i) => `id-${i}`);
    texts.splice(100_000, 0, long, `${long}!`);
    const { dict } = dictionaryOf(texts);
    const values = dict.values();
    expect(values.length).toBe(300_002);
    expect(values[99_999]).toBe('id-99999');
    expect(values[100_000]).toBe(long);
    expect(values[100_001]).toBe(`${long}!`);
    expect(values[100_002]).toBe('id-100000');
    expect(values[300_001]).toBe('id-299999');
    expect(values.every((v, k) => v === texts[k])).toBe(true);
  });

  it('grows past its first table and pool, keeping every code', () => {
    const texts = Array.from({ length: 5000 }, (_, i) => `value-${i}-${'x'.repeat(i % 40)}`);
    const { dict, codes } = dictionaryOf([...texts, ...texts]);
    // By hand: the first 5,000 are new (0 … 4,999), the repeats find the same codes.
    expect(codes).toEqual([...texts.keys(), ...texts.keys()]);
    expect(dict.values()).toEqual(texts);
    const again = new ByteDictionary(dict.bytes());
    expect(Array.from(again.merge(dictionaryOf(texts.slice(0, 3)).dict.bytes())))
      .toEqual([0, 1, 2]);
  });
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function outcome(file: string, settings: object): Promise<unknown> {
  const source = await byteSourceFromFile(file);
  try {
    return { log: await importCsv(source, {}, settings) };
  } catch (err) {
    return { error: (err as { code: unknown }).code };
  }
}

/** Puts an environment variable back as it was (deleted when it was unset). */
function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/**
 * Expects the row importer's outcome on 1, 2 and 3 threads (with `settings` on top); true
 * when none declined.
 */
async function sameAsRows(
  file: string, threadCounts = [1, 2, 3], settings: object = {},
): Promise<boolean> {
  const slow = await outcome(file, { fast: false });
  let taken = true;
  for (const threads of threadCounts) {
    const fast = await outcome(file, { threads, parallelBytes: 0, workerFile, ...settings });
    if (lastFastCsvDecline !== '') taken = false;
    expect(fast, `${path.basename(file)} on ${threads} thread(s)`).toEqual(slow);
  }
  return taken;
}

describe('merged ranges against the row importer', () => {
  it('cases and activities that span the cuts, repeat, reorder and appear late', async () => {
    // Nine rows cut in two or three ranges of about equal bytes: k1 and each activity occur
    // in every range, k2 and k4 on both sides of a cut, k5 only in the last. Activity texts
    // differ only in multi-byte letters (é / e+◌́ / ê).
    const acts = ['Pr\u00fcf \u00e9', 'Pr\u00fcf e\u0301', 'Pr\u00fcf \u00ea'];
    const picks: [string, number][] = [
      ['k1', 0], ['k2', 1], ['k1', 1], ['k3', 0], ['k2', 2], ['k4', 0], ['k1', 2], ['k5', 1],
      ['k4', 2], ['k1', 0],
    ];
    const rows = picks.map(([c, a], i) => `${c},${acts[a]},2024-01-${String(i + 1)
      .padStart(2, '0')}T00:00:00Z`);
    const file = write('spans.csv', `case,activity,time\n${rows.join('\n')}\n`);
    expect(await sameAsRows(file)).toBe(true);
    const log = await importCsv(await byteSourceFromFile(file), {},
      { threads: 3, parallelBytes: 0, workerFile });
    // By hand: cases and activities in order of first appearance in the file.
    expect(log.caseIds).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
    expect(log.activities).toEqual([acts[0], acts[1], acts[2]]);
  }, 120_000);

  it('a quoted field holding the delimiter is no prefix for the next row', async () => {
    // Row 1's note is the text `a,b`; row 2's unquoted fields `a` and `b` must stay two
    // fields (a wrongly reused previous field would read `a,b` and shift the row).
    const text = 'case,activity,note,extra,time\n' +
      'c1,A,"a,b",z,2024-01-01T00:00:00Z\n' +
      'c1,B,a,b,2024-01-02T00:00:00Z\n' +
      'c1,C,a,b,2024-01-03T00:00:00Z\n' +
      'c1,D,"a\nb",y,2024-01-04T00:00:00Z\n' +
      'c1,E,a,b,2024-01-05T00:00:00Z\n';
    const file = write('quoted-prefix.csv', text);
    expect(await sameAsRows(file, [1])).toBe(true);
    const log = await importCsv(await byteSourceFromFile(file), {}, { workerFile });
    // By hand: notes a,b / a / a / a⏎b / a, in file (and time) order.
    const note = log.eventAttributes.get('note');
    expect(note?.kind).toBe('string');
    const values = note?.kind === 'string' ? Array.from(note.codes, (c) => note.dictionary[c]) : [];
    expect(values).toEqual(['a,b', 'a', 'a', 'a\nb', 'a']);
  }, 60_000);

  it('repeated values across a block boundary (more than one 4 MiB block)', async () => {
    // 60,000 rows of about 110 bytes: two blocks; every case repeats on 6 rows in a row.
    const lines = ['case,activity,time,customer,amount'];
    for (let i = 0; i < 60_000; i++) {
      const c = Math.floor(i / 6);
      lines.push(`INV-${String(c).padStart(8, '0')},Step ${i % 6},` +
        `2024-01-01T${String(i % 24).padStart(2, '0')}:00:00Z,` +
        `Customer with a fairly long name ${c % 97},${(c * 7.31).toFixed(2)}${'0'.repeat(30)}`);
    }
    expect(await sameAsRows(write('blocks.csv', lines.join('\n') + '\n'), [1, 2])).toBe(true);
  }, 180_000);

  it('codes that outgrow one and then two bytes, in one range and across ranges', async () => {
    // Codes are kept as narrow as each dictionary allows (1, 2 or 4 bytes) and widened as it
    // grows. 40,000 rows, cut in up to three ranges: `grows` is new on every row (its codes
    // pass 127 and 32,767 within the first range); `late` is empty until row 30,000, then
    // new on every row; `split` has 100 values in the first half and 100 others after (each
    // range fits a byte, the merged file does not); `amount` is a new decimal on every row.
    const lines = ['case,activity,time,grows,late,split,amount'];
    for (let i = 0; i < 40_000; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const split = i < 20_000 ? `s${i % 100}` : `t${i % 100}`;
      lines.push(`c${i % 500},A${i % 3},2024-01-${day}T00:00:00Z,g${i},` +
        `${i >= 30_000 ? `l${i}` : ''},${split},${i}.5`);
    }
    const file = write('widths.csv', lines.join('\n') + '\n');
    expect(await sameAsRows(file)).toBe(true);
    // The same with the attribute columns spilled to a file while parsed (code-spill.ts).
    expect(await sameAsRows(file, [1, 2, 3], { spillBytes: 0 })).toBe(true);
    const log = await importCsv(await byteSourceFromFile(file), {},
      { threads: 3, parallelBytes: 0, workerFile });
    // By hand: every row's own text, read back through its code.
    const grows = log.eventAttributes.get('grows');
    expect(grows?.kind).toBe('string');
    if (grows?.kind !== 'string') return;
    expect(grows.dictionary.length).toBe(40_000);
    const texts = new Set(Array.from(grows.codes, (c) => grows.dictionary[c]));
    expect(texts.size).toBe(40_000);
    expect(texts.has('g39999') && texts.has('g128') && texts.has('g32768')).toBe(true);
  }, 180_000);
});

describe('attribute columns spilled while parsed', () => {
  it('chunks of several widths, read back remapped, with nothing left open or behind', async () => {
    // 150,000 rows: a range holds more than one 65,536-row chunk. `code` gets a new value
    // every 300 rows, so its first chunk fits a byte and later ones need two; `amount` is a
    // new decimal on every 7th row (a number column: shifted, not remapped); `note` is empty
    // but for every 1,000th row.
    const lines = ['case,activity,time,code,amount,note'];
    for (let i = 0; i < 150_000; i++) {
      const second = String(i % 60).padStart(2, '0');
      lines.push(`c${i % 4000},A${i % 5},2024-02-01T10:00:${second}Z,k${Math.floor(i / 300)},` +
        `${Math.floor(i / 7)}.25,${i % 1000 === 0 ? `n${i}` : ''}`);
    }
    const file = write('chunks.csv', lines.join('\n') + '\n');
    const spillDir = mkdtempSync(path.join(dir, 'spill-'));
    const before = openSpillFiles();
    expect(await sameAsRows(file, [1, 2, 3], { spillBytes: 0, spillDir })).toBe(true);
    expect(openSpillFiles()).toBe(before);
    expect(readdirSync(spillDir)).toEqual([]);
    const log = await importCsv(await byteSourceFromFile(file), {},
      { threads: 2, parallelBytes: 0, workerFile, spillBytes: 0, spillDir });
    // By hand: 150,000 / 300 = 500 distinct codes, in order k0 … k499.
    const code = log.eventAttributes.get('code');
    expect(code?.kind).toBe('string');
    if (code?.kind === 'string') expect(code.dictionary.slice(0, 3)).toEqual(['k0', 'k1', 'k2']);
    expect(code?.kind === 'string' ? code.dictionary.length : 0).toBe(500);
  }, 240_000);

  it('a folder where no file can be made: the codes stay in memory, same log', async () => {
    const lines = ['case,activity,time,region'];
    for (let i = 0; i < 2_000; i++) {
      lines.push(`c${i % 50},A${i % 4},2024-03-01T00:00:${String(i % 60).padStart(2, '0')}Z,` +
        `r${i % 9}`);
    }
    const file = write('no-spill-dir.csv', lines.join('\n') + '\n');
    const missing = path.join(dir, 'no-such-folder', 'deeper');
    expect(await sameAsRows(file, [1, 2], { spillBytes: 0, spillDir: missing })).toBe(true);
  }, 120_000);

  it('a file gone once its head was read leaves no descriptor open', async () => {
    // The source yields the file's bytes, then the file is removed (an upload cleaned up
    // meanwhile): the range reader cannot open it, after the spill file was made.
    const lines = ['case,activity,time,region'];
    for (let i = 0; i < 500; i++) lines.push(`c${i % 20},A${i % 3},2024-05-01T00:00:00Z,r${i % 7}`);
    const file = write('vanishing.csv', lines.join('\n') + '\n');
    const bytes = readFileSync(file);
    const source = {
      name: 'vanishing.csv', size: bytes.length, path: file,
      async* open() {
        yield bytes;
        rmSync(file, { force: true });
      },
    };
    const before = openSpillFiles();
    // The columnar path declines; the row importer reads the source it was given, whole.
    const log = await importCsv(source, {}, { threads: 1, workerFile, spillBytes: 0 });
    expect(lastFastCsvDecline).toBe('the file could not be read again');
    expect(log.eventCount).toBe(500);
    expect(openSpillFiles()).toBe(before);
  }, 60_000);

  it('an empty LEDGERFLOW_TMPDIR is unset: the spill file goes to the system folder', async () => {
    // The spill file's folder is made and removed at once; a watcher of each candidate folder
    // sees where it went. With '' taken as a folder, it went to the working directory.
    const lines = ['case,activity,time,region'];
    for (let i = 0; i < 300; i++) lines.push(`c${i % 20},A${i % 3},2024-06-01T00:00:00Z,r${i % 5}`);
    const file = write('empty-tmpdir.csv', lines.join('\n') + '\n');
    const system = mkdtempSync(path.join(dir, 'system-tmp-'));
    const cwd = mkdtempSync(path.join(dir, 'cwd-'));
    const seen = { system: 0, cwd: 0 };
    const watchers = [watch(system, () => seen.system++), watch(cwd, () => seen.cwd++)];
    const saved = {
      tmp: process.env.TMPDIR, lf: process.env.LEDGERFLOW_TMPDIR, cwd: process.cwd(),
    };
    process.env.TMPDIR = system;
    process.env.LEDGERFLOW_TMPDIR = '';
    process.chdir(cwd);
    try {
      await outcome(file, { threads: 1, workerFile, spillBytes: 0 });
      for (let wait = 0; wait < 100 && seen.system === 0; wait++) await sleep(20);
      await sleep(100);
    } finally {
      process.chdir(saved.cwd);
      restoreEnv('TMPDIR', saved.tmp);
      restoreEnv('LEDGERFLOW_TMPDIR', saved.lf);
      for (const watcher of watchers) watcher.close();
    }
    expect(lastFastCsvDecline).toBe('');
    expect(seen.system).toBeGreaterThan(0);
    expect(seen.cwd).toBe(0);
  }, 60_000);

  it('a file the fast path declines late leaves no descriptor open', async () => {
    // Row 30,000 has a field too many: a range fails after its spill file was written to.
    const lines = ['case,activity,time,region'];
    for (let i = 0; i < 40_000; i++) {
      const extra = i === 30_000 ? ',surplus' : '';
      lines.push(`c${i % 70},A${i % 3},2024-04-01T00:00:00Z,r${i % 11}${extra}`);
    }
    const file = write('late-fault.csv', lines.join('\n') + '\n');
    const before = openSpillFiles();
    for (const threads of [1, 2]) {
      await outcome(file, { threads, parallelBytes: 0, workerFile, spillBytes: 0 });
      expect(lastFastCsvDecline).not.toBe('');
    }
    expect(openSpillFiles()).toBe(before);
  }, 120_000);
});

