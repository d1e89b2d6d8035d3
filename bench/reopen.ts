/**
 * Reopen benchmark: `loadCompiledLog` of a saved generated receivables log (about 1 M and
 * 20 M events), beside a plain `readFile` of the same two files as the floor (the peer). Each
 * run is a child process of its own, as a reopen after a restart is: the page cache is warm
 * (the file was just written or read), the heap is not, and peak RSS is that run's. Runs of
 * the two alternate, so that other tenants of the machine weigh on both alike.
 *
 * `benchReopen()` returns rows for bench/main.ts; run alone, `node dist/bench/reopen.js
 * [--quick]` prints them, and `node dist/bench/reopen.js --probe FILE [--read]` is one run.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { casesPathFor, loadCompiledLog } from '../src/log/log-file.js';

/** One result row, in the shape bench/main.ts collects. */
export interface ReopenRow {
  suite: 'reopen';
  name: string;
  events: number;
  workers: 1;
  eventsPerSec: number;
  /** Bytes of both files over the median wall time. */
  mbPerSec: number;
  peakRssMB: number;
  /** Median, fastest and slowest wall time, in ms. */
  spread: { p50Ms: number; minMs: number; maxMs: number; runs: number };
  /** CPU time (user + system), median and least, in ms. */
  cpu: { p50Ms: number; minMs: number };
  /** Load average (1 min) when the row was measured: other tenants share the CPUs. */
  load: number;
  peer?: string;
  /** Our median wall time ÷ the peer's (1 would be: reopening costs exactly a read). */
  ratio?: number;
}

/** Options of {@link benchReopen}. */
export interface ReopenOptions {
  /** Target event counts; default 1 M and 20 M. */
  sizes?: number[];
  /** Runs of each alternative (the median is reported); default 7 below 5 M events, else 5. */
  runs?: number;
  /** Where the saved logs are kept and reused; default `<tmp>/ledgerflow-bench-reopen`. */
  dir?: string;
  /** Called with each row as it is measured. */
  onRow?: (row: ReopenRow) => void;
}

/** What one probe run measured, printed as one JSON line. */
interface ProbeRun {
  bytes: number;
  events: number;
  wallMs: number;
  cpuMs: number;
  peakRssMB: number;
}

// Generated logs average about 4.73 events per invoice (20,007,232 for 4,230,000 invoices).
const EVENTS_PER_INVOICE = 4.73;
const SEED = 1;
const self = fileURLToPath(import.meta.url);
const cli = fileURLToPath(new URL('../../bin/ledgerflow.js', import.meta.url));
const run = promisify(execFile);

/** Saves each size once (reused across runs), then times reopening it against reading it. */
export async function benchReopen(options: ReopenOptions = {}): Promise<ReopenRow[]> {
  const dir = options.dir ?? path.join(tmpdir(), 'ledgerflow-bench-reopen');
  mkdirSync(dir, { recursive: true });
  const rows: ReopenRow[] = [];
  for (const target of options.sizes ?? [1_000_000, 20_000_000]) {
    const invoices = Math.round(target / EVENTS_PER_INVOICE);
    // The format version is in the name: a log saved by an older format is not reused.
    const file = path.join(dir, `ar-${invoices}-s${SEED}-f2.arrow`);
    if (!existsSync(file) || !existsSync(casesPathFor(file))) {
      // A child process: generating 20 M events takes ~4 GB that this process should not keep.
      await run(process.execPath, [cli, 'generate', '--invoices', String(invoices),
        '--seed', String(SEED), '-o', file], { maxBuffer: 1 << 20 });
    }
    const runs = options.runs ?? (target < 5_000_000 ? 7 : 5);
    const loads: ProbeRun[] = [];
    const reads: ProbeRun[] = [];
    for (let i = 0; i < runs; i++) {
      loads.push(await probe(file, false));
      reads.push(await probe(file, true));
    }
    const ours = summarize('loadCompiledLog', loads);
    // A read does not know the event count: it is the same log's.
    const peer = summarize('readFile (peer)', reads.map((r) => ({ ...r, events: ours.events })));
    ours.peer = 'readFile';
    ours.ratio = Math.round((ours.spread.p50Ms / peer.spread.p50Ms) * 100) / 100;
    for (const row of [ours, peer]) {
      rows.push(row);
      options.onRow?.(row);
    }
  }
  return rows;
}

async function probe(file: string, read: boolean): Promise<ProbeRun> {
  const { stdout } = await run(process.execPath,
    [self, '--probe', file, ...(read ? ['--read'] : [])], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as ProbeRun;
}

function summarize(name: string, runs: ProbeRun[]): ReopenRow {
  const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const cpu = runs.map((r) => r.cpuMs).sort((a, b) => a - b);
  const median = byWall[byWall.length >> 1];
  const seconds = median.wallMs / 1000;
  return {
    suite: 'reopen', name, events: median.events, workers: 1,
    eventsPerSec: Math.round(median.events / seconds),
    mbPerSec: Math.round((median.bytes / 1e6 / seconds) * 10) / 10,
    peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
    spread: {
      p50Ms: Math.round(median.wallMs), minMs: Math.round(byWall[0].wallMs),
      maxMs: Math.round(byWall[byWall.length - 1].wallMs), runs: runs.length,
    },
    cpu: { p50Ms: Math.round(cpu[cpu.length >> 1]), minMs: Math.round(cpu[0]) },
    load: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** One run in this process: reopen the log, or only read its two files. */
async function probeMain(file: string, read: boolean): Promise<void> {
  const bytes = statSync(file).size + statSync(casesPathFor(file)).size;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  let count = 0;
  if (read) {
    await Promise.all([readFile(file), readFile(casesPathFor(file))]);
  } else {
    count = (await loadCompiledLog(file)).eventCount;
  }
  const wallMs = performance.now() - wall;
  const used = process.cpuUsage(cpu);
  const result: ProbeRun = {
    bytes, events: count, wallMs, cpuMs: (used.user + used.system) / 1000,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  console.log(JSON.stringify(result));
}

/** The line bench/main.ts and a run of this file print per row. */
export function formatReopenRow(row: ReopenRow): string {
  const peer = row.ratio === undefined ? '' : ` ${row.ratio}× ${row.peer}'s time`;
  return `${row.name.padEnd(28)} ${String(row.events).padStart(9)} ` +
    `${(row.eventsPerSec / 1e6).toFixed(1).padStart(6)} M ev/s ` +
    `${row.mbPerSec.toFixed(0).padStart(5)} MB/s p50 ${row.spread.p50Ms} ms ` +
    `[${row.spread.minMs}–${row.spread.maxMs}] ` +
    `cpu p50 ${row.cpu.p50Ms} min ${row.cpu.minMs} ms ` +
    `peak ${row.peakRssMB} MB load ${row.load}${peer}`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--probe');
  const quick = process.argv.includes('--quick');
  const work = at >= 0 ? probeMain(process.argv[at + 1], process.argv.includes('--read'))
    : benchReopen({ sizes: quick ? [1_000_000] : undefined })
      .then((rows) => rows.forEach((row) => console.log(`reopen     ${formatReopenRow(row)}`)));
  work.catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
