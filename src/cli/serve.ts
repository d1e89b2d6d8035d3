/**
 * `ledgerflow serve`: the HTTP service with its OpenAPI description at /docs.
 */
import { parseArgs } from 'node:util';
import { LedgerflowError, quoteValue } from '../errors.js';
import { startServer } from '../server/index.js';

/** Help text of `serve`. */
export const serveHelp = `Usage: ledgerflow serve [options]

Serves the HTTP API (OpenAPI description and try-out page at /docs). Uploaded logs are
compiled once and kept in the data directory; an empty store first gets a generated demo
log of 10,000 invoices.

Options:
  --host H        address to listen on (default LEDGERFLOW_HOST or 127.0.0.1)
  --port N        port (default LEDGERFLOW_PORT or 8080; 0 picks a free one)
  --data DIR      data directory (default LEDGERFLOW_DATA or ./data)
  --no-demo       do not import the demo log into an empty store

Environment:
  LEDGERFLOW_API_KEYS     comma-separated keys; when set, every route but /healthz needs
                          Authorization: Bearer KEY
  LEDGERFLOW_MAX_UPLOAD   largest upload in bytes (default 2 GiB)`;

/** Runs `serve` until SIGTERM / SIGINT; resolves to the exit code. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      demo: { type: 'boolean', default: true },
      'no-demo': { type: 'boolean' },
    },
  });
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new LedgerflowError('LF_ERR_OPTION_INVALID',
        `--port must be a port number 0 to 65535 (got ${quoteValue(values.port)})`,
        { field: '--port' });
    }
  }
  const server = await startServer({
    host: values.host,
    port,
    dataDir: values.data,
    demo: values.demo && values['no-demo'] !== true,
  });
  process.stderr.write(`ledgerflow listening on ${server.url} (API description: ` +
    `${server.url}/docs)\n`);
  await server.closed;
  return 0;
}
