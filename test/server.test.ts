// The HTTP routes through fastify.inject: every route, every filter, every error code.
// Expected values are worked out by hand from test/fixtures/server/invoices.csv:
//
//   i1 EMEA 100  Invoice Created 01-01 → Reminder Sent 01-05 → Payment Received 01-10
//   i2 NA   250  Invoice Created 02-01 → Payment Received 02-03
//   i3 EMEA  80  Invoice Created 03-01 → Dispute Opened 03-02 → Payment Received 03-11 (rows
//                shuffled in the file)
//   i4 APAC 100  Invoice Created 04-01 → Payment Received 04-04
//   i5 NA   300  Invoice Created 05-01 → Dispute Opened 05-03 (open)
//
// so: 5 cases, 12 events; variants ⟨IC,PR⟩ 2 (i2,i4), ⟨IC,RS,PR⟩ 1 (i1),
// ⟨IC,DO,PR⟩ 1 (i3), ⟨IC,DO⟩ 1 (i5), ties in order of first appearance.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServer } from '../src/server/index.js';
import { CASES_DIR, sharedAvailable } from './helpers/shared-data.js';

const DAY = 86_400_000;
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'server', 'invoices.csv');
const IC = 'Invoice Created';
const PR = 'Payment Received';
const RS = 'Reminder Sent';
const DO = 'Dispute Opened';

type Edge = { from: string; to: string; count: number; meanMs: number; minMs: number;
  maxMs: number; medianMs: number; p90Ms: number };
type Dfg = { cases: number; events: number; activities: Record<string, number>;
  startActivities: Record<string, number>; endActivities: Record<string, number>;
  dfg: { edges: Edge[] } };

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lf-server-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function edgeMap(dfg: Dfg): Record<string, number> {
  return Object.fromEntries(dfg.dfg.edges.map((e) => [`${e.from} → ${e.to}`, e.count]));
}

async function upload(app: FastifyInstance, body: Buffer | string, query = '') {
  return app.inject({ method: 'POST', url: `/logs${query}`, payload: body,
    headers: { 'content-type': 'application/octet-stream' } });
}

describe('a server with the invoice fixture', () => {
  let app: FastifyInstance;
  let dataDir: string;
  let id: string;
  const get = (url: string) => app.inject({ url });
  const dfg = async (query: string) => {
    const r = await get(`/logs/${id}/dfg${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Dfg;
  };

  beforeAll(async () => {
    dataDir = await tempDir();
    app = await createServer({ dataDir, logLevel: false });
    const r = await upload(app, await readFile(FIXTURE), '?name=invoices.csv');
    expect(r.statusCode, r.body).toBe(201);
    id = r.json().id;
  });
  afterAll(async () => app.close());

  test('answers the upload with the log record and a Location', async () => {
    const r = await get(`/logs/${id}`);
    expect(r.json()).toMatchObject({ id, name: 'invoices.csv', status: 'ready', cases: 5,
      events: 12, activities: 4, format: 'csv', progress: 1, error: null });
    expect(r.json().bytes).toBe((await readFile(FIXTURE)).length);
    expect(id).toMatch(/^[A-Za-z0-9_-]{20}$/);
  });

  test('lists the log and keeps it as Arrow files with a manifest', async () => {
    const r = await get('/logs');
    expect(r.json().logs.map((l: { id: string }) => l.id)).toEqual([id]);
    const files = (await readdir(path.join(dataDir, 'logs', id))).sort();
    expect(files).toEqual(['log.arrow', 'log.cases.arrow', 'manifest.json']);
    const manifest = JSON.parse(await readFile(path.join(dataDir, 'logs', id, 'manifest.json'),
      'utf8'));
    expect(manifest).toMatchObject({ id, status: 'ready', cases: 5, events: 12 });
    expect(await readdir(path.join(dataDir, 'uploads'))).toEqual([]);
  });

  test('DFG: frequency and performance per edge, start and end activities', async () => {
    const d = await dfg('');
    expect(d.cases).toBe(5);
    expect(d.events).toBe(12);
    expect(d.activities).toEqual({ [IC]: 5, [PR]: 4, [RS]: 1, [DO]: 2 });
    expect(d.startActivities).toEqual({ [IC]: 5 });
    expect(d.endActivities).toEqual({ [PR]: 4, [DO]: 1 });
    expect(edgeMap(d)).toEqual({ [`${IC} → ${PR}`]: 2, [`${IC} → ${DO}`]: 2,
      [`${IC} → ${RS}`]: 1, [`${RS} → ${PR}`]: 1, [`${DO} → ${PR}`]: 1 });
    // IC → PR waits 2 d (i2) and 3 d (i4).
    const icpr = d.dfg.edges.find((e) => e.from === IC && e.to === PR) as Edge;
    expect(icpr.meanMs).toBe(2.5 * DAY);
    expect(icpr.minMs).toBe(2 * DAY);
    expect(icpr.maxMs).toBe(3 * DAY);
    // Quantiles come from the log-linear histogram: within 2 % of the order statistic.
    expect(Math.abs(icpr.medianMs - 2 * DAY) / (2 * DAY)).toBeLessThan(0.02);
    expect(Math.abs(icpr.p90Ms - 3 * DAY) / (3 * DAY)).toBeLessThan(0.02);
    // DO → PR: i3 waits 9 days.
    expect(d.dfg.edges.find((e) => e.from === DO)?.meanMs).toBe(9 * DAY);
  });

  test('filter attr.<name>: equals and in, on string and number attributes', async () => {
    const emea = await dfg('?attr.region=EMEA');
    expect(emea.cases).toBe(2); // i1, i3
    expect(emea.events).toBe(6);
    expect(edgeMap(emea)).toEqual({ [`${IC} → ${RS}`]: 1, [`${RS} → ${PR}`]: 1,
      [`${IC} → ${DO}`]: 1, [`${DO} → ${PR}`]: 1 });
    expect((await dfg('?attr.region=EMEA,NA')).cases).toBe(4); // i1, i2, i3, i5
    const hundred = await dfg('?attr.amount=100'); // i1, i4
    expect(hundred.cases).toBe(2);
    expect(edgeMap(hundred)[`${IC} → ${PR}`]).toBe(1);
    expect((await dfg('?attr.region=EMEA&attr.amount=100')).cases).toBe(1); // i1
    expect((await dfg('?attr.region=Mars')).cases).toBe(0);
  });

  test('filter from / to keeps the cases overlapping the range', async () => {
    // i2 spans 02-01..02-03 and i3 03-01..03-11; i1 ends before, i4 and i5 start after.
    const d = await dfg('?from=2024-02-02&to=2024-03-01');
    expect(d.cases).toBe(2);
    expect(edgeMap(d)).toEqual({ [`${IC} → ${PR}`]: 1, [`${IC} → ${DO}`]: 1,
      [`${DO} → ${PR}`]: 1 });
    expect((await dfg('?from=2024-04-02T00:00:00Z')).cases).toBe(2); // i4, i5
    expect((await dfg('?to=2024-01-01')).cases).toBe(1); // i1
  });

  test('filter variant=<index> takes the cases of one variant', async () => {
    const first = await dfg('?variant=0'); // ⟨IC, PR⟩: i2, i4
    expect(first.cases).toBe(2);
    expect(edgeMap(first)).toEqual({ [`${IC} → ${PR}`]: 2 });
    const last = await dfg('?variant=3'); // ⟨IC, DO⟩: i5
    expect(last.cases).toBe(1);
    expect(last.endActivities).toEqual({ [DO]: 1 });
  });

  test('filters startActivity and endActivity', async () => {
    expect((await dfg(`?startActivity=${encodeURIComponent(IC)}`)).cases).toBe(5);
    expect((await dfg(`?startActivity=${encodeURIComponent(PR)}`)).cases).toBe(0);
    const open = await dfg(`?endActivity=${encodeURIComponent(DO)}`);
    expect(open.cases).toBe(1);
    expect(open.dfg.edges[0]).toMatchObject({ from: IC, to: DO, count: 1, meanMs: 2 * DAY });
    expect((await dfg(`?endActivity=${encodeURIComponent(`${DO},${PR}`)}`)).cases).toBe(5);
  });

  test('activity projection links the kept events directly', async () => {
    const d = await dfg(`?activities=${encodeURIComponent(`${IC},${PR}`)}`);
    expect(d.events).toBe(9);
    expect(edgeMap(d)).toEqual({ [`${IC} → ${PR}`]: 4 });
    expect(d.endActivities).toEqual({ [PR]: 4, [IC]: 1 });
    const e = d.dfg.edges[0];
    // i1 9 d, i2 2 d, i3 10 d, i4 3 d.
    expect(e.meanMs).toBe(6 * DAY);
    expect([e.minMs, e.maxMs]).toEqual([2 * DAY, 10 * DAY]);
  });

  test('minCount drops rarer edges and start / end entries', async () => {
    const d = await dfg('?minCount=2');
    expect(edgeMap(d)).toEqual({ [`${IC} → ${PR}`]: 2, [`${IC} → ${DO}`]: 2 });
    expect(d.endActivities).toEqual({ [PR]: 4 });
  });

  test('the same question is answered from the cache, in any parameter order', async () => {
    const a = await get(`/logs/${id}/dfg?attr.region=NA&minCount=1`);
    const b = await get(`/logs/${id}/dfg?minCount=1&attr.region=NA`);
    expect(a.headers['x-ledgerflow-cache']).toBe('miss');
    expect(b.headers['x-ledgerflow-cache']).toBe('hit');
    expect(b.body).toBe(a.body);
  });

  test('DFG as DOT: nodes with counts, one line per edge', async () => {
    const r = await get(`/logs/${id}/dfg.dot`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/vnd\.graphviz/);
    expect(r.body.startsWith('digraph dfg {')).toBe(true);
    expect(r.body).toContain('[label="Invoice Created\\n5"]');
    // 5 edges + 1 start edge + 2 end edges.
    expect(r.body.match(/->/g)?.length).toBe(8);
    const filtered = await get(`/logs/${id}/dfg.dot?variant=0`);
    expect(filtered.body.match(/->/g)?.length).toBe(3);
  });

  test('variants: counts, shares and their unfiltered index', async () => {
    const r = await get(`/logs/${id}/variants`);
    expect(r.json()).toEqual({ cases: 5, total: 4, variants: [
      { index: 0, activities: [IC, PR], count: 2, share: 0.4 },
      { index: 1, activities: [IC, RS, PR], count: 1, share: 0.2 },
      { index: 2, activities: [IC, DO, PR], count: 1, share: 0.2 },
      { index: 3, activities: [IC, DO], count: 1, share: 0.2 },
    ] });
    const emea = await get(`/logs/${id}/variants?attr.region=EMEA&limit=1`);
    expect(emea.json()).toEqual({ cases: 2, total: 2, variants: [
      { index: 1, activities: [IC, RS, PR], count: 1, share: 0.5 },
    ] });
  });

  test('histograms: buckets hold every value and bound it', async () => {
    const h = (await get(`/logs/${id}/histograms`)).json();
    // Case durations: i1 9 d, i2 2 d, i3 10 d, i4 3 d, i5 2 d.
    const durations = [9, 2, 10, 3, 2].map((d) => d * DAY);
    expect(h.caseDurations.count).toBe(5);
    expect(h.caseDurations.meanMs).toBe((26 / 5) * DAY);
    type B = { lowMs: number; highMs: number; count: number };
    const buckets: B[] = h.caseDurations.buckets;
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(5);
    for (const b of buckets) {
      const inside = durations.filter((v) => v >= b.lowMs && v < b.highMs).length;
      expect(inside).toBe(b.count);
    }
    const icdo = h.edges.find((e: Edge) => e.from === IC && e.to === DO);
    expect(icdo.count).toBe(2);
    expect(icdo.buckets.map((b: B) => b.count)).toEqual([1, 1]); // 1 d and 2 d
    expect((await get(`/logs/${id}/histograms?minCount=2`)).json().edges).toHaveLength(2);
  });

  test('one invoice trail, in time order with its attributes', async () => {
    const r = await get(`/logs/${id}/cases/i3`);
    expect(r.json()).toEqual({
      caseId: 'i3',
      attributes: { region: 'EMEA', amount: 80 },
      events: [
        { activity: IC, time: '2024-03-01T00:00:00.000Z', start: null, resource: null,
          attributes: {} },
        { activity: DO, time: '2024-03-02T00:00:00.000Z', start: null, resource: null,
          attributes: {} },
        { activity: PR, time: '2024-03-11T00:00:00.000Z', start: null, resource: null,
          attributes: {} },
      ],
    });
  });

  test('bad filter values answer 400 LF_ERR_HTTP_BAD_QUERY naming the parameter', async () => {
    const cases: [string, string][] = [
      ['?attr.colour=red', 'attr.colour'],
      ['?activities=Nope', 'activities'],
      ['?startActivity=Nope', 'startActivity'],
      ['?variant=4', 'variant'],
      ['?variant=-1', 'variant'],
      ['?from=yesterday', 'from'],
      ['?from=2024-03-01&to=2024-02-01', 'from'],
      ['?attr.amount=lots', 'attr.amount'],
      ['?minCount=0', 'minCount'],
      ['?minCount=two', 'minCount'],
      ['?colour=red', 'colour'],
    ];
    for (const [query, param] of cases) {
      const r = await get(`/logs/${id}/dfg${query}`);
      expect(r.statusCode, query).toBe(400);
      expect(r.json().error.code, query).toBe('LF_ERR_HTTP_BAD_QUERY');
      expect(r.json().error.message, query).toContain(param);
    }
  });

  test('unknown logs, cases and routes answer 404 LF_ERR_HTTP_NOT_FOUND', async () => {
    for (const url of ['/logs/AAAAAAAAAAAAAAAAAAAA', '/logs/..%2F..%2Fetc',
      '/logs/AAAAAAAAAAAAAAAAAAAA/dfg', `/logs/${id}/cases/i9`, '/nowhere']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code, url).toBe('LF_ERR_HTTP_NOT_FOUND');
    }
    const del = await app.inject({ method: 'DELETE', url: '/logs/AAAAAAAAAAAAAAAAAAAA' });
    expect(del.json().error.code).toBe('LF_ERR_HTTP_NOT_FOUND');
  });

  test('the template, the health check and the OpenAPI description', async () => {
    const t = await get('/template.xlsx');
    expect(t.statusCode).toBe(200);
    expect(t.rawPayload.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    const spec = (await get('/docs/json')).json();
    for (const route of ['/logs', '/logs/{id}', '/logs/{id}/dfg', '/logs/{id}/dfg.dot',
      '/logs/{id}/variants', '/logs/{id}/histograms', '/logs/{id}/cases/{caseId}',
      '/logs/{id}/kpis', '/logs/{id}/aging', '/template.xlsx', '/healthz']) {
      expect(spec.paths[route], route).toBeDefined();
    }
  });
});

describe('uploads', () => {
  test('multipart field "file" with the mapping given as query parameters', async () => {
    const app = await createServer({ dataDir: await tempDir(), logLevel: false });
    // Case 11: with both columns mapped, IC → IA waits 1800000 ms (cases README).
    const csv = await readFile(path.join(CASES_DIR, '11-case-duration-start-ts.csv'));
    const boundary = 'lfBoundary42';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
        `filename="dir/11.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      csv,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await app.inject({ method: 'POST', payload: body,
      url: '/logs?start-timestamp=start_timestamp&timestamp=end_timestamp',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ name: '11.csv', cases: 2, events: 3 });
    const d = (await app.inject({ url: `/logs/${r.json().id}/dfg` })).json();
    expect(d.dfg.edges).toEqual([expect.objectContaining({ from: 'Invoice Created',
      to: 'Invoice Approved', count: 1, meanMs: 1800000 })]);
    const wrongField = await app.inject({ method: 'POST', url: '/logs', payload: body
      .toString('latin1').replace('name="file"', 'name="log"'),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().error.code).toBe('LF_ERR_HTTP_BAD_QUERY');
    await app.close();
  }, 30_000);

  test('a bad mapping option answers 400 before anything is stored', async () => {
    const dataDir = await tempDir();
    const app = await createServer({ dataDir, logLevel: false });
    const r = await upload(app, await readFile(FIXTURE), '?date-format=sideways');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('LF_ERR_HTTP_BAD_QUERY');
    const bad = await upload(app, await readFile(FIXTURE), '?activity=nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('LF_ERR_INGEST_MISSING_COLUMN');
    expect((await app.inject({ url: '/logs' })).json().logs).toEqual([]);
    expect(await readdir(path.join(dataDir, 'logs'))).toEqual([]);
    await app.close();
  });

  test.runIf(sharedAvailable())('a rejected import names the problem and leaves nothing',
    async () => {
      const dataDir = await tempDir();
      const app = await createServer({ dataDir, logLevel: false });
      // Case 05: the external entity must be refused with a 4xx, and nothing kept.
      const xes = await readFile(path.join(CASES_DIR, '05-xes-external-entity.xes'));
      const r = await upload(app, xes, '?name=05.xes');
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
      expect(r.json().error.code).toMatch(/^LF_ERR_INGEST_/);
      expect(r.json().error.message).toMatch(/05\.xes/);
      expect(r.json().error.message).not.toContain(await readFile('/etc/hostname', 'utf8')
        .then((s) => s.trim()).catch(() => '\u0000'));
      expect((await app.inject({ url: '/logs' })).json().logs).toEqual([]);
      expect(await readdir(path.join(dataDir, 'logs'))).toEqual([]);
      expect(await readdir(path.join(dataDir, 'uploads'))).toEqual([]);
      await app.close();
    });

  test('an empty body answers 400 LF_ERR_INGEST_EMPTY_FILE and leaves no file', async () => {
    const dataDir = await tempDir();
    const app = await createServer({ dataDir, logLevel: false });
    const r = await upload(app, '');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('LF_ERR_INGEST_EMPTY_FILE');
    expect(await readdir(path.join(dataDir, 'uploads'))).toEqual([]);
    await app.close();
  });

  test('malformed URLs answer the usual error shape without echoing the path', async () => {
    const app = await createServer({ dataDir: await tempDir(), logLevel: false });
    for (const url of [`/logs/${'a'.repeat(5000)}/dfg`, '/logs/abc/cases/%ff%fe']) {
      const r = await app.inject({ url });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('LF_ERR_HTTP_BAD_QUERY');
      expect(r.body).not.toContain('aaaaaaaaaa');
    }
    await app.close();
  });

  test('over the size limit: 413, by header or while streaming, nothing kept', async () => {
    const dataDir = await tempDir();
    const app = await createServer({ dataDir, logLevel: false, maxUploadBytes: 100 });
    const body = await readFile(FIXTURE); // 618 bytes
    const announced = await upload(app, body);
    expect(announced.statusCode).toBe(413);
    expect(announced.json().error.code).toBe('LF_ERR_HTTP_PAYLOAD_TOO_LARGE');
    // Chunked, without Content-Length: the limit is enforced while counting bytes.
    const streamed = await app.inject({ method: 'POST', url: '/logs',
      payload: Readable.from([body.subarray(0, 80), body.subarray(80)]),
      headers: { 'transfer-encoding': 'chunked' } });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().error.code).toBe('LF_ERR_HTTP_PAYLOAD_TOO_LARGE');
    expect(await readdir(path.join(dataDir, 'uploads'))).toEqual([]);
    expect(await readdir(path.join(dataDir, 'logs'))).toEqual([]);
    await app.close();
  });

  test('body types that cannot carry a log answer 415', async () => {
    const app = await createServer({ dataDir: await tempDir(), logLevel: false });
    const body = await readFile(FIXTURE);
    const brotli = await app.inject({ method: 'POST', url: '/logs', payload: body,
      headers: { 'content-encoding': 'br' } });
    const form = await app.inject({ method: 'POST', url: '/logs', payload: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    for (const r of [brotli, form]) {
      expect(r.statusCode).toBe(415);
      expect(r.json().error.code).toBe('LF_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE');
    }
    await app.close();
  });

  test('a full import queue answers 429', async () => {
    const app = await createServer({ dataDir: await tempDir(), logLevel: false,
      runningImports: 1, waitingImports: 0 });
    const held = app.logStore.reserveImport();
    const r = await upload(app, await readFile(FIXTURE));
    expect(r.statusCode).toBe(429);
    expect(r.json().error.code).toBe('LF_ERR_HTTP_TOO_MANY_REQUESTS');
    held.release();
    expect((await upload(app, await readFile(FIXTURE))).statusCode).toBe(201);
    await app.close();
  });

  test('a large upload answers 202; the log shows progress, then becomes ready', async () => {
    const app = await createServer({ dataDir: await tempDir(), logLevel: false,
      asyncUploadBytes: 10, runningImports: 1, waitingImports: 1 });
    // Hold the only running slot so the upload waits where the test can see it.
    const held = app.logStore.reserveImport();
    await held.turn();
    const r = await upload(app, await readFile(FIXTURE));
    expect(r.statusCode).toBe(202);
    const id = r.json().id;
    expect(r.headers.location).toBe(`/logs/${id}`);
    expect((await app.inject({ url: `/logs/${id}` })).json())
      .toMatchObject({ status: 'importing', progress: 0, cases: null });
    const early = await app.inject({ url: `/logs/${id}/dfg` });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('LF_ERR_HTTP_NOT_READY');
    held.release();
    let record = (await app.inject({ url: `/logs/${id}` })).json();
    for (let i = 0; i < 200 && record.status === 'importing'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      record = (await app.inject({ url: `/logs/${id}` })).json();
    }
    expect(record).toMatchObject({ status: 'ready', progress: 1, cases: 5, events: 12 });
    expect((await app.inject({ url: `/logs/${id}/dfg` })).json().cases).toBe(5);
    await app.close();
  });

  test('a failed background import stays listed with its error, and can be deleted', async () => {
    const dataDir = await tempDir();
    const app = await createServer({ dataDir, logLevel: false, asyncUploadBytes: 10 });
    const r = await upload(app, await readFile(FIXTURE), '?activity=nope');
    expect(r.statusCode).toBe(202);
    const id = r.json().id;
    let record = (await app.inject({ url: `/logs/${id}` })).json();
    for (let i = 0; i < 200 && record.status === 'importing'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      record = (await app.inject({ url: `/logs/${id}` })).json();
    }
    expect(record.status).toBe('failed');
    expect(record.error.code).toBe('LF_ERR_INGEST_MISSING_COLUMN');
    expect(record.error.message).toContain('line 1');
    expect((await app.inject({ url: `/logs/${id}/dfg` })).statusCode).toBe(409);
    expect(await readdir(path.join(dataDir, 'logs'))).toEqual([]);
    expect(await readdir(path.join(dataDir, 'uploads'))).toEqual([]);
    expect((await app.inject({ method: 'DELETE', url: `/logs/${id}` })).statusCode).toBe(204);
    expect((await app.inject({ url: '/logs' })).json().logs).toEqual([]);
    await app.close();
  });

  test('DELETE removes the log for good', async () => {
    const dataDir = await tempDir();
    const app = await createServer({ dataDir, logLevel: false });
    const id = (await upload(app, await readFile(FIXTURE))).json().id;
    await app.inject({ url: `/logs/${id}/dfg` });
    const del = await app.inject({ method: 'DELETE', url: `/logs/${id}` });
    expect(del.statusCode).toBe(204);
    expect((await app.inject({ url: `/logs/${id}` })).statusCode).toBe(404);
    expect((await app.inject({ url: `/logs/${id}/dfg` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/logs/${id}` })).statusCode).toBe(404);
    expect(await readdir(path.join(dataDir, 'logs'))).toEqual([]);
    await app.close();
  });
});

describe('API keys', () => {
  test('every route but /healthz needs a valid bearer key', async () => {
    const app = await createServer({ dataDir: await tempDir(), logLevel: false,
      apiKeys: ['alpha-key', 'beta-key'] });
    for (const headers of [{}, { authorization: 'Bearer wrong' },
      { authorization: 'Basic YWxwaGEta2V5' }, { authorization: 'Bearer alpha-ke' }]) {
      for (const url of ['/logs', '/docs/json', '/template.xlsx', '/nowhere']) {
        const r = await app.inject({ url, headers });
        expect(r.statusCode, url).toBe(401);
        expect(r.json().error.code).toBe('LF_ERR_HTTP_UNAUTHORIZED');
      }
    }
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    for (const key of ['alpha-key', 'beta-key']) {
      const r = await app.inject({ url: '/logs', headers: { authorization: `Bearer ${key}` } });
      expect(r.statusCode).toBe(200);
    }
    await app.close();
  });

  test('keys come from LEDGERFLOW_API_KEYS', async () => {
    process.env.LEDGERFLOW_API_KEYS = ' one , two ';
    try {
      const app = await createServer({ dataDir: await tempDir(), logLevel: false });
      expect(app.ledgerflowOptions.apiKeys).toEqual(['one', 'two']);
      expect((await app.inject({ url: '/logs' })).statusCode).toBe(401);
      const ok = await app.inject({ url: '/logs', headers: { authorization: 'Bearer two' } });
      expect(ok.statusCode).toBe(200);
      await app.close();
    } finally {
      delete process.env.LEDGERFLOW_API_KEYS;
    }
  });
});

describe('receivables routes', () => {
  // test/fixtures/server/receivables.csv, as of 2024-06-30 (worked out by hand):
  //   A due 07-01 open → current (100); B due 06-10 open → 20 days late, 1-30 (200);
  //   C due 04-15 open → 76 days late, 61-90 (300); D paid 03-05 and cleared → not open.
  //   D was paid 33 days after creation (02-01 → 03-05, 2024 is a leap year).
  test('/aging buckets the open invoices; /kpis states definitions and counts', async () => {
    const app = await createServer({ dataDir: await tempDir(), logLevel: false });
    const up = await upload(app, await readFile(path.join(path.dirname(FIXTURE),
      'receivables.csv')));
    const id = up.json().id;
    const aging = (await app.inject({ url: `/logs/${id}/aging?asOf=2024-06-30` })).json();
    expect(aging.aging.openInvoices).toBe(3);
    const byLabel = Object.fromEntries(aging.aging.buckets
      .map((b: { label: string; invoices: number; amount: number }) => [b.label,
        [b.invoices, b.amount]]));
    expect(byLabel).toMatchObject({ 'current': [1, 100], '1-30': [1, 200], '31-60': [0, 0],
      '61-90': [1, 300], 'over 90': [0, 0] });

    const kpis = (await app.inject({ url: `/logs/${id}/kpis?by=Region&asOf=2024-06-30` }))
      .json();
    const daysToPay = kpis.kpis.find((k: { id: string }) => k.id === 'days-to-pay');
    expect(daysToPay).toMatchObject({ value: 33, casesUsed: 1, casesSkipped: 3 });
    expect(typeof daysToPay.definition).toBe('string');
    expect(kpis.by.groups.map((g: { label: string }) => g.label).sort()).toEqual(['EMEA', 'NA']);
    const bad = await app.inject({ url: `/logs/${id}/kpis?by=Colour` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('LF_ERR_OPTION_INVALID');
    const unknown = await app.inject({ url: `/logs/${id}/aging?when=now` });
    expect(unknown.json().error.code).toBe('LF_ERR_HTTP_BAD_QUERY');
    await app.close();
  });

  // With payment mapped to "Invoice Cleared" instead, D is paid on 03-06: 34 days, by hand.
  // Mapping created to an activity the log lacks leaves no invoice to measure from.
  test('/kpis and /aging take a role mapping, in the query or in a POST body', async () => {
    const app = await createServer({ dataDir: await tempDir(), logLevel: false });
    const up = await upload(app, await readFile(path.join(path.dirname(FIXTURE),
      'receivables.csv')));
    const id = up.json().id;
    const daysToPay = (report: { kpis: { id: string; value: number | null }[] }) =>
      report.kpis.find((k) => k.id === 'days-to-pay')?.value;
    const mapping = { roles: { payment: ['Invoice Cleared'] } };
    const query = `roles=${encodeURIComponent(JSON.stringify(mapping))}&asOf=2024-06-30`;
    const viaQuery = await app.inject({ url: `/logs/${id}/kpis?${query}` });
    expect(viaQuery.statusCode).toBe(200);
    expect(daysToPay(viaQuery.json())).toBe(34);
    const viaBody = await app.inject({ method: 'POST', url: `/logs/${id}/kpis`,
      payload: { roles: mapping, asOf: '2024-06-30' } });
    expect(viaBody.statusCode).toBe(200);
    expect(daysToPay(viaBody.json())).toBe(34);
    const defaults = await app.inject({ url: `/logs/${id}/kpis?asOf=2024-06-30` });
    expect(daysToPay(defaults.json())).toBe(33);

    const aging = await app.inject({ url: `/logs/${id}/aging?asOf=2024-06-30&roles=`
      + encodeURIComponent(JSON.stringify({ roles: { cleared: ['Invoice Created'] } })) });
    expect(aging.json().aging.openInvoices).toBe(0);

    const bad = await app.inject({ url: `/logs/${id}/kpis?roles=`
      + encodeURIComponent(JSON.stringify({ roles: { paymnet: ['x'] } })) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('LF_ERR_ANALYSIS_BAD_ROLES');
    expect(bad.json().error.message).toContain('roles.paymnet');
    const notJson = await app.inject({ url: `/logs/${id}/kpis?roles=%7Bnope` });
    expect(notJson.json().error.code).toBe('LF_ERR_ANALYSIS_BAD_ROLES');
    await app.close();
  });
});
