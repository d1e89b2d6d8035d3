/**
 * Ingest benchmark: CSV, XES.gz and Parquet → compiled log on generated receivables logs of
 * about 1 M and 10 M events, beside DuckDB reading the same CSV into a table (`read_csv`, all
 * columns) in the same run. Every import runs in a child process of its own, so that peak RSS
 * is that import's and one import's garbage never slows the next. Inputs are generated once
 * into the system's temporary folder and reused.
 *
 * `ingestSuite()` returns rows for bench/main.ts; run alone, `node dist/bench/ingest.js
 * [--quick]` prints them.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { generateToFile } from '../src/generate/generate-to-file.js';
import type { IngestRun } from './ingest-once.js';
import { writeXesGz } from './ingest-xes-fixture.js';

/** One result row, in the shape bench/main.ts collects. */
export interface IngestRow {
  suite: 'ingest';
  name: string;
  events: number;
  workers: number;
  eventsPerSec: number;
  mbPerSec: number;
  peakRssMB: number;
  /**
   * RSS of the median run with the compiled log held, after full collections: the peak over
   * it is the import's own memory (see ingest-once.ts). Null for DuckDB.
   */
  residentMB: number | null;
  /** The log's heap and array buffers in that run (see ingest-once.ts). Null for DuckDB. */
  logMB: number | null;
  /** Median, fastest and slowest wall time, in ms. */
  spread: { p50Ms: number; minMs: number; maxMs: number; runs: number };
  /** CPU time of the median run, in ms (user + system, all threads). */
  cpuMs: number;
  /**
   * The machine's 1-minute load average before the first and after the last run: other work
   * on the same cores slows every row, so figures are only comparable at similar loads.
   */
  load: { before: number; after: number };
  peer?: string;
  /** Our MB/s over the peer's. */
  ratio?: number;
}

/** Options of {@link ingestSuite}. */
export interface IngestSuiteOptions {
  /** Target event counts; default 1 M and 10 M (17 M events make a CSV of about 2 GB). */
  sizes?: number[];
  /** Where generated inputs are kept; default `<tmp>/ledgerflow-bench-ingest`. */
  dir?: string;
  /** Runs per measurement (the median is reported); default 3 below 5 M events, else 1. */
  runs?: number;
  /** Called with each row as it is measured. */
  onRow?: (row: IngestRow) => void;
  /** Only the CSV rows (and only the CSV input is generated). */
  csvOnly?: boolean;
  /** False leaves out the row importer's row (it takes the longest). */
  rowImporter?: boolean;
}

// Generated logs average about 4.74 events per invoice (948,363 events for 200,000 invoices).
const EVENTS_PER_INVOICE = 4.74;
const SEED = 1;
const once = fileURLToPath(new URL('./ingest-once.js', import.meta.url));
const run = promisify(execFile);

/** Measures every format at every size; resolves with the rows. */
export async function ingestSuite(options: IngestSuiteOptions = {}): Promise<IngestRow[]> {
  const dir = options.dir ?? path.join(tmpdir(), 'ledgerflow-bench-ingest');
  mkdirSync(dir, { recursive: true });
  const rows: IngestRow[] = [];
  const add = (row: IngestRow) => {
    rows.push(row);
    options.onRow?.(row);
    return row;
  };
  for (const target of options.sizes ?? [1_000_000, 10_000_000]) {
    const invoices = Math.round(target / EVENTS_PER_INVOICE);
    const runs = options.runs ?? (target < 5_000_000 ? 3 : 1);
    const inputs = await makeInputs(dir, invoices, options.csvOnly === true);

    // The columnar path on one and on two threads, DuckDB between them (so that a drift in
    // the machine's load shows in the spread instead of favouring one side), and the row
    // importer (LEDGERFLOW_CSV_FAST=0) where it is quick enough to repeat.
    const csv1 = await measure('CSV → compiled log (1 thread)', inputs.csv, runs, 1, false,
      { LEDGERFLOW_CSV_WORKERS: '1' });
    const duck = await measure('DuckDB read_csv → table', inputs.csv, runs, 2, true);
    const csv2 = await measure('CSV → compiled log (2 threads)', inputs.csv, runs, 2, false,
      { LEDGERFLOW_CSV_WORKERS: '2', LEDGERFLOW_CSV_PARALLEL_BYTES: '0' });
    const rowsPath = target < 5_000_000 && options.rowImporter !== false
      ? await measure('CSV → compiled log (row importer)', inputs.csv, 1, 1, false,
        { LEDGERFLOW_CSV_FAST: '0' })
      : null;
    for (const row of [csv1, csv2, rowsPath]) {
      if (row === null) continue;
      row.peer = 'duckdb';
      row.ratio = Math.round((row.mbPerSec / duck.mbPerSec) * 100) / 100;
      add(row);
    }
    add(duck);
    if (options.csvOnly === true) continue;
    // 10 M generated events inflate to about 2.2 GB of XML, past the default guard against
    // decompression bombs (2 GiB): the file is genuine, so the guard is raised for it.
    add(await measure('XES.gz → compiled log', inputs.xes, runs, 1, false,
      { LEDGERFLOW_MAX_INFLATED_BYTES: String(16 * 1024 ** 3) }));
    add(await measure('Parquet → compiled log', inputs.parquet, runs, 1, false));
  }
  return rows;
}

async function makeInputs(dir: string, invoices: number, csvOnly: boolean) {
  const base = path.join(dir, `ar-${invoices}-s${SEED}`);
  const files = { csv: `${base}.csv`, parquet: `${base}.parquet`, xes: `${base}.xes.gz` };
  // Written under a temporary name and renamed, so an interrupted run leaves no torn input.
  const make = async (file: string, write: (to: string) => Promise<unknown>) => {
    if (existsSync(file)) return;
    await write(`${file}.part`);
    renameSync(`${file}.part`, file);
  };
  await make(files.csv, (to) => generateToFile(to, { invoices, seed: SEED, format: 'csv' }));
  if (csvOnly) return files;
  await make(files.parquet,
    (to) => generateToFile(to, { invoices, seed: SEED, format: 'parquet' }));
  await make(files.xes, (to) => writeXesGz(to, invoices, SEED));
  return files;
}

async function measure(
  name: string, file: string, runs: number, workers: number, duckdb: boolean,
  env: Record<string, string> = {},
): Promise<IngestRow> {
  const results: IngestRun[] = [];
  const before = loadavg()[0];
  for (let i = 0; i < runs; i++) {
    const args = ['--expose-gc', once, file, '--json', ...(duckdb ? ['--duckdb'] : [])];
    const { stdout } = await run(process.execPath, args,
      { maxBuffer: 1 << 20, env: { ...process.env, ...env } });
    results.push(JSON.parse(stdout.trim().split('\n').pop() as string) as IngestRun);
  }
  results.sort((a, b) => a.wallMs - b.wallMs);
  const median = results[results.length >> 1];
  const seconds = median.wallMs / 1000;
  return {
    suite: 'ingest', name, events: median.events, workers,
    eventsPerSec: Math.round(median.events / seconds),
    mbPerSec: Math.round((median.bytes / 1e6 / seconds) * 10) / 10,
    peakRssMB: Math.max(...results.map((r) => r.peakRssMB)),
    residentMB: median.residentMB,
    logMB: median.logMB,
    spread: {
      p50Ms: Math.round(median.wallMs), minMs: Math.round(results[0].wallMs),
      maxMs: Math.round(results[results.length - 1].wallMs), runs,
    },
    cpuMs: Math.round(median.cpuMs),
    load: { before: round2(before), after: round2(loadavg()[0]) },
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function print(row: IngestRow): void {
  const peer = row.ratio === undefined ? '' : ` ${row.ratio}× ${row.peer}`;
  const { p50Ms, minMs, maxMs, runs } = row.spread;
  console.log(`ingest ${row.name.padEnd(34)} ${String(row.events).padStart(9)} w=${row.workers} ` +
    `${row.mbPerSec.toFixed(1).padStart(6)} MB/s ${(row.eventsPerSec / 1e6).toFixed(2)} M ev/s ` +
    `wall p50 ${p50Ms} ms [${minMs}–${maxMs}, ${runs} runs] cpu ${row.cpuMs} ms, ` +
    `peak RSS ${row.peakRssMB} MB` +
    (row.residentMB === null ? '' : ` (after GC: RSS ${row.residentMB} MB, log ${row.logMB} MB;` +
      ` peak over the log ${row.peakRssMB - (row.logMB as number)} MB)`) +
    `, load ${row.load.before.toFixed(2)}→` +
    `${row.load.after.toFixed(2)}${peer}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const runs = process.argv.find((a) => a.startsWith('--runs='));
  // --events=17000000 (a 2 GB CSV) or any list; --quick is 1 M, --large 10 M.
  const events = process.argv.find((a) => a.startsWith('--events='));
  ingestSuite({
    sizes: events !== undefined ? events.slice('--events='.length).split(',').map(Number)
      : quick ? [1_000_000] : process.argv.includes('--large') ? [10_000_000] : undefined,
    csvOnly: process.argv.includes('--csv'), onRow: print,
    runs: runs === undefined ? undefined : Number(runs.slice('--runs='.length)),
  }).catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
