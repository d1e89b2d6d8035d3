/**
 * Reopen benchmark: `loadCompiledLog` of a saved generated receivables log (about 1 M and
 * 20 M events), beside a plain `readFile` of the same two files as the floor (the peer). A
 * reopen reads the mining columns only; a second row adds the first use of everything it
 * left on disk (resources, case ids, every event and case attribute), so that the deferred
 * cost shows. Each
 * run is a child process of its own, as a reopen after a restart is: the page cache is warm
 * (the file was just written or read), the heap is not, and peak RSS is that run's. Runs of
 * the two alternate, so that other tenants of the machine weigh on both alike.
 *
 * `benchReopen()` returns rows for bench/main.ts; run alone, `node dist/bench/reopen.js
 * [--quick]` prints them, and `node dist/bench/reopen.js --probe FILE [--read|--touch]` is
 * one run.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
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
  /** Resident memory right after the open returned (median), for the reopen rows. */
  rssAfterOpenMB?: number;
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
  /** VmRSS when `loadCompiledLog` returned (before any first use). */
  rssAfterOpenMB?: number;
  /** Values of every column read after the open (touch runs). */
  touchedCells?: number;
}

/** What a probe does: reopen, reopen and use every column, or only read the two files. */
type ProbeMode = 'load' | 'touch' | 'read';

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
    const touches: ProbeRun[] = [];
    const reads: ProbeRun[] = [];
    for (let i = 0; i < runs; i++) {
      loads.push(await probe(file, 'load'));
      touches.push(await probe(file, 'touch'));
      reads.push(await probe(file, 'read'));
    }
    const ours = summarize('loadCompiledLog', loads);
    const all = summarize('reopen + first use of all', touches);
    // A read does not know the event count: it is the same log's.
    const peer = summarize('readFile (peer)', reads.map((r) => ({ ...r, events: ours.events })));
    for (const row of [ours, all]) {
      row.peer = 'readFile';
      row.ratio = Math.round((row.spread.p50Ms / peer.spread.p50Ms) * 100) / 100;
    }
    for (const row of [ours, all, peer]) {
      rows.push(row);
      options.onRow?.(row);
    }
  }
  return rows;
}

async function probe(file: string, mode: ProbeMode): Promise<ProbeRun> {
  const { stdout } = await run(process.execPath,
    [self, '--probe', file, ...(mode === 'load' ? [] : [`--${mode}`])], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as ProbeRun;
}

function summarize(name: string, runs: ProbeRun[]): ReopenRow {
  const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const cpu = runs.map((r) => r.cpuMs).sort((a, b) => a - b);
  const median = byWall[byWall.length >> 1];
  const seconds = median.wallMs / 1000;
  const rss = runs.map((r) => r.rssAfterOpenMB).filter((mb) => mb !== undefined)
    .sort((a, b) => a - b);
  return {
    suite: 'reopen', name, events: median.events, workers: 1,
    eventsPerSec: Math.round(median.events / seconds),
    mbPerSec: Math.round((median.bytes / 1e6 / seconds) * 10) / 10,
    peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
    ...(rss.length > 0 ? { rssAfterOpenMB: rss[rss.length >> 1] } : {}),
    spread: {
      p50Ms: Math.round(median.wallMs), minMs: Math.round(byWall[0].wallMs),
      maxMs: Math.round(byWall[byWall.length - 1].wallMs), runs: runs.length,
    },
    cpu: { p50Ms: Math.round(cpu[cpu.length >> 1]), minMs: Math.round(cpu[0]) },
    load: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** One run in this process: reopen the log (and use all of it), or only read its files. */
async function probeMain(file: string, mode: ProbeMode): Promise<void> {
  const bytes = statSync(file).size + statSync(casesPathFor(file)).size;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  let count = 0;
  let rssAfterOpenMB: number | undefined;
  let touchedCells: number | undefined;
  if (mode === 'read') {
    await Promise.all([readFile(file), readFile(casesPathFor(file))]);
  } else {
    const log = await loadCompiledLog(file);
    rssAfterOpenMB = residentMB();
    count = log.eventCount;
    if (mode === 'touch') {
      // Iterating the Maps loads every attribute column; the rest are read by name.
      let cells = 0;
      for (const [, column] of [...log.eventAttributes, ...log.caseAttributes]) {
        cells += column.kind === 'string' ? column.codes.length : column.values.length;
      }
      cells += (log.resource?.length ?? 0) + log.caseIds.length;
      touchedCells = cells;
    }
  }
  const wallMs = performance.now() - wall;
  const used = process.cpuUsage(cpu);
  const result: ProbeRun = {
    bytes, events: count, wallMs, cpuMs: (used.user + used.system) / 1000,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), rssAfterOpenMB, touchedCells,
  };
  console.log(JSON.stringify(result));
}

/** This process's resident memory now (VmRSS), in MB. */
function residentMB(): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb === undefined ? NaN : Math.round(Number(kb) / 1024);
}

/** The line bench/main.ts and a run of this file print per row. */
export function formatReopenRow(row: ReopenRow): string {
  const peer = row.ratio === undefined ? '' : ` ${row.ratio}× ${row.peer}'s time`;
  return `${row.name.padEnd(28)} ${String(row.events).padStart(9)} ` +
    `${(row.eventsPerSec / 1e6).toFixed(1).padStart(6)} M ev/s ` +
    `${row.mbPerSec.toFixed(0).padStart(5)} MB/s p50 ${row.spread.p50Ms} ms ` +
    `[${row.spread.minMs}–${row.spread.maxMs}] ` +
    `cpu p50 ${row.cpu.p50Ms} min ${row.cpu.minMs} ms ` +
    `peak ${row.peakRssMB} MB` +
    `${row.rssAfterOpenMB === undefined ? '' : ` (after open ${row.rssAfterOpenMB} MB)`}` +
    ` load ${row.load}${peer}`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--probe');
  const quick = process.argv.includes('--quick');
  const mode: ProbeMode = process.argv.includes('--read') ? 'read'
    : process.argv.includes('--touch') ? 'touch' : 'load';
  const work = at >= 0 ? probeMain(process.argv[at + 1], mode)
    : benchReopen({ sizes: quick ? [1_000_000] : undefined })
      .then((rows) => rows.forEach((row) => console.log(`reopen     ${formatReopenRow(row)}`)));
  work.catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
