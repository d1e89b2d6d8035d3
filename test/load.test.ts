/**
 * Bounded load on loopback: autocannon (a fixed number of requests, a time limit, 127.0.0.1
 * only) from many connections, each cycling upload → DFG → KPIs → delete, mixed with DFG and
 * KPI questions on a log that stays. No answer may be a 5xx (429 for a full import queue is
 * the intended refusal), and after a full GC the heap must be back near where it started.
 * p99 latency is printed, not asserted (speed is not tested in tests).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import autocannon from 'autocannon';
import { expect, test } from 'vitest';
import { startServer } from '../src/server/index.js';

const SEED = path.join(import.meta.dirname, 'fixtures', 'server', 'invoices.csv');
const CONNECTIONS = 24;
const REQUESTS = 3000;
const TIME_LIMIT_MS = 90_000;

// A full, synchronous GC from inside the test (vitest runs without --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().heapUsed;
}

interface Ctx { id?: string }

test('mixed load from many connections: no 5xx, memory back near its start', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lf-load-'));
  const server = await startServer({ dataDir, host: '127.0.0.1', port: 0, demo: false,
    logLevel: false, handleSignals: false, waitingImports: 8 });
  try {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const seed = await readFile(SEED);
    const base = (await (await fetch(`${server.url}/logs?name=base.csv`, { method: 'POST',
      body: seed, headers: { 'content-type': 'text/csv' } })).json() as { id: string }).id;
    // Warm up (first answers load code and the kernel), then take the starting heap.
    for (const q of ['dfg', 'kpis', 'variants']) await fetch(`${server.url}/logs/${base}/${q}`);
    const before = await heapAfterGc();

    const upload = seed.toString('utf8');
    const run = autocannon({
      url: server.url,
      connections: CONNECTIONS,
      amount: REQUESTS,
      timeout: 30,
      requests: [
        {
          method: 'POST', path: '/logs?name=load.csv', body: upload,
          headers: { 'content-type': 'text/csv' },
          onResponse: (status: number, body: string, ctx: Ctx) => {
            ctx.id = status === 201 ? JSON.parse(body).id : undefined;
          },
        },
        { method: 'GET', setupRequest: (req: object, ctx: Ctx) =>
          ({ ...req, path: `/logs/${ctx.id ?? base}/dfg?attr.region=EMEA` }) },
        { method: 'GET', setupRequest: (req: object, ctx: Ctx) =>
          ({ ...req, path: `/logs/${ctx.id ?? base}/kpis` }) },
        { method: 'GET', path: `/logs/${base}/dfg` },
        { method: 'GET', path: `/logs/${base}/kpis` },
        { method: 'GET', path: `/logs/${base}/variants` },
        { method: 'DELETE', setupRequest: (req: object, ctx: Ctx) =>
          ({ ...req, path: `/logs/${ctx.id ?? 'AAAAAAAAAAAAAAAAAAAA'}` }) },
      ],
    } as never) as unknown as Promise<Record<string, unknown>> & { stop?: () => void };
    const timer = setTimeout(() => run.stop?.(), TIME_LIMIT_MS);
    const result = await run as {
      '2xx': number; '4xx': number; '5xx': number; errors: number; timeouts: number;
      requests: { total: number }; latency: { p50: number; p99: number; max: number };
      statusCodeStats: Record<string, { count: number }>; duration: number;
    };
    clearTimeout(timer);

    // Every upload's log was deleted again, or refused: only the base log is left.
    const left = ((await (await fetch(`${server.url}/logs`)).json()) as {
      logs: { id: string }[];
    }).logs;
    const after = await heapAfterGc();
    console.log(`load: ${JSON.stringify({
      requests: result.requests.total, seconds: result.duration, codes: Object.fromEntries(
        Object.entries(result.statusCodeStats).map(([c, s]) => [c, s.count])),
      p50ms: result.latency.p50, p99ms: result.latency.p99, maxms: result.latency.max,
      errors: result.errors, timeouts: result.timeouts, logsLeft: left.length,
      heapBeforeMB: +(before / 2 ** 20).toFixed(1), heapAfterMB: +(after / 2 ** 20).toFixed(1),
    })}`);
    expect(result['5xx']).toBe(0);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result['2xx']).toBeGreaterThan(REQUESTS / 2);
    expect(left.map((l) => l.id)).toContain(base);
    // Near the start: the answer cache is bounded (64 MiB default) and deleted logs are freed;
    // 32 MiB covers the cache entries of the base log and V8's own slack.
    expect(after - before).toBeLessThan(32 * 2 ** 20);
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}, 180_000);
