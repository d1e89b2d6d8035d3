/**
 * A compiled log handed over by someone else: the loader follows no path named inside the
 * file, opens only regular files, and refuses a pair of files that do not belong together
 * or disagree with themselves, with LF_ERR_LOG_BAD_COMPILED (or LF_ERR_INGEST_BAD_ARROW)
 * naming the file, instead of returning a different log. The faults are made by hand from a
 * saved generated log; each expected outcome is the refusal itself, or (for the untouched
 * pair) the generator's own log.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Table, makeVector, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLog } from '../src/generate/index.js';
import { casesPathFor, loadCompiledLog, saveCompiledLog } from '../src/log/log-file.js';

const dir = await mkdtemp(path.join(tmpdir(), 'lf-logtrust-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const log40 = generateLog({ invoices: 40, seed: 5 });
const log10 = generateLog({ invoices: 10, seed: 6 });

/** Saves `log` as `<name>/log.arrow` in a folder of its own; answers the events path. */
async function saved(name: string, log = log40): Promise<string> {
  await mkdir(path.join(dir, name), { recursive: true });
  const file = path.join(dir, name, 'log.arrow');
  await saveCompiledLog(log, file);
  return file;
}

/** Rewrites an Arrow file through `change`, keeping its schema metadata unless changed. */
async function rewrite(
  file: string, change: (columns: Record<string, Vector>, meta: Map<string, string>) => void,
): Promise<void> {
  const table = tableFromIPC(await readFile(file));
  const columns: Record<string, Vector> = {};
  for (const field of table.schema.fields) columns[field.name] = table.getChild(field.name)!;
  const meta = new Map(table.schema.metadata);
  change(columns, meta);
  const out = new Table(columns);
  for (const [k, v] of meta) out.schema.metadata.set(k, v);
  await writeFile(file, tableToIPC(out, 'file'));
}

async function refusal(file: string): Promise<{ code: string; message: string }> {
  try {
    await loadCompiledLog(file);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('the load was expected to fail');
}

describe('loading a compiled log that cannot be trusted', () => {
  it('still loads an untouched pair exactly', async () => {
    const back = await loadCompiledLog(await saved('ok'));
    expect(back.caseCount).toBe(40);
    expect(back.caseIds).toEqual(log40.caseIds);
    expect(Array.from(back.activity)).toEqual(Array.from(log40.activity));
  });

  it('never follows a case-table path written inside the file', async () => {
    const victim = await saved('victim');
    const attacker = path.join(dir, 'attacker');
    await mkdir(attacker);
    const evil = path.join(attacker, 'evil.arrow');
    await copyFile(victim, evil);
    await rewrite(evil, (_, meta) => meta.set('ledgerflow.cases', '../victim/log.cases.arrow'));
    const err = await refusal(evil);
    expect(err.code).toBe('LF_ERR_LOG_BAD_COMPILED');
    expect(err.message).toContain('evil.cases.arrow is missing');
  });

  it('refuses a case table of another log (pair ids differ)', async () => {
    const file = await saved('swapped');
    const other = await saved('other', log10);
    await copyFile(casesPathFor(other), casesPathFor(file));
    const err = await refusal(file);
    expect(err.code).toBe('LF_ERR_LOG_BAD_COMPILED');
    expect(err.message).toContain('belongs to another log');
    expect(err.message).toContain('log.arrow');
  });

  it('refuses a foreign case table without pair ids by its case count', async () => {
    const file = await saved('count');
    const other = await saved('other2', log10);
    await copyFile(casesPathFor(other), casesPathFor(file));
    for (const f of [file, casesPathFor(file)]) {
      await rewrite(f, (_, meta) => meta.delete('ledgerflow.pair'));
    }
    const err = await refusal(file);
    expect(err.message).toContain('expects 40 cases but the case table log.cases.arrow has 10');
  });

  it('refuses offsets that move an event to another case', async () => {
    const file = await saved('shifted');
    // Case 3 made to start one event later: its first event now sits in case 2's range.
    await rewrite(casesPathFor(file), (columns) => {
      const offsets = Int32Array.from(columns['ledgerflow.offset'].toArray() as Int32Array);
      offsets[3] += 1;
      columns['ledgerflow.offset'] = makeVector(offsets);
    });
    const err = await refusal(file);
    expect(err.code).toBe('LF_ERR_LOG_BAD_COMPILED');
    expect(err.message).toMatch(/event \d+ is stored under case 3, but the case table puts /);
    expect(err.message).toContain('it in case 2');
  });

  it('refuses activity codes outside the dictionary, and events without a time', async () => {
    // The writer does not check what it is given, so a damaged log in memory makes the file.
    const activity = Int32Array.from(log40.activity);
    activity[5] = 9999;
    const bad = await saved('codes', { ...log40, activity });
    expect((await refusal(bad)).message).toContain('event 5 has activity code 9999');

    const time = Float64Array.from(log40.time);
    time[2] = NaN;
    const untimed = await saved('untimed', { ...log40, time, start: time });
    expect((await refusal(untimed)).message).toContain('event 2 has no time');
  });

  it('names the file when a note or a column type is wrong', async () => {
    const file = await saved('garbage');
    await rewrite(file, (_, meta) => meta.set('ledgerflow.info', '{not json'));
    const err = await refusal(file);
    expect(err.code).toBe('LF_ERR_LOG_BAD_COMPILED');
    expect(err.message).toContain('log.arrow with log.cases.arrow');
    expect(err.message).toContain('ledgerflow.info');

    const typed = await saved('typed');
    await rewrite(casesPathFor(typed), (columns) => {
      columns.case = makeVector(Int32Array.from({ length: 40 }, (_, i) => i));
    });
    expect((await refusal(typed)).code).toBe('LF_ERR_LOG_BAD_COMPILED');
  });

  it('refuses an empty case table as an unreadable Arrow file', async () => {
    const file = await saved('empty');
    await writeFile(casesPathFor(file), new Uint8Array(0));
    const err = await refusal(file);
    expect(err.code).toBe('LF_ERR_INGEST_BAD_ARROW');
    expect(err.message).toContain('log.cases.arrow');
  });

  it.skipIf(process.platform === 'win32')('does not wait on a named pipe', async () => {
    const file = await saved('fifo');
    await rm(casesPathFor(file));
    execFileSync('mkfifo', [casesPathFor(file)]);
    const err = await refusal(file);
    expect(err.code).toBe('LF_ERR_LOG_BAD_COMPILED');
    expect(err.message).toContain('not a regular file');
  });
});
