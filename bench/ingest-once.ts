/**
 * Imports one file in this process and prints wall time, CPU time, throughput and peak RSS.
 * Run alone as a probe (`node --cpu-prof dist/bench/ingest-once.js FILE`), or by the ingest
 * suite with `--json`, one child process per measurement so that peak RSS is the import's own.
 * `--duckdb` times DuckDB's `read_csv` of the same file into a table instead (the peer).
 */
import { statSync } from 'node:fs';
import { importLog } from '../src/ingest/import-log.js';

/** What one run measured; printed as one JSON line with `--json`. */
export interface IngestRun {
  file: string;
  bytes: number;
  events: number;
  wallMs: number;
  cpuMs: number;
  peakRssMB: number;
  /**
   * RSS with the compiled log still held, after two full collections (only when node runs
   * with --expose-gc, as the ingest suite runs it; else null): what the log itself occupies,
   * against which the import's peak is the import's own overhead.
   */
  residentMB: number | null;
  /**
   * What the JavaScript heap and array buffers hold at that moment (the log's columns and
   * strings, and little else), in MB; null as above. RSS after collection may stay higher,
   * as freed memory is not always given back to the system.
   */
  logMB: number | null;
}

async function duckdbTable(file: string): Promise<number> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const quoted = file.replaceAll("'", "''");
  await connection.run(`CREATE TABLE ev AS SELECT * FROM read_csv('${quoted}', header = true)`);
  const count = await connection.runAndReadAll('SELECT count(*) FROM ev');
  const events = Number(count.getRows()[0][0]);
  connection.closeSync();
  instance.closeSync();
  return events;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  const json = process.argv.includes('--json');
  const duck = process.argv.includes('--duckdb');
  const bytes = statSync(file).size;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const log = duck ? null : await importLog(file);
  const events = log === null ? await duckdbTable(file) : log.eventCount;
  const wallMs = performance.now() - wall;
  const used = process.cpuUsage(cpu);
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
  const held = collect === undefined || log === null ? null : process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  const run: IngestRun = {
    file, bytes, events, wallMs, cpuMs: (used.user + used.system) / 1000, peakRssMB,
    residentMB: held === null ? null : mb(held.rss),
    logMB: held === null ? null : mb(held.heapUsed + held.arrayBuffers),
  };
  if (json) {
    console.log(JSON.stringify(run));
    return;
  }
  console.log(`${file}${duck ? ' (DuckDB)' : ''}: ${events} events, ` +
    `wall ${wallMs.toFixed(0)} ms, cpu ${run.cpuMs.toFixed(0)} ms, ` +
    `${(bytes / 1e6 / (wallMs / 1000)).toFixed(1)} MB/s, ` +
    `${(events / (wallMs / 1000) / 1e6).toFixed(2)} M ev/s, peak RSS ${run.peakRssMB} MB` +
    (run.residentMB === null ? '' : `, ${run.residentMB} MB resident with the log`) +
    (run.logMB === null ? '' : ` (${run.logMB} MB of heap and array buffers)`));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
