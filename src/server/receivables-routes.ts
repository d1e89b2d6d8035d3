/**
 * Receivables KPIs (`/kpis`, optionally grouped `?by=`) and aging (`/aging`) of one log, from
 * `computeReceivables`. Each KPI carries its definition and the cases it was computed on.
 *
 * A log whose activities are not named like the template needs a role mapping: `roles` takes
 * the same JSON as the CLI's `--roles` file, as URL-encoded text on GET, or as an object in
 * the body of `POST /logs/:id/kpis` when it is too long for a URL. It is validated before any
 * work, so a bad mapping is a 400 naming its field, and the answer is cached per mapping.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  computeReceivables, parseRoleMapping, type ReceivablesOptions,
} from '../analysis/receivables/index.js';
import { mineLog } from '../engine/mine-log.js';
import type { LogStore } from '../store/index.js';
import { questionKey, sendAnswer } from './answer-route.js';
import { errorReplySchema } from './http-errors.js';
import { logIdParams } from './mining-routes.js';

const asOf = {
  type: 'string', description: 'report as of this ISO date or date-time (default: last event)',
} as const;

const roles = {
  type: 'string',
  description: 'role mapping as JSON text, as in a --roles file (default: the template names)',
} as const;

const reportFields = {
  roles,
  by: { type: 'string', description: 'case/event attribute, resource or agent to group by' },
    asOf,
    stuckDays: { type: 'number', minimum: 0, description: 'open with no event for this long' },
    graceDays: { type: 'number', minimum: 0, description: 'promise-to-pay grace period' },
  smallDisputeThreshold: { type: 'number', minimum: 0 },
} as const;

const reportQuery = {
  type: 'object', properties: reportFields, additionalProperties: false,
} as const;

const reportBody = {
  type: 'object',
  properties: { ...reportFields, roles: { type: 'object', additionalProperties: true,
    description: 'role mapping object, as in a --roles file' } },
  additionalProperties: false,
} as const;

const looseObject = { type: 'object', additionalProperties: true } as const;
const errors = { '4xx': errorReplySchema, '5xx': errorReplySchema };

type Query = Pick<ReceivablesOptions, 'by' | 'stuckDays' | 'graceDays' |
  'smallDisputeThreshold'> & { asOf?: string; roles?: unknown };

/**
 * The report options of a request, with `roles` checked now (JSON text or an object) and
 * written back in one canonical form, so that one mapping is one cache entry however spelled.
 */
function reportOptions(query: Query): Query {
  if (query.roles === undefined) return query;
  const mapping = parseRoleMapping(query.roles, 'roles');
  return { ...query, roles: mapping };
}

/** Registers `/logs/:id/kpis` and `/logs/:id/aging`. */
export function registerReceivablesRoutes(app: FastifyInstance, store: LogStore): void {
  const kpiSchema = {
    summary: 'Receivables KPIs: whole log, per group (by=) and monthly trend',
    description: 'Days to pay and to clear, DSO, days past due, on-time rate, dispute rate, ' +
      'credit-note delay, automated cash application, promise-to-pay kept, dunning, partial ' +
      'payments; each KPI states its definition, the cases used and those skipped (why). ' +
      'Also aging, stuck invoices, bottlenecks and rework.',
    tags: ['receivables'], params: logIdParams, response: { 200: looseObject, ...errors },
  };
  const sendKpis = (reply: FastifyReply, id: string, raw: Query) => {
    const options = reportOptions(raw);
    return sendAnswer(store, reply, id, questionKey('kpis', options), 'application/json',
      async (log) => JSON.stringify(computeReceivables(log, await mineLog(log), options)));
  };

  app.get<{ Params: { id: string }; Querystring: Query }>('/logs/:id/kpis', {
    schema: { ...kpiSchema, querystring: reportQuery },
  }, async (request, reply) => sendKpis(reply, request.params.id, request.query));

  // The same report with its options in a JSON body: a long role mapping fits no URL.
  app.post<{ Params: { id: string }; Body: Query }>('/logs/:id/kpis', {
    schema: { ...kpiSchema, body: reportBody },
  }, async (request, reply) => sendKpis(reply, request.params.id, request.body ?? {}));

  app.get<{ Params: { id: string }; Querystring: Pick<Query, 'asOf' | 'roles'> }>(
    '/logs/:id/aging', {
    schema: {
      summary: 'Aging of open invoices as of a date: current, 1–30, 31–60, 61–90, over 90 ' +
        'days past due', tags: ['receivables'], params: logIdParams,
      querystring: { type: 'object', properties: { asOf, roles }, additionalProperties: false },
      response: { 200: looseObject, ...errors },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    const options = reportOptions(request.query);
    return sendAnswer(store, reply, id, questionKey('aging', options), 'application/json',
      async (log) => {
        const report = computeReceivables(log, await mineLog(log), options);
        return JSON.stringify({ source: report.source, asOf: report.asOf, aging: report.aging });
      });
  });
}
