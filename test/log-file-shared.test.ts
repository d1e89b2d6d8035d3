import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { importLog } from '../src/ingest/import-log.js';
import { casesPathFor, loadCompiledLog, saveCompiledLog } from '../src/log/log-file.js';
import { DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

// Lazily decoded case ids against the ids the import produced and against Arrow's own eager
// decoding of the saved column; case counts from /work/shared/data/SOURCES.md.

const dir = await mkdtemp(path.join(tmpdir(), 'lf-logshared-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const LOGS: Array<[string, number]> = [
  ['roadtraffic-fines.xes.gz', 150_370],
  ['bpic2012-loan-application.xes.gz', 13_087],
  ['receipt-wabo.xes.gz', 1_434],
  ['hospital-billing-1t-per-variant.xes.gz', 1_020],
];

describe.skipIf(!sharedAvailable())('case ids of saved shared logs', () => {
  it.each(LOGS)('%s: lazy ids equal the imported and the eagerly decoded ones', async (name,
    cases) => {
    const log = await importLog(path.join(DATA_DIR, name));
    expect(log.caseCount).toBe(cases);
    const file = path.join(dir, `${name}.arrow`);
    await saveCompiledLog(log, file);
    const back = await loadCompiledLog(file);
    const eager = tableFromIPC(await readFile(casesPathFor(file))).getChild('case')?.toArray();
    expect(back.caseIds.length).toBe(cases);
    expect(back.caseIds).toEqual(log.caseIds);
    expect(back.caseIds).toEqual(Array.from(eager ?? []));
    expect(Array.from(back.offsets)).toEqual(Array.from(log.offsets));
    expect(Array.from(back.time)).toEqual(Array.from(log.time));
  }, 120_000);
});
