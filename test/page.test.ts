/**
 * The web page plugin over the real server (requests injected, nothing listens): the page and
 * its files, answered without a key while the API needs one, and the process map as SVG.
 * Running example (data/SOURCES.md): 6 cases, 42 events, 8 activities.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDefaultEngine } from '../src/engine/default-engine.js';
import { createServer } from '../src/server/index.js';
import { registerWebPage, staticDir } from '../src/web/index.js';
import { DATA_DIR, sharedAvailable } from './helpers/shared-data.js';
import { svgActivityNames } from './helpers/svg-text.js';

const KEY = 'page-test-key';
let dir: string;
let app: FastifyInstance;
const auth = { authorization: `Bearer ${KEY}` };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lf-page-'));
  app = await createServer({ dataDir: dir, apiKeys: [KEY], logLevel: false });
  await registerWebPage(app);
  await registerWebPage(app);
});

afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
  await closeDefaultEngine();
});

describe('page files', () => {
  it('serves the page and its modules without a key', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toBe(await readFile(path.join(staticDir(), 'index.html'), 'utf8'));
    for (const file of ['app.js', 'api.js', 'format.js', 'histogram.js']) {
      const res = await app.inject({ method: 'GET', url: `/ui/${file}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    }
    expect((await app.inject({ method: 'GET', url: '/ui/style.css' })).statusCode).toBe(200);
  });

  it('answers 404 for other names and keeps the API behind the key', async () => {
    expect((await app.inject({ method: 'GET', url: '/ui/secret.txt' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/ui/..%2Fregister-web-page.ts' }))
      .statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/logs' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/logs', headers: auth })).statusCode)
      .toBe(200);
  });

  it('needs no CDN: every script and style is local', async () => {
    const page = (await app.inject({ method: 'GET', url: '/' })).body;
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe.skipIf(!sharedAvailable())('map routes over an uploaded log', () => {
  let id = '';
  beforeAll(async () => {
    const res = await app.inject({
      method: 'POST', url: '/logs?name=running-example.xes',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      payload: await readFile(path.join(DATA_DIR, 'running-example.xes')),
    });
    expect(res.statusCode).toBe(201);
    id = res.json().id;
  });

  it('draws the 8 activities, and half of them at activityShare 0.5', async () => {
    const all = await app.inject({ method: 'GET', url: `/logs/${id}/dfg.svg`, headers: auth });
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svgActivityNames(all.body)).toHaveLength(8);
    const half = await app.inject({ method: 'GET', headers: auth,
      url: `/logs/${id}/dfg.svg?view=performance&activityShare=0.5&pathShare=1` });
    expect(svgActivityNames(half.body)).toHaveLength(4);
  });

  it('rejects a slider out of range with the API error shape', async () => {
    const res = await app.inject({ method: 'GET', headers: auth,
      url: `/logs/${id}/dfg.svg?pathShare=2` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('pathShare');
  });

  it('lists case attributes and answers KPIs and aging for the page', async () => {
    const attrs = await app.inject({ method: 'GET', url: `/logs/${id}/attributes`,
      headers: auth });
    expect(attrs.statusCode).toBe(200);
    expect(Array.isArray(attrs.json().attributes)).toBe(true);
    const kpis = await app.inject({ method: 'GET', url: `/logs/${id}/kpis`, headers: auth });
    expect(kpis.statusCode).toBe(200);
    // The running example has no invoice activities: no KPI has a value.
    expect(kpis.json().kpis.filter((k: { value: unknown }) => k.value !== null)).toEqual([]);
    const aging = await app.inject({ method: 'GET', url: `/logs/${id}/aging`, headers: auth });
    // 6 cases, none closed by a clearing or payment activity, none with a due date.
    expect(aging.json().aging.openInvoices).toBe(6);
  });
});
