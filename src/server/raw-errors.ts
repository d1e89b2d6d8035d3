/**
 * Errors raised below the routes, in ledgerflow's `{ "error": { "code", "message" } }` shape:
 * a request Node's HTTP parser refuses (headers or URL too long, a malformed request line, a
 * timeout), and a JSON body that is not JSON or carries a `__proto__` key.
 */
import { maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { errorRegistry, LedgerflowError, quoteValue, type ErrorCode } from '../errors.js';

/**
 * Answers what Node's HTTP parser refused, before any route runs: the socket is all there is,
 * so the answer is written on it by hand and the connection closed (as Node does).
 */
export function clientErrorHandler(
  this: FastifyInstance, err: Error & { code?: string }, socket: Socket,
): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status: number;
  let code: ErrorCode;
  let detail: string;
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    code = 'LF_ERR_HTTP_HEADERS_TOO_LARGE';
    detail = `the URL and headers together exceed ${maxHeaderSize} bytes; the URL is too long: ` +
      'send a role mapping in the JSON body of POST /logs/:id/kpis instead of ?roles=, ' +
      'and keep other parameters short';
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    code = 'LF_ERR_HTTP_TIMEOUT';
    detail = 'the request did not arrive in time; send it again';
  } else {
    status = 400;
    code = 'LF_ERR_HTTP_BAD_QUERY';
    detail = 'the request is not valid HTTP/1.1; check the request line and the headers';
  }
  this.log.warn({ code, cause: err.code }, 'request refused');
  const body = JSON.stringify({
    error: { code, message: `${errorRegistry[code].message}: ${detail}` },
  });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Length: ` +
      `${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Connection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

function statusText(status: number): string {
  return status === 431 ? 'Request Header Fields Too Large'
    : status === 408 ? 'Request Timeout' : 'Bad Request';
}

/**
 * Replaces Fastify's JSON body parser with one whose errors say what is wrong: not JSON (with
 * the parser's reason), empty, or a `__proto__` / `constructor.prototype` key, refused because
 * code that copies such an object with Object.assign would change its prototype.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(badBody('the body is empty; send a JSON object, e.g. {"by": "Segment"}'), undefined);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      done(badBody(`the body is not valid JSON (${(err as Error).message}); send a JSON ` +
        'object, e.g. {"by": "Segment"}'), undefined);
      return;
    }
    const key = prototypeKey(value);
    if (key !== null) {
      done(badBody(`the body has the key ${quoteValue(key)}, which is refused (it could ` +
        'change the prototype of objects built from the body); remove or rename it'), undefined);
      return;
    }
    done(null, value);
  });
}

function badBody(detail: string): LedgerflowError {
  return new LedgerflowError('LF_ERR_HTTP_BAD_QUERY', detail, { field: 'body' });
}

/**
 * The path of the first `__proto__` key, or `constructor` key holding `prototype`, in a parsed
 * value; null when there is none. Walks with an explicit stack, so depth costs no recursion.
 */
function prototypeKey(root: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: '', depth: 0 },
  ];
  // Paths name the first levels only: a path through 100,000 levels helps nobody.
  const step = (path: string, depth: number, part: string) =>
    depth > PATH_DEPTH ? path : depth === PATH_DEPTH ? `${path}…` : `${path}${part}`;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (typeof value[i] !== 'object') continue;
        stack.push({ value: value[i], path: step(path, depth, `[${i}]`), depth: depth + 1 });
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const here = step(path, depth, path === '' ? key : `.${key}`);
      if (key === '__proto__') return here;
      const child = record[key];
      if (key === 'constructor' && typeof child === 'object' && child !== null &&
        Object.hasOwn(child, 'prototype')) return `${here}.prototype`;
      if (typeof child === 'object') stack.push({ value: child, path: here, depth: depth + 1 });
    }
  }
  return null;
}

const PATH_DEPTH = 6;
