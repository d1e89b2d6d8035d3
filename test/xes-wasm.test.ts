/**
 * The WASM XES body scanner against the JS readers (the importer with the scanner off): on
 * every XES file at hand, whole and in pieces of 1 to 64 bytes, the two must give the same
 * compiled log and notes, or the same error. Which files the scanner takes or declines was
 * worked out by reading them: it takes the common shape only.
 */
import {
  mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { byteSourceFromBytes, byteSourceFromFile } from '../src/ingest/byte-source.js';
import type { ImportOptions } from '../src/ingest/import-options.js';
import { importXes } from '../src/ingest/xes/index.js';
import { readXesWasm } from '../src/ingest/xes/wasm-read.js';
import { CASES_DIR, DATA_DIR, sharedAvailable } from './helpers/shared-data.js';
import { chunkedSource, differences, importBy } from './helpers/xes-paths.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'xes');
const xesFiles = (dir: string) => readdirSync(dir).filter((f) => /\.(xes|xml)(\.gz)?$/.test(f))
  .map((f) => path.join(dir, f));

// Files the scanner reads, by inspection: traces of leaf attributes only, no reference.
const TAKEN = new Set(['running-example.xes', 'bpic2012-loan-application.xes.gz',
  'roadtraffic-fines.xes.gz', 'receipt-wabo.xes.gz', '02-xes-fractional-seconds.xes',
  '06-xes-gzip.xes.gz', '14-lifecycle-pairing.xes', '15-empty-trace.xes',
  '21-far-dates.xes', 'default-namespace.xes']);
// A <list> in a trace, an entity in a value, a DOCTYPE: left to the JS readers.
const DECLINED = new Set(['03-xes-nested-list.xes', '04-xes-entities-unicode.xes',
  '05-xes-external-entity.xes', 'quirks.xes', 'billion-laughs.xes', 'latin1.xes',
  'namespace-prefix.xes', 'not-xes.xml', 'foreign-log.xml', 'truncated.xes.gz',
  'undeclared-entity.xes', 'deep-nesting.xes.gz']);

/** The file read by the scanner (inflated here, and by the worker) and by the JS readers. */
async function sameBothWays(file: string, options: ImportOptions = {}) {
  const source = await byteSourceFromFile(file);
  const wasm = await importBy(source, options, true);
  const js = await importBy(source, options, false);
  expect(differences(wasm, js), file).toEqual([]);
  expect(differences(await importBy(source, options, true, 0), js), file).toEqual([]);
  const name = path.basename(file);
  const taken = await readXesWasm(source, options) !== null;
  expect(await readXesWasm(source, options, 0) !== null).toBe(taken);
  if (TAKEN.has(name)) expect(taken, name).toBe(true);
  if (DECLINED.has(name)) expect(taken, name).toBe(false);
  return wasm;
}

describe('WASM XES scanner on the test fixtures', () => {
  for (const file of xesFiles(FIXTURES)) {
    it(`reads ${path.basename(file)} as the JS readers do`, async () => {
      await sameBothWays(file);
      await sameBothWays(file, { skipBadRows: true, lifecycle: 'ignore' });
    });
  }

  it('reads each fixture cut into pieces of 1 to 64 bytes as it reads it whole', async () => {
    for (const file of xesFiles(FIXTURES).filter((f) => !f.endsWith('.gz'))) {
      const bytes = readFileSync(file);
      const whole = await importBy(byteSourceFromBytes(bytes, 't.xes'), {}, true);
      for (const size of [1, 2, 3, 7, 13, 64]) {
        const cut = await importBy(chunkedSource(bytes, [size, size + 5, 1]), {}, true);
        expect(differences(cut, whole), `${file} by ${size}`).toEqual([]);
      }
    }
  });
});

describe.skipIf(!sharedAvailable())('WASM XES scanner on the shared logs and cases', () => {
  const files = [...xesFiles(DATA_DIR), ...xesFiles(CASES_DIR)];
  for (const file of files) {
    it(`reads ${path.basename(file)} as the JS readers do`, async () => {
      await sameBothWays(file);
    }, 120_000);
  }

  it('reads the small cases in pieces of 1 to 64 bytes, by the scanner', async () => {
    for (const file of xesFiles(CASES_DIR).filter((f) => !f.endsWith('.gz'))) {
      const bytes = readFileSync(file);
      const js = await importBy(byteSourceFromBytes(bytes, 't.xes'), {}, false);
      for (let size = 1; size <= 64; size += 9) {
        const source = chunkedSource(bytes, [size, 64 - size + 1]);
        expect(differences(await importBy(source, {}, true), js), file).toEqual([]);
        if (TAKEN.has(path.basename(file))) expect(await readXesWasm(source, {})).not.toBeNull();
      }
    }
  });
});

// A log past the scanner's batches (32768 events, 65536 values, 4096 deferred dates).
function bigLog(traces: number, naive: boolean): string {
  let xml = '<?xml version="1.0"?>\n<log xmlns="http://www.xes-standard.org/">\n';
  for (let t = 0; t < traces; t++) {
    xml += `<trace><string key="concept:name" value="c${t}"/>` +
      `<float key="amount" value="${(t * 7.31).toFixed(2)}"/>\n`;
    for (let e = 0; e < 3; e++) {
      const day = String(1 + ((t + e) % 28)).padStart(2, '0');
      const time = `2024-02-${day}T${String(e + 8).padStart(2, '0')}:15:00${naive ? '' : 'Z'}`;
      xml += `<event><string key="concept:name" value="A${e}"/>` +
        `<date key="time:timestamp" value="${time}"/><int key="n" value="${t % 97}"/>` +
        `<string key="org:resource" value="r${t % 5}"/></event>\n`;
    }
    xml += '</trace>\n';
  }
  return `${xml}</log>\n`;
}

describe('WASM XES scanner batches', () => {
  it('drains full batches and reads many left-aside dates, as the JS readers read', async () => {
    for (const [naive, options] of [[false, {}], [true, { timezone: 'Europe/Berlin' }]] as const) {
      const bytes = Buffer.from(bigLog(15_000, naive));
      const source = byteSourceFromBytes(bytes, 'big.xes');
      expect(await readXesWasm(source, options)).not.toBeNull();
      const wasm = await importBy(source, options, true);
      expect(differences(wasm, await importBy(source, options, false))).toEqual([]);
      expect('log' in wasm && wasm.log.eventCount).toBe(45_000);
      // By hand: trace 0's first event is 2024-02-01 08:15, in Berlin 07:15 UTC.
      if (naive && 'log' in wasm) expect(wasm.log.time[0]).toBe(Date.UTC(2024, 1, 1, 7, 15));
    }
  }, 60_000);

  it('reads a file of several ring slots by the worker as the JS readers read it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xes-ring-'));
    try {
      // About 10 MB: three slots of 4 MB, tokens cut at their ends.
      const file = path.join(dir, 'big.xes');
      writeFileSync(file, bigLog(15_000, false));
      const source = await byteSourceFromFile(file);
      expect(await readXesWasm(source, {}, 0)).not.toBeNull();
      const ring = await importBy(source, {}, true, 0);
      expect(differences(ring, await importBy(source, {}, false))).toEqual([]);
      // Gzipped, by the worker: the same log, and progress in compressed bytes to the end.
      const gz = path.join(dir, 'big.xes.gz');
      writeFileSync(gz, gzipSync(readFileSync(file)));
      expect(await readXesWasm(await byteSourceFromFile(gz), {}, 0)).not.toBeNull();
      const calls: number[] = [];
      // The event loop runs during the import (a server answers meanwhile).
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      const zipped = await importXes(await byteSourceFromFile(gz),
        { onProgress: (read) => calls.push(read) }, { ringFrom: 0 }).finally(() => {
        clearInterval(timer);
      });
      expect(ticks).toBeGreaterThan(0);
      expect('log' in ring && zipped.caseIds).toEqual('log' in ring && ring.log.caseIds);
      expect(calls.at(-1)).toBe(statSync(gz).size);
      expect(calls).toEqual([...calls].sort((a, b) => a - b));
      // Cut short, the document is refused by the JS readers, whichever path reads first.
      writeFileSync(file, bigLog(15_000, false).slice(0, 7_000_000));
      const cut = await byteSourceFromFile(file);
      expect(await readXesWasm(cut, {}, 0)).toBeNull();
      expect(await importBy(cut, {}, true, 0)).toMatchObject({ code: 'LF_ERR_INGEST_BAD_XML' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
