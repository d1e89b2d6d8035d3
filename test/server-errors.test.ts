// Errors raised below the routes come out as { "error": { "code", "message" } }: a URL over
// Node's header limit (16,384 bytes by default: node:http maxHeaderSize), a JSON body with a
// __proto__ key, a body over Fastify's default 1 MiB limit (1,048,576 bytes, Fastify docs).
// Expected codes and statuses are from src/errors.ts's registry; the rest from the inputs.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServer } from '../src/server/index.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'server', 'invoices.csv');

describe('errors outside the routes keep the answer shape', () => {
  let app: FastifyInstance;
  let dataDir: string;
  let base: string;
  let id: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lf-server-errors-'));
    app = await createServer({ dataDir, logLevel: false });
    const r = await app.inject({ method: 'POST', url: '/logs?name=invoices.csv',
      payload: await readFile(FIXTURE), headers: { 'content-type': 'application/octet-stream' } });
    expect(r.statusCode, r.body).toBe(201);
    id = r.json().id;
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a URL of 20,000 characters: 431 in our shape, pointing to POST /kpis', async () => {
    const roles = encodeURIComponent(JSON.stringify({ note: 'n'.repeat(20_000) }));
    const r = await fetch(`${base}/logs/${id}/kpis?roles=${roles}`);
    expect(r.status).toBe(431);
    const body = await r.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('LF_ERR_HTTP_HEADERS_TOO_LARGE');
    expect(body.error.message).toContain('exceed 16384 bytes');
    expect(body.error.message).toContain('POST /logs/:id/kpis');
  });

  test('a body with a __proto__ key is refused by name, not called invalid JSON', async () => {
    const r = await fetch(`${base}/logs/${id}/kpis`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: '{"roles": {"roles": {"__proto__": {"payment": ["X"]}}}}',
    });
    expect(r.status).toBe(400);
    const body = await r.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('LF_ERR_HTTP_BAD_QUERY');
    expect(body.error.message).toContain('the key "roles.roles.__proto__", which is refused');
  });

  test('constructor.prototype is refused the same way', async () => {
    const r = await app.inject({ method: 'POST', url: `/logs/${id}/kpis`,
      headers: { 'content-type': 'application/json' },
      payload: '{"constructor": {"prototype": {"x": 1}}}' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('"constructor.prototype"');
  });

  test('invalid JSON says so, with the parser\'s reason', async () => {
    const r = await app.inject({ method: 'POST', url: `/logs/${id}/kpis`,
      headers: { 'content-type': 'application/json' }, payload: '{"by": ' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('the body is not valid JSON (');
  });

  test('a body over 1 MiB names the limit', async () => {
    const payload = JSON.stringify({ roles: { note: 'n'.repeat(1_100_000) } });
    const r = await app.inject({ method: 'POST', url: `/logs/${id}/kpis`,
      headers: { 'content-type': 'application/json' }, payload });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('LF_ERR_HTTP_PAYLOAD_TOO_LARGE');
    expect(r.json().error.message).toContain('larger than 1048576 bytes');
  });

  test('a deeply nested roles body is a 400 BAD_ROLES, not a 500', async () => {
    const payload = `{"roles": {"roles": {"payment": ${'['.repeat(50_000)}${']'.repeat(50_000)}}}}`;
    const r = await app.inject({ method: 'POST', url: `/logs/${id}/kpis`,
      headers: { 'content-type': 'application/json' }, payload });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().error.code).toBe('LF_ERR_ANALYSIS_BAD_ROLES');
  });

  test('a normal POST body still works (the fixture has 5 invoices)', async () => {
    const r = await app.inject({ method: 'POST', url: `/logs/${id}/kpis`,
      headers: { 'content-type': 'application/json' }, payload: '{"by": "region"}' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().by.groups.map((g: { label: string }) => g.label).sort())
      .toEqual(['APAC', 'EMEA', 'NA']);
  });
});
