/**
 * Starts the HTTP service: listens (127.0.0.1:8080 by default), imports a generated demo log
 * into an empty store, and closes cleanly on SIGTERM / SIGINT: requests in flight finish,
 * imports in progress are abandoned and their files removed.
 */
import type { FastifyInstance } from 'fastify';
import { LedgerflowError, quoteValue } from '../errors.js';
import { generateLog } from '../generate/index.js';
import { createServer } from './create-server.js';
import type { ServerOptions } from './server-options.js';

/** Options of {@link startServer}: the server's, plus where to listen and the demo switch. */
export interface StartOptions extends Partial<ServerOptions> {
  /** Default `LEDGERFLOW_HOST` or 127.0.0.1. */
  host?: string;
  /** Default `LEDGERFLOW_PORT` or 8080; 0 picks a free port. */
  port?: number;
  /** Import the demo log into an empty store; default true. */
  demo?: boolean;
  /** Close on SIGTERM / SIGINT; default true. */
  handleSignals?: boolean;
}

/** A listening server. */
export interface RunningServer {
  app: FastifyInstance;
  /** `http://host:port`. */
  url: string;
  /** Resolves once the server has closed (by {@link RunningServer.close} or a signal). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Invoices in the demo log. */
export const DEMO_INVOICES = 10_000;

/** Starts listening; see {@link StartOptions}. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { host, port, demo = true, handleSignals = true, ...serverOptions } = options;
  const listenHost = host ?? process.env.LEDGERFLOW_HOST ?? '127.0.0.1';
  const listenPort = port ?? portFromEnv(process.env.LEDGERFLOW_PORT) ?? 8080;
  const app = await createServer(serverOptions);
  if (demo && app.logStore.list().length === 0) {
    const log = generateLog({ invoices: DEMO_INVOICES, seed: 1 });
    const record = await app.logStore.addLog(log, `demo (${DEMO_INVOICES} generated invoices)`);
    app.log.info({ logId: record.id, cases: record.cases, events: record.events },
      'demo log imported');
  }
  const address = await app.listen({ host: listenHost, port: listenPort });

  let closing: Promise<void> | undefined;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => { resolveClosed = resolve; });
  const close = () => {
    closing ??= (async () => {
      // Imports first: a request waiting on one would otherwise hold the close open.
      await app.logStore.close();
      await app.close();
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolveClosed();
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    app.log.info({ signal }, 'closing');
    void close();
  };
  if (handleSignals) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { app, url: address, closed, close };
}

function portFromEnv(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `LEDGERFLOW_PORT must be a port number 0 to 65535 (got ${quoteValue(text)})`,
      { field: 'LEDGERFLOW_PORT' });
  }
  return port;
}
