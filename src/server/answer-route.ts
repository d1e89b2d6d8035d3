/**
 * The common path of every question about one log: check the id, load the log, answer from
 * the cache or compute and cache the answer text.
 */
import type { FastifyReply } from 'fastify';
import { LedgerflowError } from '../errors.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { isLogId, type LogStore } from '../store/index.js';

/** The compiled log of `id`, or the 404 / 409 error. */
export async function loadLog(store: LogStore, id: string): Promise<CompiledLog> {
  if (!isLogId(id)) {
    throw new LedgerflowError('LF_ERR_HTTP_NOT_FOUND',
      'there is no log with this id; GET /logs lists the logs', { field: 'id', value: id });
  }
  return store.load(id);
}

/** A stable cache key of a question: its kind and its parameters in name order. */
export function questionKey(kind: string, query: object): string {
  const entries = Object.entries(query).filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${kind}?${JSON.stringify(entries)}`;
}

/** Sends the answer of a question about log `id`, computing it only on a cache miss. */
export async function sendAnswer(
  store: LogStore, reply: FastifyReply, id: string, question: string, contentType: string,
  compute: (log: CompiledLog) => Promise<string>,
): Promise<FastifyReply> {
  let text = store.answers.get(id, question);
  const hit = text !== undefined;
  if (text === undefined) {
    const log = await loadLog(store, id);
    text = await compute(log);
    // A log deleted while its answer was computed must not come back through the cache.
    if (store.get(id)?.status === 'ready') store.answers.set(id, question, text);
  }
  reply.header('x-ledgerflow-cache', hit ? 'hit' : 'miss');
  return reply.type(contentType).send(text);
}
