/**
 * Benchmarks of the mining kernel, the whole mine call, the reference and DuckDB, on synthetic
 * logs of 1 M and 20 M events (`--quick`: 1 M only). Prints a table and writes
 * bench/results/latest.json. Run with `npm run build && npm run bench [-- --quick]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { createEngine } from '../src/engine/engine.js';
import { mineReference } from '../src/engine/reference.js';
import { loadDuck, mineDuck } from './duckdb-peer.js';
import { kernelRig } from './kernel-suite.js';
import { syntheticLog } from './synthetic-log.js';
import type { IngestRow } from './ingest.js';

interface Row {
  suite: string;
  name: string;
  events: number;
  workers: number;
  eventsPerSec: number;
  peakRssMB: number;
  /** Median, fastest and slowest run in ms. */
  spread: { p50Ms: number; minMs: number; maxMs: number; runs: number };
  /**
   * CPU time of the whole process per run (all threads), median and least, in ms: on a shared
   * machine wall time counts the other tenants, CPU time does not.
   */
  cpu?: { p50Ms: number; minMs: number };
  peer?: string;
  /** Our median time ÷ the peer's median time on the same question (below 1: we are faster). */
  ratio?: number;
  /** The peer's time ÷ ours: how many times faster we are. */
  speedup?: number;
  /** Memory rows only: RSS growth per event. */
  bytesPerEvent?: number;
}

const quick = process.argv.includes('--quick');
// `--suites kernel,ingest` runs only those; default all.
const suitesArg = process.argv.find((a) => a.startsWith('--suites='))?.slice(9) ??
  (process.argv.includes('--suites') ? process.argv[process.argv.indexOf('--suites') + 1] : '');
const wanted = new Set((suitesArg || 'kernel,ingest,reopen,receivables,http').split(','));
const sizes = quick ? [1_000_000] : [1_000_000, 20_000_000];
const cpus = availableParallelism();
const rows: Row[] = [];

function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function measure(
  suite: string, name: string, events: number, workers: number, fn: () => Promise<unknown>,
  iterations: number,
): Promise<Row> {
  const bench = new Bench({ iterations, time: 0, warmupIterations: 1, warmupTime: 0 });
  const cpuMs: number[] = [];
  bench.add(name, async () => {
    const before = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(before);
    cpuMs.push((used.user + used.system) / 1000);
  });
  await bench.run();
  // The last `iterations` samples are the measured runs (the first is the warm-up).
  const cpu = cpuMs.slice(-iterations).sort((x, y) => x - y);
  const result = bench.tasks[0].result as unknown as {
    latency: { p50: number; min: number; max: number; samplesCount?: number; samples?: number[] };
  };
  const { p50, min, max } = result.latency;
  const row: Row = {
    suite, name, events, workers, eventsPerSec: Math.round(events / (p50 / 1000)),
    peakRssMB: peakRssMB(), spread: { p50Ms: p50, minMs: min, maxMs: max, runs: iterations },
    cpu: { p50Ms: cpu[Math.floor(cpu.length / 2)], minMs: cpu[0] },
  };
  rows.push(row);
  console.log(`${suite.padEnd(10)} ${name.padEnd(28)} ${String(events).padStart(9)} ` +
    `w=${workers} ${(row.eventsPerSec / 1e6).toFixed(1).padStart(7)} M ev/s ` +
    `p50 ${p50.toFixed(1)} ms [${min.toFixed(1)}–${max.toFixed(1)}] ` +
    `cpu p50 ${row.cpu?.p50Ms.toFixed(1)} min ${row.cpu?.minMs.toFixed(1)} ms ` +
    `load ${loadavg()[0].toFixed(1)}`);
  return row;
}

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus} CPUs`);
for (const events of wanted.has('kernel') ? sizes : []) {
  const rssBefore = process.memoryUsage().rss;
  // Memory: the compiled log built straight in an engine's shared memory (loaded without a
  // copy), and one mine call. The probe stays open: the log's columns live in its memory.
  const probe = createEngine({ workers: 1, inlineBelowEvents: 2 ** 31 });
  const log = syntheticLog(events, 7, (cases, n) => probe.allocateColumns(cases, n));
  const iterations = events >= 10_000_000 ? 7 : 15;
  await probe.mine(probe.load(log));
  const bytesPerEvent = (process.memoryUsage().rss - rssBefore) / events;
  console.log(`memory     log + load + mine: ${bytesPerEvent.toFixed(1)} bytes/event ` +
    `(shared memory ${(probe.sharedBytes / 1e6).toFixed(0)} MB)`);
  await probe.close();

  for (const workers of [1, cpus]) {
    const rig = await kernelRig(log, workers);
    await measure('kernel', `kernel alone`, events, workers, () => rig.run(), iterations);
    await rig.close();
  }

  const mineRows: Row[] = [];
  for (const workers of [1, cpus]) {
    const engine = createEngine({ workers, inlineBelowEvents: 0 });
    const handle = engine.load(log);
    mineRows.push(await measure('mine', 'whole mine call (pool)', events, workers,
      () => engine.mine(handle), iterations));
    await engine.close();
  }
  const inline = createEngine({ workers: 1, inlineBelowEvents: 2 ** 31 });
  const inlineHandle = inline.load(log);
  mineRows.push(await measure('mine', 'whole mine call (inline)', events, 1,
    () => inline.mine(inlineHandle), iterations));
  await inline.close();

  if (events <= 1_000_000) {
    await measure('reference', 'mineReference (TypeScript)', events, 1,
      async () => mineReference(log), 3);
  }

  const duck = await loadDuck(log);
  const duckRow = await measure('duckdb', 'DuckDB SQL (LEAD, list)', events, cpus,
    () => mineDuck(duck), events >= 10_000_000 ? 3 : 5);
  await duck.close();
  for (const row of mineRows) {
    row.peer = 'duckdb';
    row.ratio = Math.round((row.spread.p50Ms / duckRow.spread.p50Ms) * 1e5) / 1e5;
    row.speedup = Math.round((duckRow.spread.p50Ms / row.spread.p50Ms) * 10) / 10;
    console.log(`ratio      ${row.name} w=${row.workers}: time ÷ DuckDB's = ${row.ratio} ` +
      `(${row.speedup}× faster)`);
  }
  rows.push({
    suite: 'memory', name: 'log + load + one mine (RSS growth)', events, workers: 1,
    eventsPerSec: 0, peakRssMB: peakRssMB(),
    spread: { p50Ms: 0, minMs: 0, maxMs: 0, runs: 1 },
    bytesPerEvent: Math.round(bytesPerEvent * 10) / 10,
  });
}

if (wanted.has('ingest')) {
  const { ingestSuite } = await import('./ingest.js');
  const onRow = (row: IngestRow) => {
    const peer = row.ratio === undefined ? '' : ` (${row.ratio}× ${row.peer} MB/s)`;
    const resident = row.logMB === null ? '' : ` (log ${row.logMB} MB)`;
    console.log(`ingest     ${row.name.padEnd(28)} ${String(row.events).padStart(9)} ` +
      `${(row.eventsPerSec / 1e6).toFixed(2)} M ev/s ${row.mbPerSec.toFixed(1)} MB/s ` +
      `peak ${row.peakRssMB} MB${resident}${peer}`);
  };
  rows.push(...await ingestSuite({ sizes: quick ? [250_000] : [1_000_000, 10_000_000], onRow }));
  // The full run adds a CSV of about 2 GB (17 M events): the import's peak memory over the
  // log it builds. CSV only: the same events as XES would inflate to about 3.8 GB.
  if (!quick) {
    rows.push(...await ingestSuite({
      sizes: [17_000_000], csvOnly: true, rowImporter: false, onRow,
    }));
  }
}

if (wanted.has('reopen')) {
  const { benchReopen, formatReopenRow } = await import('./reopen.js');
  rows.push(...await benchReopen({
    sizes, onRow: (row) => console.log(`reopen     ${formatReopenRow(row)}`),
  }));
}

if (wanted.has('receivables')) {
  const { benchReceivables, formatReceivablesRow } = await import('./receivables.js');
  for (const r of await benchReceivables({
    invoices: quick ? 100_000 : 1_000_000, iterations: quick ? 2 : 5,
    onRow: (row) => console.log(`kpis       ${formatReceivablesRow(row)}`),
  })) {
    rows.push({
      suite: 'receivables', name: r.name, events: r.events, workers: 1,
      eventsPerSec: Math.round(r.events / (r.p50Ms / 1000)), peakRssMB: peakRssMB(),
      spread: { p50Ms: r.p50Ms, minMs: r.minMs, maxMs: r.maxMs, runs: r.runs },
    });
  }
}

if (wanted.has('http')) {
  const { benchHttp } = await import('./http.js');
  for (const r of await benchHttp(quick ? { seconds: 3, largeEvents: 1_000_000, filteredRuns: 5 }
    : { seconds: 10, largeEvents: 20_000_000, filteredRuns: 10 })) {
    console.log(`http       ${r.name.padEnd(28)} ${String(r.events).padStart(9)} ` +
      `${r.requestsPerSec === null ? '' : `${r.requestsPerSec} req/s `}p50 ${r.p50Ms} ms ` +
      `p99 ${r.p99Ms} ms errors ${r.errors}`);
    rows.push({
      suite: 'http', name: r.name, events: r.events, workers: cpus, eventsPerSec: 0,
      peakRssMB: peakRssMB(),
      spread: { p50Ms: r.p50Ms, minMs: 0, maxMs: r.maxMs, runs: r.requests },
      requestsPerSec: r.requestsPerSec, p99Ms: r.p99Ms, errors: r.errors,
    } as Row);
  }
}

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const out = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(`${out}latest.json`, `${JSON.stringify(rows, null, 2)}\n`);
console.log(`wrote ${out}latest.json`);
