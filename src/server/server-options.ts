/**
 * Options of the HTTP service, with their defaults and their environment variables.
 */
import { LedgerflowError, quoteValue } from '../errors.js';

/** Options of {@link createServer}; every field has a default. */
export interface ServerOptions {
  /** Data directory holding the store; default `./data` (`LEDGERFLOW_DATA`). */
  dataDir: string;
  /** API keys; when non-empty every route but /healthz needs `Authorization: Bearer KEY`. */
  apiKeys: string[];
  /** Largest accepted upload in bytes, enforced while streaming; default 2 GiB. */
  maxUploadBytes: number;
  /** Uploads up to this size are imported before answering 201; larger ones answer 202. */
  asyncUploadBytes: number;
  /** Imports running at once and waiting; beyond both a new upload gets 429. */
  runningImports: number;
  waitingImports: number;
  /** Bound of the answer cache, bytes. */
  cacheBytes: number;
  /** Compiled logs kept in memory at once. */
  maxLoadedLogs: number;
  /** Pino log level, or false for no request log (tests). */
  logLevel: string | false;
}

/** Default options (no keys, `./data`). */
export const kDefaultServerOptions: Readonly<ServerOptions> = {
  dataDir: './data',
  apiKeys: [],
  maxUploadBytes: 2 * 1024 ** 3,
  asyncUploadBytes: 20 * 1024 ** 2,
  runningImports: 1,
  waitingImports: 4,
  cacheBytes: 64 * 1024 ** 2,
  maxLoadedLogs: 4,
  logLevel: 'info',
};

/** Fills the options: given values first, then the environment, then the defaults. */
export function resolveServerOptions(
  given: Partial<ServerOptions> = {}, env: NodeJS.ProcessEnv = process.env,
): ServerOptions {
  const fromEnv: Partial<ServerOptions> = {};
  if (env.LEDGERFLOW_DATA) fromEnv.dataDir = env.LEDGERFLOW_DATA;
  if (env.LEDGERFLOW_API_KEYS !== undefined) {
    fromEnv.apiKeys = env.LEDGERFLOW_API_KEYS.split(',').map((k) => k.trim())
      .filter((k) => k !== '');
  }
  if (env.LEDGERFLOW_MAX_UPLOAD) {
    fromEnv.maxUploadBytes = positiveInteger('LEDGERFLOW_MAX_UPLOAD', env.LEDGERFLOW_MAX_UPLOAD);
  }
  const options = { ...kDefaultServerOptions, ...fromEnv, ...defined(given) };
  for (const key of ['maxUploadBytes', 'runningImports', 'cacheBytes', 'maxLoadedLogs'] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1) {
      throw new LedgerflowError('LF_ERR_OPTION_INVALID',
        `${key} must be a whole number of at least 1`, { field: key, value: String(options[key]) });
    }
  }
  return options;
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `${name} must be a whole number of bytes, at least 1 (got ${quoteValue(text)})`,
      { field: name });
  }
  return value;
}

function defined<T extends object>(given: T): Partial<T> {
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as
    Partial<T>;
}
