/**
 * Builds the HTTP service: a Fastify instance over a log store, not yet listening.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import { LogStore } from '../store/index.js';
import { installAuth } from './auth.js';
import { registerCaseRoutes } from './case-routes.js';
import { installErrorHandlers } from './http-errors.js';
import { clientErrorHandler, installJsonBodyParser } from './raw-errors.js';
import { registerLogRoutes } from './log-routes.js';
import { registerMiningRoutes } from './mining-routes.js';
import { registerReceivablesRoutes } from './receivables-routes.js';
import { registerWebPage } from '../web/index.js';
import type { ErrorReply } from './http-errors.js';
import { resolveServerOptions, type ServerOptions } from './server-options.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The store the server answers from. */
    logStore: LogStore;
    /** The options in force, defaults and environment applied. */
    ledgerflowOptions: ServerOptions;
  }
}

/**
 * Opens the store in the data directory (sweeping what a crash left) and builds the routes.
 * Closing `app` abandons imports in progress and removes their files.
 */
export async function createServer(given: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
  const options = resolveServerOptions(given);
  const store = await LogStore.open({
    dataDir: options.dataDir,
    runningImports: options.runningImports,
    waitingImports: options.waitingImports,
    cacheBytes: options.cacheBytes,
    maxLoadedLogs: options.maxLoadedLogs,
  });
  const app = Fastify({
    logger: options.logLevel === false ? false : {
      level: options.logLevel,
      // Request lines are written once, below; no header, body or query value is logged.
      redact: ['req.headers.authorization', 'headers.authorization'],
    },
    // One line per request (onResponse) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Unknown query parameters are errors, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { maxParamLength: 500 },
    // Requests Node's parser refuses (431: URL and headers too long) answer in our shape too.
    clientErrorHandler,
    // Errors Fastify raises before routing (a malformed URL, a parameter too long) get the
    // same answer shape as every other error; the path itself is never echoed.
    frameworkErrors: (err, request, reply) => {
      request.log.warn({ code: 'LF_ERR_HTTP_BAD_QUERY', cause: err.code }, 'request refused');
      const body: ErrorReply = { error: { code: 'LF_ERR_HTTP_BAD_QUERY', message:
        'the URL is malformed (bad percent-encoding, or a path segment over 500 characters); ' +
        'check it against /docs' } };
      void (reply as FastifyReply).code(400).type('application/json; charset=utf-8').send(body);
    },
  });
  app.decorate('logStore', store);
  app.decorate('ledgerflowOptions', options);
  installErrorHandlers(app);
  installJsonBodyParser(app);
  installAuth(app, options.apiKeys);
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the URL: paths and queries can carry invoice ids or customers.
    request.log.info({
      method: request.method, route: request.routeOptions.url ?? '(no route)',
      statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime),
    }, 'request');
  });
  app.addHook('onClose', async () => {
    await store.close();
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'ledgerflow',
        description: 'Process mining for accounts receivable. Errors answer ' +
          '{ "error": { "code", "message" } }.',
        version: '0.1.0',
      },
      components: options.apiKeys.length === 0 ? {} : {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: options.apiKeys.length === 0 ? [] : [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await registerLogRoutes(app, store, options);
  registerMiningRoutes(app, store);
  registerCaseRoutes(app, store);
  registerReceivablesRoutes(app, store);
  // The page and the process-map picture, after the API so its routes take precedence.
  await registerWebPage(app, { store });
  return app;
}
