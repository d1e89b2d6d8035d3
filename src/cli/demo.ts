/**
 * `ledgerflow demo`: generates 10,000 invoices in memory and analyzes them, so a newcomer sees
 * answers with nothing to download or prepare.
 */
import { parseArgs } from 'node:util';
import { summarizeLog } from '../analysis/log-summary.js';
import { mineLog } from '../engine/mine-log.js';
import { generateLog } from '../generate/index.js';
import { computeReceivables } from '../analysis/receivables/index.js';
import { receivablesSection, renderSummary } from './analyze.js';

/** Help text of `demo`. */
export const demoHelp = `Usage: ledgerflow demo [--invoices N] [--seed S] [--json]

Generates a synthetic receivables log in memory (default 10,000 invoices, seed 1) and prints
the same summary as \`ledgerflow analyze\`.`;

/** Runs `demo`; returns the exit code. */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      invoices: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' },
    },
  });
  const invoices = Number(values.invoices ?? 10_000);
  const seed = Number(values.seed ?? 1);
  if (!Number.isSafeInteger(invoices) || invoices < 1 || !Number.isSafeInteger(seed)) {
    process.stderr.write('--invoices and --seed must be whole numbers (invoices at least 1)\n');
    return 2;
  }
  const log = generateLog({ invoices, seed });
  const mined = await mineLog(log);
  const summary = summarizeLog(log, mined);
  const receivables = computeReceivables(log, mined);
  process.stdout.write(values.json ? `${JSON.stringify({ ...summary, receivables }, null, 2)}\n`
    : `${renderSummary(summary, 10)}\n\n${receivablesSection(receivables)}\n`);
  return 0;
}
