/**
 * Every error leaves the server as `{ "error": { "code", "message" } }` with the status of its
 * code: ledgerflow's own errors, Fastify's validation and body errors, unknown routes, and
 * failures, which are logged and answered without their internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { errorRegistry, isLedgerflowError, quoteValue, type ErrorCode } from '../errors.js';

/** The body of an error answer. */
export interface ErrorReply {
  error: { code: string; message: string };
}

/** JSON schema of {@link ErrorReply}. */
export const errorReplySchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

/** Installs the error and not-found handlers on `app`. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { status, body } = errorReplyOf(err, request.routeOptions.bodyLimit);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.warn({ code: body.error.code }, 'request refused');
    sendError(reply, status, body);
  });
  app.setNotFoundHandler((request, reply) => {
    sendError(reply, 404, {
      error: {
        code: 'LF_ERR_HTTP_NOT_FOUND',
        message: `${errorRegistry.LF_ERR_HTTP_NOT_FOUND.message}: no route ${request.method} ` +
          `${quoteValue(request.url.split('?')[0])}; the routes are listed at /docs`,
      },
    });
  });
}

/**
 * The status and body for any thrown value; `bodyLimit` is the route's body limit in bytes,
 * named in the answer to a body over it.
 */
export function errorReplyOf(
  err: unknown, bodyLimit?: number,
): { status: number; body: ErrorReply } {
  if (isLedgerflowError(err)) {
    return { status: err.status, body: { error: { code: err.code, message: err.message } } };
  }
  const e = err as FastifyError & { validationContext?: string };
  if (e.validation !== undefined) {
    const where = e.validationContext ?? 'request';
    const first = e.validation[0];
    const path = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : '';
    const extra = first?.params && 'additionalProperty' in first.params
      ? ` ${quoteValue(String(first.params.additionalProperty))}` : '';
    return fromCode('LF_ERR_HTTP_BAD_QUERY',
      `${where}${path ? ` ${path}` : ''} ${first?.message ?? 'is invalid'}${extra}; ` +
      'see /docs for the accepted parameters');
  }
  switch (e.statusCode) {
    case 413:
      // Uploads answer their own 413 (LEDGERFLOW_MAX_UPLOAD); this is a JSON options body.
      return fromCode('LF_ERR_HTTP_PAYLOAD_TOO_LARGE', `the body is larger than ${
        bodyLimit === undefined ? 'the server accepts' : `${bodyLimit} bytes`}, the most ` +
        'a JSON request body may be; a role mapping lists names and is a few KB, so send ' +
        'only the mapping and the report options');
    case 415:
      return fromCode('LF_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
        `${e.message}; send the file as the raw body or as multipart field "file"`);
    case 401:
      return fromCode('LF_ERR_HTTP_UNAUTHORIZED', 'send Authorization: Bearer <key>');
    case 404:
      return fromCode('LF_ERR_HTTP_NOT_FOUND', 'check the URL against /docs');
    default:
      if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
        return fromCode('LF_ERR_HTTP_BAD_QUERY', `${e.message}; see /docs`);
      }
      return fromCode('LF_ERR_HTTP_INTERNAL',
        'an unexpected error happened; it is in the server log, try again or report it');
  }
}

/** Sends an error body with its status. */
export function sendError(reply: FastifyReply, status: number, body: ErrorReply): void {
  void reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Sends the error for `code` with a detail. */
export function replyWithCode(
  reply: FastifyReply, code: ErrorCode | string, message: string,
): void {
  const status = (errorRegistry as Record<string, { status: number }>)[code]?.status ?? 500;
  sendError(reply, status, { error: { code, message } });
}

function fromCode(code: ErrorCode, detail: string): { status: number; body: ErrorReply } {
  return {
    status: errorRegistry[code].status,
    body: { error: { code, message: `${errorRegistry[code].message}: ${detail}` } },
  };
}
