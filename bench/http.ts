/**
 * HTTP benchmarks with autocannon against a server on 127.0.0.1 (a free port), each bounded in
 * time: a cached DFG under 100 connections (req/s, p99 latency), and filtered DFGs over a large
 * synthetic log, each a new question (so a cache miss: mining with a case mask and a
 * projection). `benchHttp()` returns the rows; run this file alone to print them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startServer } from '../src/server/index.js';
import { syntheticLog } from './synthetic-log.js';

/** Options of {@link benchHttp}. */
export interface HttpBenchOptions {
  /** Seconds of load on the cached DFG; default 10. */
  seconds?: number;
  /** Connections on the cached DFG; default 100. */
  connections?: number;
  /** Events of the large log; default 5,000,000. */
  largeEvents?: number;
  /** Distinct filtered questions timed one by one; default 10. */
  filteredRuns?: number;
}

/** One measured row. */
export interface HttpBenchRow {
  name: string;
  events: number;
  requests: number;
  requestsPerSec: number | null;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
}

/** Runs both measurements on a throw-away data directory and returns their rows. */
export async function benchHttp(options: HttpBenchOptions = {}): Promise<HttpBenchRow[]> {
  const { seconds = 10, connections = 100, largeEvents = 5_000_000, filteredRuns = 10 } = options;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lf-bench-http-'));
  const server = await startServer({ dataDir, host: '127.0.0.1', port: 0, demo: true,
    logLevel: false, handleSignals: false });
  try {
    const rows: HttpBenchRow[] = [];
    const [demo] = server.app.logStore.list();
    const cachedUrl = `${server.url}/logs/${demo.id}/dfg`;
    await fetch(cachedUrl); // fills the cache: the load below measures hits only
    // The load comes from a worker thread, so it does not share the server's event loop.
    const cached = await autocannon({ url: cachedUrl, connections, duration: seconds, workers: 1 });
    rows.push({
      name: `cached DFG, ${connections} connections, ${seconds} s`,
      events: demo.events ?? 0,
      requests: cached.requests.total,
      requestsPerSec: Math.round(cached.requests.average),
      p50Ms: cached.latency.p50,
      p99Ms: cached.latency.p99,
      maxMs: cached.latency.max,
      errors: cached.errors + cached.non2xx + cached.timeouts,
    });

    const large = await server.app.logStore.addLog(syntheticLog(largeEvents), 'bench-large');
    await fetch(`${server.url}/logs/${large.id}/dfg`); // loads and warms the engine
    const times: number[] = [];
    let errors = 0;
    for (let run = 0; run < filteredRuns; run++) {
      // Each run a different variant and window: a new question, never a cache hit.
      const query = `variant=${run % 3}&from=2020-01-01&minCount=${run + 1}` +
        '&activities=Invoice%20Created,Payment%20Received,Invoice%20Cleared,Dispute%20Opened';
      const started = performance.now();
      const response = await fetch(`${server.url}/logs/${large.id}/dfg?${query}`);
      await response.arrayBuffer();
      times.push(performance.now() - started);
      if (!response.ok) errors++;
    }
    times.sort((a, b) => a - b);
    const at = (q: number) =>
      round(times[Math.min(times.length - 1, Math.floor(q * times.length))]);
    rows.push({
      name: 'filtered DFG (variant, time range, projection), cache miss',
      events: large.events ?? 0,
      requests: times.length,
      requestsPerSec: null,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: round(times[times.length - 1]),
      errors,
    });
    return rows;
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const rows = await benchHttp(quick ? { seconds: 3, largeEvents: 1_000_000, filteredRuns: 5 }
    : {});
  console.table(rows);
}
