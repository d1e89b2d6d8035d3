/**
 * API keys: when any are configured, every route but /healthz needs `Authorization: Bearer KEY`.
 * Keys are compared as SHA-256 digests with `timingSafeEqual`, against every key without an
 * early exit, so neither a key's length nor its first differing byte shows in the timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { LedgerflowError } from '../errors.js';

/** Routes that answer without a key. */
const OPEN_ROUTES = new Set(['/healthz']);

/** Adds the key check to every request of `app` (no-op without keys). */
export function installAuth(app: FastifyInstance, apiKeys: readonly string[]): void {
  if (apiKeys.length === 0) return;
  const digests = apiKeys.map(digest);
  app.addHook('onRequest', async (request) => {
    if (OPEN_ROUTES.has(request.url.split('?')[0])) return;
    // The web page and its files (src/web) must load in a browser before it can send a key.
    if ((request.routeOptions.config as { public?: boolean } | undefined)?.public) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null || !anyMatches(digests, digest(match[1]))) {
      throw new LedgerflowError('LF_ERR_HTTP_UNAUTHORIZED',
        match === null ? 'send the header Authorization: Bearer <key>'
          : 'the key is not accepted; check LEDGERFLOW_API_KEYS on the server');
    }
  });
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

function anyMatches(digests: readonly Buffer[], candidate: Buffer): boolean {
  let found = false;
  for (const d of digests) found = timingSafeEqual(d, candidate) || found;
  return found;
}
