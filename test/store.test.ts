// The log store and its parts on their own: answer cache bounds, the import queue, atomic
// persistence with the sweep of crash leftovers, and the upload spooler's byte limit.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, expect, test } from 'vitest';
import { isLedgerflowError } from '../src/errors.js';
import { LogBuilder } from '../src/log/log-builder.js';
import { spoolUpload } from '../src/server/spool-upload.js';
import {
  AnswerCache, ImportSlots, LogStore, isLogId, labelFromName, newLogId,
} from '../src/store/index.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lf-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

// Two cases, three events, written by hand.
function smallLog() {
  const builder = new LogBuilder();
  builder.addEvent('c1', 'Invoice Created', Date.UTC(2024, 0, 1), NaN, null, null);
  builder.addEvent('c1', 'Payment Received', Date.UTC(2024, 0, 3), NaN, null, null);
  builder.addEvent('c2', 'Invoice Created', Date.UTC(2024, 0, 2), NaN, null, null);
  return builder.finish({ source: 'hand', format: 'csv', mapping: {}, skippedRows: {} });
}

test('the answer cache evicts the least recently used answer past its byte bound', () => {
  // Each entry costs 2 bytes per character of key ("L\0q" = 3) and text (10): 26 bytes.
  const cache = new AnswerCache(60);
  cache.set('L', 'a', '0123456789');
  cache.set('L', 'b', '0123456789');
  expect(cache.bytes).toBe(52);
  expect(cache.get('L', 'a')).toBe('0123456789'); // a is now the most recent
  cache.set('L', 'c', '0123456789'); // 78 > 60: b, the least recent, goes
  expect(cache.get('L', 'b')).toBeUndefined();
  expect(cache.get('L', 'a')).toBe('0123456789');
  expect(cache.size).toBe(2);
  cache.set('M', 'a', 'x'.repeat(100)); // larger than the whole bound: not kept
  expect(cache.get('M', 'a')).toBeUndefined();
  cache.dropLog('L');
  expect(cache.size).toBe(0);
  expect(cache.bytes).toBe(0);
});

test('the import queue runs a bounded number, queues a bounded number, refuses the rest',
  async () => {
    const slots = new ImportSlots(1, 1);
    const a = slots.take();
    const b = slots.take();
    let refused: unknown;
    try {
      slots.take();
    } catch (err) {
      refused = err;
    }
    expect(isLedgerflowError(refused, 'LF_ERR_HTTP_TOO_MANY_REQUESTS')).toBe(true);
    await a.turn();
    let bRunning = false;
    const bTurn = b.turn().then(() => { bRunning = true; });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(bRunning).toBe(false);
    a.release();
    await bTurn;
    expect(bRunning).toBe(true);
    // A ticket released while waiting is never started.
    const c = slots.take();
    void c.turn();
    c.release();
    b.release();
    expect(slots.held).toBe(0);
    const d = slots.take();
    await d.turn();
    d.release();
  });

test('log ids are random, URL-safe and the only names that reach a path', () => {
  const ids = new Set(Array.from({ length: 100 }, newLogId));
  expect(ids.size).toBe(100);
  for (const id of ids) expect(isLogId(id)).toBe(true);
  for (const bad of ['..', '../etc/passwd', 'a/b', '', 'x'.repeat(21), 'AAAA AAAA AAAA AAAA']) {
    expect(isLogId(bad)).toBe(false);
  }
  expect(labelFromName('C:\\Users\\me\\q1.csv', 'upload')).toBe('q1.csv');
  expect(labelFromName('../../etc/passwd', 'upload')).toBe('passwd');
  expect(labelFromName('bad\u0000name\n.csv', 'upload')).toBe('badname.csv');
  expect(labelFromName('', 'upload')).toBe('upload');
});

test('a stored log survives a reopen; crash leftovers are swept at open', async () => {
  const dataDir = await tempDir();
  const store = await LogStore.open({ dataDir });
  const record = await store.addLog(smallLog(), 'hand');
  expect(record).toMatchObject({ status: 'ready', cases: 2, events: 3, activities: 2 });
  await store.close();

  // What a crash can leave: a log without its manifest, a half-deleted log, a manifest
  // temporary, an upload being spooled.
  const logs = path.join(dataDir, 'logs');
  const torn = newLogId();
  await mkdir(path.join(logs, torn));
  await writeFile(path.join(logs, torn, 'log.cases.arrow'), 'half');
  await mkdir(path.join(logs, `.trash-${newLogId()}-0000`));
  await writeFile(path.join(logs, record.id, 'manifest.json.tmp'), '{');
  await writeFile(path.join(dataDir, 'uploads', 'x.part'), 'partial');

  const reopened = await LogStore.open({ dataDir });
  expect(reopened.list()).toEqual([record]);
  expect(await readdir(logs)).toEqual([record.id]);
  expect((await readdir(path.join(logs, record.id))).sort())
    .toEqual(['log.arrow', 'log.cases.arrow', 'manifest.json']);
  expect(await readdir(path.join(dataDir, 'uploads'))).toEqual([]);
  const log = await reopened.load(record.id);
  expect(log.caseIds).toEqual(['c1', 'c2']);
  expect(Array.from(log.offsets)).toEqual([0, 2, 3]);

  expect(await reopened.remove(record.id)).toBe(true);
  expect(await reopened.remove(record.id)).toBe(false);
  expect(await readdir(logs)).toEqual([]);
  await expect(reopened.load(record.id)).rejects.toMatchObject({ code: 'LF_ERR_HTTP_NOT_FOUND' });
});

test('the spooler counts bytes and stops past the limit, removing its file', async () => {
  const dir = await tempDir();
  const ok = path.join(dir, 'ok.part');
  expect(await spoolUpload(Readable.from([Buffer.alloc(40), Buffer.alloc(60)]), ok, 100))
    .toBe(100);
  const over = path.join(dir, 'over.part');
  await expect(spoolUpload(Readable.from([Buffer.alloc(60), Buffer.alloc(41)]), over, 100))
    .rejects.toMatchObject({ code: 'LF_ERR_HTTP_PAYLOAD_TOO_LARGE' });
  expect(await readdir(dir)).toEqual(['ok.part']);
});
