/**
 * The web page as a Fastify plugin: `/` serves the page, `/ui/<file>` its script and style
 * (no CDN: everything comes from this package), and the routes the page needs are added
 * when the server lacks them. The page and its files answer without an API key (the page
 * asks for one when the API answers 401).
 */
import type { FastifyInstance } from 'fastify';
import { LedgerflowError } from '../errors.js';
import type { LogStore } from '../store/index.js';
import { registerPageRoutes } from './page-routes.js';
import { loadStaticFiles, staticDir } from './static-files.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers without an API key (the page, before it can ask for one). */
    public?: boolean;
  }
}

/** Options of {@link registerWebPage}. */
export interface WebPageOptions {
  /** The store the page's extra routes answer from; default `app.logStore`. */
  store?: LogStore;
  /** Folder of the page's files; default `src/web/static` of this package. */
  dir?: string;
}

/** Registers the page, its files and its routes on `app` (call after the API routes). */
export async function registerWebPage(
  app: FastifyInstance, options: WebPageOptions = {},
): Promise<void> {
  // Registered already (by the server and again by a caller): once is enough.
  if (app.hasRoute({ method: 'GET', url: '/' })) return;
  const dir = options.dir ?? staticDir();
  const files = await loadStaticFiles(dir).catch((err: unknown) => {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      `the web page's files cannot be read (${(err as Error).message}); reinstall the package ` +
      'or pass the folder as dir', { file: dir }, err);
  });
  const index = files.get('index.html');
  if (index === undefined) {
    throw new LedgerflowError('LF_ERR_OPTION_INVALID',
      'the web page folder has no index.html; reinstall the package', { file: dir });
  }
  const config = { public: true };
  const hide = { hide: true };

  app.get('/', { config, schema: hide }, async (_request, reply) =>
    reply.type(index.type).header('cache-control', 'no-cache').send(index.body));
  app.get<{ Params: { file: string } }>('/ui/:file', { config, schema: hide },
    async (request, reply) => {
      const file = files.get(request.params.file);
      if (file === undefined || request.params.file === 'index.html') {
        throw new LedgerflowError('LF_ERR_HTTP_NOT_FOUND', 'the page has no such file',
          { field: 'file', value: request.params.file });
      }
      return reply.type(file.type).header('cache-control', 'no-cache').send(file.body);
    });

  const store = options.store ?? (app.hasDecorator('logStore')
    ? (app as FastifyInstance & { logStore: LogStore }).logStore : undefined);
  if (store !== undefined) registerPageRoutes(app, store);
}
