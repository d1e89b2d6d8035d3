/**
 * The `ledgerflow` command: dispatches to one sub-command per job.
 */
import { closeDefaultEngine } from '../engine/default-engine.js';
import { isLedgerflowError } from '../errors.js';

type Command = { run: (argv: string[]) => Promise<number>; help: string };

// Each command loads its module on use, so `analyze` does not pay for Excel or the server.
const commands: Record<string, () => Promise<Command>> = {
  analyze: async () => {
    const m = await import('./analyze.js');
    return { run: m.analyzeCommand, help: m.analyzeHelp };
  },
  ingest: async () => {
    const m = await import('./ingest.js');
    return { run: m.ingestCommand, help: m.ingestHelp };
  },
  generate: async () => {
    const m = await import('./generate.js');
    return { run: m.generateCommand, help: m.generateHelp };
  },
  template: async () => {
    const m = await import('./generate.js');
    return { run: m.templateCommand, help: m.templateHelp };
  },
  serve: async () => {
    const m = await import('./serve.js');
    return { run: m.serveCommand, help: m.serveHelp };
  },
  demo: async () => {
    const m = await import('./demo.js');
    return { run: m.demoCommand, help: m.demoHelp };
  },
};

const usage = `Usage: ledgerflow COMMAND [options]

Commands:
  analyze FILE        summary of an event log: variants, process map edges, durations
  ingest FILE -o F    compile a log once and save it as Arrow IPC
  generate            write a synthetic receivables log (CSV, Parquet or compiled .arrow)
  template            write the receivables data template (.xlsx and .csv)
  serve               the HTTP API and web page (127.0.0.1:8080, demo log on first start)
  demo                generate 10,000 invoices in memory and analyze them

Run \`ledgerflow COMMAND --help\` for the options of one command.`;

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (load === undefined) {
    process.stderr.write(`unknown command ${JSON.stringify(name)}\n\n${usage}\n`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    return reportError(err, command.help);
  } finally {
    // The pool's worker threads would keep the process alive after the answer.
    await closeDefaultEngine();
  }
}

function reportError(err: unknown, help: string): number {
  if (isLedgerflowError(err)) {
    process.stderr.write(`error ${err.code}: ${err.message}\n`);
    return 1;
  }
  // parseArgs rejects unknown or malformed flags with a TypeError carrying a code.
  if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${(err as Error).message}\n\n${help}\n`);
    return 2;
  }
  throw err;
}
