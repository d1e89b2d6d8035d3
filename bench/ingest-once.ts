/**
 * Imports one file and prints wall time, CPU time, throughput and peak RSS: the quick probe
 * behind the ingest profiles (`node --cpu-prof dist/bench/ingest-once.js FILE`).
 */
import { statSync } from 'node:fs';
import { importLog } from '../src/ingest/import-log.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  const bytes = statSync(file).size;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const log = await importLog(file);
  const ms = performance.now() - wall;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`${file}: ${log.eventCount} events, ${log.caseCount} cases, ` +
    `wall ${ms.toFixed(0)} ms, cpu ${cpuMs.toFixed(0)} ms, ` +
    `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s, ` +
    `${(log.eventCount / (ms / 1000) / 1e6).toFixed(2)} M ev/s, peak RSS ${rss} MB`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
