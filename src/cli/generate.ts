/**
 * `ledgerflow generate` (a synthetic receivables log) and `ledgerflow template` (the data
 * template people fill in).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LedgerflowError } from '../errors.js';
import {
  describe, generateLogWithSummary, generateToFile, plantedRates, templateToFiles,
} from '../generate/index.js';
import { casesPathFor, saveCompiledLog } from '../log/log-file.js';
import { formatCount } from './format.js';

/** Help text of `generate`. */
export const generateHelp = `Usage: ledgerflow generate --invoices N [--seed S] -o FILE [options]

Writes a realistic synthetic receivables log in the template's columns: dunning after the due
date, promises kept or broken, disputes and credit notes, partial payments, automatic and
manual cash application, invoices still open at the cut-off, a few stuck ones. The same seed
gives the same file. CSV and Parquet are streamed (any size); .arrow is a compiled log.

Options:
  --invoices N      number of invoices (cases)
  --seed S          any integer (default 1)
  -o, --output F    output file: .csv, .parquet or .arrow (compiled log)
  --format F        csv | parquet | arrow (default: from the file name)
  --cutoff DATE     no event after this instant (default 2025-01-01T00:00:00Z)
  --describe        print the rates the generator plants, per segment (with --json: as JSON)
  --json            with --describe: JSON for scripts`;

/** Help text of `template`. */
export const templateHelp = `Usage: ledgerflow template [-o DIR]

Writes the receivables data template into DIR (default: the current folder):
ledgerflow-template.xlsx (an Events sheet with example invoices and an Instructions sheet) and
ledgerflow-template.csv. A filled template imports with no mapping flags.`;

/** Runs `generate`; returns the exit code. */
export async function generateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      invoices: { type: 'string' },
      seed: { type: 'string' },
      output: { type: 'string', short: 'o' },
      format: { type: 'string' },
      cutoff: { type: 'string' },
      describe: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (values.describe) {
    process.stdout.write(values.json ? `${JSON.stringify(plantedRates(), null, 2)}\n`
      : `${describe()}\n`);
    if (values.output === undefined) return 0;
  }
  if (values.output === undefined || values.invoices === undefined) {
    process.stderr.write(`${generateHelp}\n`);
    return 2;
  }
  const invoices = wholeNumber('--invoices', values.invoices, 1);
  const seed = values.seed === undefined ? 1 : wholeNumber('--seed', values.seed, 0);
  const format = values.format ?? formatFromName(values.output);
  const options = { invoices, seed, cutoff: values.cutoff };

  if (format === 'arrow') {
    const { log, summary } = generateLogWithSummary(options);
    await saveCompiledLog(log, values.output);
    process.stderr.write(`wrote ${values.output} and ${casesPathFor(values.output)}: ` +
      `${formatCount(summary.invoices)} invoices, ${formatCount(log.eventCount)} events\n`);
    return 0;
  }
  if (format !== 'csv' && format !== 'parquet') {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID', '--format must be csv, parquet or arrow',
      { field: '--format', value: format });
  }
  const summary = await generateToFile(values.output, { ...options, format });
  process.stderr.write(`wrote ${values.output}: ${formatCount(summary.invoices)} invoices, ` +
    `${formatCount(summary.rows)} events, ${formatCount(summary.openAtCutoff)} open at the ` +
    `cut-off ${new Date(summary.cutoff).toISOString()}\n`);
  return 0;
}

/** Runs `template`; returns the exit code. */
export async function templateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { output: { type: 'string', short: 'o' } } });
  const written = await templateToFiles(values.output ?? '.');
  process.stderr.write(`wrote ${written.xlsx} and ${written.csv}\n`);
  return 0;
}

function formatFromName(file: string): string {
  const ext = path.extname(file).toLowerCase().slice(1);
  return ext === '' ? 'csv' : ext;
}

function wholeNumber(flag: string, text: string, minimum: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < minimum) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `${flag} must be a whole number of at least ${minimum}`, { field: flag, value: text });
  }
  return n;
}
