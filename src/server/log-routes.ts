/**
 * Upload, list, show and delete logs. An upload (raw body of any format, or multipart field
 * `file`) is spooled to a file in the data directory while its bytes are counted; small ones are
 * imported before the answer (201), large ones in the background (202, then poll the log).
 */
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { importOptionsFromFlags } from '../cli/import-flags.js';
import { LedgerflowError, quoteValue } from '../errors.js';
import { isLogId, labelFromName, type LogStore } from '../store/index.js';
import { errorReplySchema, replyWithCode } from './http-errors.js';
import { logIdParams } from './mining-routes.js';
import { logRecordSchema } from './schemas.js';
import type { ServerOptions } from './server-options.js';
import { spoolUpload, tooLarge } from './spool-upload.js';

/** Query parameters of an upload: the CLI's import flags, same names, plus a display name. */
export const importQuerySchema = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 200, description: 'display name (raw uploads)' },
    case: { type: 'string', description: 'case (invoice) id column' },
    activity: { type: 'string', description: 'activity column' },
    timestamp: { type: 'string', description: 'timestamp (end) column' },
    'start-timestamp': { type: 'string', description: 'start timestamp column' },
    resource: { type: 'string', description: 'resource / agent column' },
    lifecycle: { type: 'string', description: 'lifecycle transition column' },
    'lifecycle-mode': { type: 'string', enum: ['pair', 'ignore'] },
    'date-format': { type: 'string', enum: ['day-first', 'month-first', 'iso'] },
    timezone: { type: 'string', description: 'IANA zone for times without an offset' },
    delimiter: { type: 'string', description: 'CSV delimiter (one character or "tab")' },
    format: { type: 'string', enum: ['csv', 'xes', 'parquet', 'arrow', 'xlsx'] },
    'skip-bad-rows': { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

type ImportQuery = Record<string, string | boolean | undefined>;

// Encodings that leave the file's own bytes intact: a gzip body is a .gz file, sniffed as one.
const PLAIN_ENCODINGS = new Set(['identity', 'gzip']);
const FORM_TYPES = ['application/x-www-form-urlencoded'];

/** Registers the log routes (in their own scope: the upload reads its body itself). */
export async function registerLogRoutes(
  app: FastifyInstance, store: LogStore, options: ServerOptions,
): Promise<void> {
  await app.register(async (scope) => {
    // The upload route streams the body itself; every type reaches the handler unread.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    await scope.register(multipart, {
      limits: { fileSize: options.maxUploadBytes, files: 1, fields: 20, parts: 21 },
    });
    scope.post<{ Querystring: ImportQuery }>('/logs', {
      schema: {
        summary: 'Upload an event log (raw body or multipart field "file")', tags: ['logs'],
        description: 'CSV, XES, XES.gz, Parquet, Arrow IPC or the XLSX template, detected ' +
          `from the bytes. Uploads up to ${options.asyncUploadBytes} bytes answer 201 once ` +
          'imported; larger ones answer 202 at once: poll GET /logs/{id} for the status.',
        querystring: importQuerySchema,
        response: {
          201: logRecordSchema, 202: logRecordSchema,
          '4xx': errorReplySchema, '5xx': errorReplySchema,
        },
      },
    }, (request, reply) => upload(store, options, request, reply));
  });

  app.get('/logs', {
    schema: {
      summary: 'Every log: ready, importing or failed', tags: ['logs'],
      response: {
        200: { type: 'object', properties: { logs: { type: 'array', items: logRecordSchema } } },
      },
    },
  }, async () => ({ logs: store.list() }));

  app.get<{ Params: { id: string } }>('/logs/:id', {
    schema: {
      summary: 'One log: counts when ready, progress while importing', tags: ['logs'],
      params: logIdParams,
      response: { 200: logRecordSchema, '4xx': errorReplySchema },
    },
  }, async (request) => {
    const record = isLogId(request.params.id) ? store.get(request.params.id) : undefined;
    if (record === undefined) throw noLog(request.params.id);
    return record;
  });

  app.delete<{ Params: { id: string } }>('/logs/:id', {
    schema: {
      summary: 'Delete a log for good', tags: ['logs'], params: logIdParams,
      response: { 204: { type: 'null' }, '4xx': errorReplySchema },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    if (!isLogId(id) || !await store.remove(id)) throw noLog(id);
    return reply.code(204).send();
  });
}

async function upload(
  store: LogStore, options: ServerOptions, request: FastifyRequest<{ Querystring: ImportQuery }>,
  reply: FastifyReply,
): Promise<FastifyReply | void> {
  const { name: givenName, ...flags } = request.query;
  const importOptions = importOptionsFromFlags(flags);
  checkBodyType(request, options.maxUploadBytes);
  const ticket = store.reserveImport();
  let spooled: { tempPath: string; bytes: number; name: string };
  try {
    spooled = await spool(store, options, request, givenName as string | undefined);
  } catch (err) {
    ticket.release();
    // The rest of a refused body is not read: close the connection rather than drain it.
    reply.header('connection', 'close');
    throw err;
  }
  if (spooled.bytes === 0) {
    ticket.release();
    await rm(spooled.tempPath, { force: true });
    throw new LedgerflowError('LF_ERR_INGEST_EMPTY_FILE',
      'the upload has no bytes; send the log file as the body', { file: spooled.name });
  }
  const background = spooled.bytes > options.asyncUploadBytes;
  const { record, done } = store.importUpload(ticket, { ...spooled, options: importOptions },
    background);
  if (background) {
    request.log.info({ logId: record.id, bytes: spooled.bytes }, 'import queued');
    return reply.code(202).header('location', `/logs/${record.id}`).send(record);
  }
  const final = await done;
  if (final.status === 'failed' && final.error !== null) {
    return replyWithCode(reply, final.error.code, final.error.message);
  }
  request.log.info({ logId: final.id, bytes: final.bytes }, 'log imported');
  return reply.code(201).header('location', `/logs/${final.id}`).send(final);
}

async function spool(
  store: LogStore, options: ServerOptions, request: FastifyRequest, givenName?: string,
): Promise<{ tempPath: string; bytes: number; name: string }> {
  const tempPath = store.uploadPath();
  if (request.isMultipart()) {
    const part = await request.file();
    if (part === undefined || part.fieldname !== 'file') {
      part?.file.resume();
      throw new LedgerflowError('LF_ERR_HTTP_BAD_QUERY',
        'a multipart upload needs the log in a field named "file"',
        { field: part?.fieldname ?? 'file' });
    }
    const bytes = await spoolUpload(part.file, tempPath, options.maxUploadBytes);
    if (part.file.truncated) throw tooLarge(options.maxUploadBytes);
    return { tempPath, bytes, name: labelFromName(givenName ?? part.filename, 'upload') };
  }
  const bytes = await spoolUpload(request.raw as Readable, tempPath, options.maxUploadBytes);
  return { tempPath, bytes, name: labelFromName(givenName, 'upload') };
}

function checkBodyType(request: FastifyRequest, limit: number): void {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (!PLAIN_ENCODINGS.has(encoding)) {
    throw new LedgerflowError('LF_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding ${quoteValue(encoding)} is not accepted; send the file as it is ` +
      '(a .gz file may be sent as is)', { field: 'content-encoding' });
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (FORM_TYPES.includes(type)) {
    throw new LedgerflowError('LF_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${quoteValue(type)} cannot carry a log file; send the raw bytes ` +
      '(application/octet-stream) or multipart/form-data with field "file"',
      { field: 'content-type' });
  }
  // Refused before a byte is read when the client announces the size.
  const length = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(length) && length > limit) throw tooLarge(limit);
}

function noLog(id: string): LedgerflowError {
  return new LedgerflowError('LF_ERR_HTTP_NOT_FOUND',
    'there is no log with this id; GET /logs lists the logs', { field: 'id', value: id });
}
