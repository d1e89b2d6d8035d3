// The server as a process: a real listening socket on 127.0.0.1, a restart over the same data
// directory, a child server killed with SIGKILL in the middle of an import, and SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createServer, startServer } from '../src/server/index.js';
import { DATA_DIR, sharedAvailable } from './helpers/shared-data.js';

/**
 * An answer's JSON, read loosely (the tests assert its fields): fetch types it as unknown.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = any;

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'server');
const FIXTURE = path.join(FIXTURES, 'invoices.csv');

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lf-process-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('a restarted server on the same data directory gives the same answers', async () => {
  const dataDir = await tempDir();
  const first = await createServer({ dataDir, logLevel: false });
  const up = await first.inject({ method: 'POST', url: '/logs?name=invoices.csv',
    payload: await readFile(FIXTURE) });
  const id = up.json().id;
  const questions = [`/logs/${id}`, '/logs', `/logs/${id}/dfg?attr.region=EMEA`,
    `/logs/${id}/variants`, `/logs/${id}/histograms`, `/logs/${id}/cases/i3`];
  const before = await Promise.all(questions.map((url) => first.inject({ url })));
  await first.close();

  const second = await createServer({ dataDir, logLevel: false });
  for (const [i, url] of questions.entries()) {
    const after = await second.inject({ url });
    expect(after.statusCode, url).toBe(200);
    expect(after.json(), url).toEqual(before[i].json());
  }
  // The fixture's 5 cases and 12 events (counted by hand), read back from the Arrow files.
  expect((await second.inject({ url: `/logs/${id}/dfg` })).json())
    .toMatchObject({ cases: 5, events: 12 });
  await second.close();
});

test.runIf(sharedAvailable())('over real HTTP: upload receipt-wabo.xes.gz and read its DFG',
  async () => {
    const server = await startServer({ dataDir: await tempDir(), host: '127.0.0.1', port: 0,
      demo: false, logLevel: false, handleSignals: false });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const file = path.join(DATA_DIR, 'receipt-wabo.xes.gz');
      const up = await fetch(`${server.url}/logs?name=receipt-wabo.xes.gz`, {
        method: 'POST',
        body: ReadableStream.from(createReadStream(file)) as unknown as RequestInit['body'],
        headers: { 'content-type': 'application/octet-stream' },
        duplex: 'half',
      } as RequestInit);
      const record = await up.json() as Answer;
      expect(up.status, JSON.stringify(record)).toBe(201);
      // SOURCES.md: 1,434 cases and 8,577 events.
      expect(record).toMatchObject({ cases: 1434, events: 8577, format: 'xes',
        bytes: (await stat(file)).size });
      const dfg = await (await fetch(`${server.url}/logs/${record.id}/dfg`)).json() as Answer;
      expect(dfg.cases).toBe(1434);
      expect(dfg.events).toBe(8577);
      // Every case with events has exactly one start and one end.
      const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
      expect(sum(dfg.startActivities)).toBe(1434 - dfg.emptyCases);
      expect(sum(dfg.endActivities)).toBe(1434 - dfg.emptyCases);
      // Each event but a case's last is the source of one edge: events − non-empty cases.
      const edges = dfg.dfg.edges.reduce((n: number, e: { count: number }) => n + e.count, 0);
      expect(edges).toBe(8577 - (1434 - dfg.emptyCases));
    } finally {
      await server.close();
    }
  }, 60_000);

// A child server (the TypeScript sources run through test/fixtures/server/ts-hooks.mjs).
function startChild(dataDir: string, asyncBytes: number): Promise<{ child: ChildProcess;
  url: string }> {
  const child = spawn(process.execPath, ['--import', path.join(FIXTURES, 'register-ts.mjs'),
    path.join(FIXTURES, 'child-server.ts'), dataDir, String(asyncBytes)],
  { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /READY (\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

// About 16 MB of CSV: long enough to import that a kill right after 202 lands mid-import.
async function bigCsv(dir: string): Promise<string> {
  const file = path.join(dir, 'big.csv');
  const lines = ['invoice,activity,timestamp'];
  const base = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 150_000; i++) {
    for (let step = 0; step < 3; step++) {
      const t = new Date(base + i * 60_000 + step * 3_600_000).toISOString();
      lines.push(`inv-${i},${['Invoice Created', 'Reminder Sent', 'Payment Received'][step]},${t}`);
    }
  }
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

async function postFile(url: string, file: string) {
  return fetch(`${url}/logs?name=${path.basename(file)}`, {
    method: 'POST', body: await readFile(file),
    headers: { 'content-type': 'text/csv' },
  });
}

test('SIGKILL during an import: restarted, earlier logs intact, no trace of the torn one',
  async () => {
    const dataDir = await tempDir();
    const big = await bigCsv(await tempDir());
    const first = await startChild(dataDir, 1024 * 1024);
    const kept = await (await postFile(first.url, FIXTURE)).json() as Answer;
    expect(kept.status).toBe('ready');
    const dfgBefore = await (await fetch(`${first.url}/logs/${kept.id}/dfg`)).text();

    const torn = await postFile(first.url, big);
    expect(torn.status).toBe(202);
    const tornId = ((await torn.json()) as Answer).id;
    // Killed while importing: its manifest, the mark of a complete log, is not there yet.
    const status = await (await fetch(`${first.url}/logs/${tornId}`)).json() as Answer;
    expect(status.status).toBe('importing');
    const gone = exited(first.child);
    first.child.kill('SIGKILL');
    expect((await gone).signal).toBe('SIGKILL');
    await expect(stat(path.join(dataDir, 'logs', tornId, 'manifest.json'))).rejects.toThrow();

    const second = await startChild(dataDir, 1024 * 1024);
    try {
      const list = await (await fetch(`${second.url}/logs`)).json() as Answer;
      expect(list.logs.map((l: { id: string }) => l.id)).toEqual([kept.id]);
      expect(await (await fetch(`${second.url}/logs/${kept.id}/dfg`)).text()).toBe(dfgBefore);
      expect((await fetch(`${second.url}/logs/${tornId}`)).status).toBe(404);
      expect(await readdir(path.join(dataDir, 'logs'))).toEqual([kept.id]);
      expect(await readdir(path.join(dataDir, 'uploads'))).toEqual([]);
    } finally {
      const done = exited(second.child);
      second.child.kill('SIGKILL');
      await done;
    }
  }, 120_000);

test('SIGTERM closes cleanly: the import in progress is abandoned and its files removed',
  async () => {
    const dataDir = await tempDir();
    const big = await bigCsv(await tempDir());
    const { child, url } = await startChild(dataDir, 1024 * 1024);
    const torn = await postFile(url, big);
    expect(torn.status).toBe(202);
    const stdout: string[] = [];
    child.stdout?.on('data', (d: Buffer) => stdout.push(d.toString()));
    const done = exited(child);
    child.kill('SIGTERM');
    expect(await done).toEqual({ code: 0, signal: null });
    expect(stdout.join('')).toContain('CLOSED');
    expect(await readdir(path.join(dataDir, 'logs'))).toEqual([]);
    expect(await readdir(path.join(dataDir, 'uploads'))).toEqual([]);
  }, 120_000);

test('an empty store gets the demo log of 10,000 invoices once; --no-demo skips it',
  async () => {
    const dataDir = await tempDir();
    const start = (demo: boolean) => startServer({ dataDir, host: '127.0.0.1', port: 0, demo,
      logLevel: false, handleSignals: false });
    const first = await start(true);
    const logs = ((await (await fetch(`${first.url}/logs`)).json()) as Answer).logs;
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ status: 'ready', cases: 10_000, format: 'generated' });
    await first.close();
    const second = await start(true); // not empty any more: no second demo
    expect(((await (await fetch(`${second.url}/logs`)).json()) as Answer).logs).toEqual(logs);
    await second.close();
    const bare = await startServer({ dataDir: await tempDir(), host: '127.0.0.1', port: 0,
      demo: false, logLevel: false, handleSignals: false });
    expect(((await (await fetch(`${bare.url}/logs`)).json()) as Answer).logs).toEqual([]);
    await bare.close();
  }, 60_000);
