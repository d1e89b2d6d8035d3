// A compiled log is two files; its events file alone (an upload, a copy) must be refused
// with a message naming the file the user gave, not any spool name. Expected texts are the
// ones the message promises (by hand).
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLog } from '../src/generate/index.js';
import { importLog } from '../src/ingest/import-log.js';
import { saveCompiledLog } from '../src/log/log-file.js';

const dir = await mkdtemp(path.join(tmpdir(), 'lf-compiled-alone-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a compiled log without its case table', () => {
  it('is refused with what to do, naming the given file', async () => {
    const saved = path.join(dir, 'invoices.arrow');
    await saveCompiledLog(generateLog({ invoices: 5, seed: 1 }), saved);
    const alone = path.join(dir, 'spool-1234.part');
    await copyFile(saved, alone);
    const bytes = await readFile(alone);
    const source = {
      name: 'invoices.arrow', size: bytes.length, path: alone,
      async *open() { yield bytes; },
    };
    const err = await importLog(source).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'LF_ERR_LOG_BAD_COMPILED' });
    const message = (err as Error).message;
    expect(message).toContain('invoices.arrow');
    expect(message).toContain('invoices.cases.arrow');
    expect(message).not.toContain('spool-1234');
    // With its case table beside it, the same file opens.
    expect((await importLog(saved)).caseCount).toBe(5);
  });
});
