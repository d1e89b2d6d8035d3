/**
 * Access: with API keys set, every route of the OpenAPI description (so a new route cannot be
 * forgotten) refuses a missing, wrong or wrong-shaped key with 401, except /healthz; the page's
 * public routes (/ and /ui/:file, hidden from the description) are the only others open. Keys
 * never appear in the server's log (pino output of a child server captured), and an error
 * message quotes at most a cut-short failing value, never other contents of the file.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../src/server/index.js';

const KEY = 'lf-test-key-7Hq2vX9pLm3Rt8Ws';
const OTHER_KEY = 'lf-other-key-Zz81kQ';
const SEED = path.join(import.meta.dirname, 'fixtures', 'server', 'invoices.csv');
const CHILD = path.join(import.meta.dirname, 'hostile', 'crash-child.mjs');
// Routes that answer without a key by design.
const OPEN = new Set(['GET /healthz']);
const auth = (key: string) => ({ authorization: `Bearer ${key}` });

// Wrong keys and wrong shapes of the Authorization header.
const REFUSED: [string, Record<string, string>][] = [
  ['no header', {}],
  ['wrong key', auth(OTHER_KEY)],
  ['key with a suffix', auth(`${KEY}x`)],
  ['key prefix only', auth(KEY.slice(0, -1))],
  ['empty bearer', { authorization: 'Bearer ' }],
  ['basic scheme', { authorization: `Basic ${Buffer.from(`u:${KEY}`).toString('base64')}` }],
  ['no scheme', { authorization: KEY }],
  ['two tokens', { authorization: `Bearer ${KEY} ${KEY}` }],
  ['key in another header', { 'x-api-key': KEY }],
];

let app: FastifyInstance;
let dataDir = '';
let logId = '';

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lf-access-'));
  app = await createServer({ dataDir, apiKeys: [KEY], logLevel: false });
  const up = await app.inject({ method: 'POST', url: '/logs?name=seed.csv', headers: auth(KEY),
    payload: await readFile(SEED) });
  expect(up.statusCode).toBe(201);
  logId = up.json().id;
});

afterAll(async () => {
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A concrete URL for an OpenAPI path: the stored log's id, case i1 of the fixture. */
function concrete(route: string): string {
  return route.replace('{id}', logId).replace(/\{[^}]*(case|Case)[^}]*\}/, 'i1')
    .replace(/\{[^}]+\}/g, 'x');
}

describe('API keys', () => {
  test('every described route refuses a missing, wrong or wrong-shaped key', async () => {
    const docs = await app.inject({ url: '/docs/json', headers: auth(KEY) });
    expect(docs.statusCode).toBe(200);
    const paths = docs.json().paths as Record<string, Record<string, unknown>>;
    const routes = Object.entries(paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((m) => [m.toUpperCase(), route] as const));
    // The API as of this test: logs, mining, cases, receivables, health (at least 12 routes).
    expect(routes.length).toBeGreaterThanOrEqual(12);
    let checked = 0;
    for (const [method, route] of routes) {
      const url = concrete(route);
      for (const [shape, headers] of REFUSED) {
        const reply = await app.inject({ method, url, headers,
          ...(method === 'POST' ? { payload: 'case,activity,timestamp\n' } : {}) });
        const where = `${method} ${route} with ${shape}`;
        if (OPEN.has(`${method} ${route}`)) {
          expect(reply.statusCode, where).toBe(200);
          continue;
        }
        expect(reply.statusCode, where).toBe(401);
        expect(reply.json().error.code, where).toBe('LF_ERR_HTTP_UNAUTHORIZED');
        expect(reply.body, where).not.toContain(KEY);
        checked++;
      }
      // With the key the route is reached (no 401): the refusals above were the key's doing.
      if (method === 'GET') {
        const ok = await app.inject({ method, url, headers: auth(KEY) });
        expect(ok.statusCode, `${method} ${route} with the key`).not.toBe(401);
      }
    }
    expect(checked).toBeGreaterThan(100);
    // The description itself needs the key too.
    expect((await app.inject({ url: '/docs/json' })).statusCode).toBe(401);
  });

  test('only the page (/ and /ui files) and /healthz answer without a key', async () => {
    expect((await app.inject({ url: '/' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    // Open-route matching is exact: look-alike paths still need the key.
    for (const url of ['/healthz/../logs', '/logs?x=/healthz', `/logs/${logId}/dfg#/healthz`]) {
      expect((await app.inject({ url })).statusCode, url).toBe(401);
    }
  });

  test('an error quotes at most 80 characters of the failing value, no other contents',
    async () => {
      const secret = 'TOPSECRET-CUSTOMER-NAME';
      const longValue = `not-a-date-${'x'.repeat(500)}`;
      const csv = `invoice,activity,timestamp,customer\ni1,A,2024-01-01T00:00:00Z,${secret}\n` +
        `i1,B,${longValue},${secret}\n`;
      const reply = await app.inject({ method: 'POST', url: '/logs?name=bad.csv',
        headers: auth(KEY), payload: csv });
      expect(reply.statusCode).toBe(400);
      const message = reply.json().error.message as string;
      expect(reply.json().error.code).toBe('LF_ERR_INGEST_BAD_TIMESTAMP');
      expect(message).not.toContain(secret);
      expect(message).toContain(longValue.slice(0, 80));
      expect(message).not.toContain(longValue.slice(0, 81));
    });
});

describe('logs', () => {
  test('neither the key nor a wrong key appears in the server log', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lf-access-log-'));
    const child = spawn(process.execPath, [CHILD, dir, String(1024 ** 3), 'trace'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LEDGERFLOW_API_KEYS: KEY, NODE_NO_WARNINGS: '1' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const m = /READY (\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
      });
      const seed = await readFile(SEED);
      const up = await fetch(`${url}/logs?name=seed.csv`, { method: 'POST', body: seed,
        headers: { ...auth(KEY), 'content-type': 'text/csv' } });
      expect(up.status).toBe(201);
      const id = ((await up.json()) as { id: string }).id;
      for (const headers of [auth(KEY), auth(OTHER_KEY), { authorization: KEY },
        { 'x-api-key': KEY }]) {
        await fetch(`${url}/logs/${id}/dfg`, { headers });
        await fetch(`${url}/logs`, { headers });
      }
      // A key pasted into the query string: refused (unknown parameter), never logged.
      await fetch(`${url}/logs/${id}/dfg?api_key=${KEY}`, { headers: auth(KEY) });
      await fetch(`${url}/nope/${KEY}`, { headers: auth(KEY) });
      await new Promise((r) => setTimeout(r, 300));
      expect(out).toMatch(/"msg":"request"/);
      expect(out).not.toContain(KEY);
      expect(out).not.toContain(OTHER_KEY);
      expect(out).not.toContain('TOPSECRET');
    } finally {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
