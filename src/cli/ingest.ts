/**
 * `ledgerflow ingest FILE -o log.arrow`: compiles a log once and saves it as Arrow IPC.
 */
import { parseArgs } from 'node:util';
import { saveCompiledLog } from '../log/log-file.js';
import { casesPathFor } from '../log/log-file.js';
import { formatCount } from './format.js';
import { importFlagHelp, importFlagSpec, importOptionsFromFlags } from './import-flags.js';
import { readLog } from './analyze.js';

/** Help text of `ingest`. */
export const ingestHelp = `Usage: ledgerflow ingest FILE -o LOG.arrow [options]

Compiles an event log and saves it as Arrow IPC: LOG.arrow (events) and LOG.cases.arrow (the
case table). \`ledgerflow analyze LOG.arrow\` then answers without re-reading the source.

${importFlagHelp}`;

/** Runs `ingest`; returns the exit code. */
export async function ingestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...importFlagSpec, output: { type: 'string', short: 'o' } },
  });
  if (positionals.length !== 1 || values.output === undefined) {
    process.stderr.write(`${ingestHelp}\n`);
    return 2;
  }
  const log = await readLog(positionals[0], importOptionsFromFlags(values), true);
  await saveCompiledLog(log, values.output);
  process.stderr.write(`wrote ${values.output} and ${casesPathFor(values.output)}: ` +
    `${formatCount(log.caseCount)} cases, ${formatCount(log.eventCount)} events\n`);
  return 0;
}
