/**
 * `ledgerflow analyze FILE`: imports (or loads) a log and prints its summary.
 */
import { parseArgs } from 'node:util';
import { summarizeLog, type LogSummary } from '../analysis/log-summary.js';
import {
  computeReceivables, renderReceivables, type ReceivablesReport,
} from '../analysis/receivables/index.js';
import { mineLog } from '../engine/mine-log.js';
import { importLog } from '../ingest/import-log.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { reportFlag, reportFlagHelp } from '../report/report-flag.js';
import { formatCount, formatDuration, formatShare, formatTable } from './format.js';
import { importFlagHelp, importFlagSpec, importOptionsFromFlags } from './import-flags.js';
import { makeProgress } from './progress.js';
import {
  receivablesFlagHelp, receivablesFlagSpec, receivablesOptionsFromFlags,
} from './receivables-flags.js';

/** Help text of `analyze`. */
export const analyzeHelp = `Usage: ledgerflow analyze FILE [options]

Reads an event log (CSV, XES, XES.gz, Parquet, Arrow, XLSX template, or a compiled .arrow log)
and prints cases, events, activities, time span, start and end activities, top variants, the
directly-follows edges with counts and median waiting time, and case durations; then the
receivables section: KPI cards, aging, stuck invoices and bottlenecks.

Options:
  --json                  print one JSON object instead of tables
  --top N                 how many variants and edges to print (default 10; --json: all)
${reportFlagHelp}
${importFlagHelp}
${receivablesFlagHelp}`;

/** Runs `analyze`; returns the exit code. */
export async function analyzeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...importFlagSpec, ...receivablesFlagSpec, ...reportFlag,
      json: { type: 'boolean' }, top: { type: 'string' },
    },
  });
  if (positionals.length !== 1) {
    process.stderr.write(`${analyzeHelp}\n`);
    return 2;
  }
  const top = values.top === undefined ? 10 : Number(values.top);
  if (!Number.isInteger(top) || top < 1) {
    process.stderr.write('--top must be a whole number of at least 1\n');
    return 2;
  }

  // Options are checked before the (possibly long) import, so a typo fails at once.
  const importOptions = importOptionsFromFlags(values);
  const receivablesOptions = receivablesOptionsFromFlags(values);
  const notes: string[] = [];
  const log = await readLog(positionals[0], importOptions, !values.json, notes);
  const mined = await mineLog(log);
  const summary = summarizeLog(log, mined);
  const receivables = computeReceivables(log, mined, receivablesOptions);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...summary, notes, receivables }, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderSummary(summary, top)}\n\n${receivablesSection(receivables)}\n`);
  }
  if (values.report !== undefined) {
    const { writeReport } = await import('../report/report-file.js');
    await writeReport(values.report, log, mined, receivables);
  }
  return 0;
}

/** The receivables tables, or one line saying why there are none. */
export function receivablesSection(report: ReceivablesReport): string {
  if (report.kpis.length === 0) {
    return 'Receivables: no activity matched a receivables role; map your names with --roles ' +
      '(see examples/roadtraffic-roles.json).';
  }
  return renderReceivables(report);
}

/**
 * Imports a file with a progress bar, telling the user what the import decided (the mapping,
 * the date order): on standard error when `tell`, and into `notes` when given.
 */
export async function readLog(
  file: string, options: ReturnType<typeof importOptionsFromFlags>, tell: boolean,
  notes?: string[],
): Promise<CompiledLog> {
  const progress = makeProgress('reading');
  try {
    return await importLog(file, {
      ...options,
      onProgress: progress.update,
      onNote: (note) => {
        notes?.push(note);
        if (tell) process.stderr.write(`${note}\n`);
      },
    });
  } finally {
    progress.done();
  }
}

/** The summary as readable tables. */
export function renderSummary(s: LogSummary, top: number): string {
  const out: string[] = [];
  out.push(`${s.source} (${s.format})`);
  out.push(formatTable(['', ''], [
    ['cases', formatCount(s.cases)],
    ['events', formatCount(s.events)],
    ['activities', formatCount(s.activities)],
    ['first event', s.timeSpan.start ?? '–'],
    ['last event', s.timeSpan.end ?? '–'],
    ['case duration median', formatDuration(s.caseDurations.medianMs)],
    ['case duration mean', formatDuration(s.caseDurations.meanMs)],
  ]).split('\n').slice(2).join('\n'));
  const lc = s.lifecycle;
  if (lc.pairedInstances + lc.unpairedStarts + lc.otherTransitions > 0) {
    out.push(`lifecycle: ${formatCount(lc.rawEvents)} raw events → ${formatCount(s.events)} ` +
      `activity instances (${formatCount(lc.pairedInstances)} start/complete pairs, ` +
      `${formatCount(lc.unpairedStarts)} starts never completed, ` +
      `${formatCount(lc.otherTransitions)} other transitions not counted as instances)`);
  }
  const skipped = Object.entries(s.skippedRows);
  if (skipped.length > 0) {
    out.push(`skipped rows: ${skipped.map(([why, n]) => `${formatCount(n)} ${why}`).join(', ')}`);
  }

  out.push('', 'Start activities');
  out.push(countTable(s.startActivities, s.cases));
  out.push('', 'End activities');
  out.push(countTable(s.endActivities, s.cases));

  out.push('', `Top variants (${formatCount(s.variants.length)} in all)`);
  out.push(formatTable(['#', 'cases', 'share', 'length', 'activities'],
    s.variants.slice(0, top).map((v, i) => [i + 1, formatCount(v.count), formatShare(v.share),
      v.activities.length, abbreviate(v.activities.join(' → '), 100)])));

  out.push('', `Directly-follows edges (${formatCount(s.dfg.edges.length)} in all, by count)`);
  out.push(formatTable(['from', 'to', 'count', 'median wait', 'mean wait'],
    s.dfg.edges.slice(0, top).map((e) => [e.from, e.to, formatCount(e.count),
      formatDuration(e.medianMs), formatDuration(e.meanMs)])));
  return out.join('\n');
}

function countTable(counts: Record<string, number>, cases: number): string {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1])
    .map(([name, n]) => [name, formatCount(n), formatShare(cases === 0 ? 0 : n / cases)]);
  return formatTable(['activity', 'cases', 'share'], rows);
}

function abbreviate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
