/**
 * Receivables KPIs (`/kpis`, optionally grouped `?by=`) and aging (`/aging`) of one log, from
 * `computeReceivables`. Each KPI carries its definition and the cases it was computed on.
 */
import type { FastifyInstance } from 'fastify';
import { computeReceivables, type ReceivablesOptions } from '../analysis/receivables/index.js';
import { mineLog } from '../engine/mine-log.js';
import type { LogStore } from '../store/index.js';
import { questionKey, sendAnswer } from './answer-route.js';
import { errorReplySchema } from './http-errors.js';
import { logIdParams } from './mining-routes.js';

const asOf = {
  type: 'string', description: 'report as of this ISO date or date-time (default: last event)',
} as const;

const reportQuery = {
  type: 'object',
  properties: {
    by: { type: 'string', description: 'case/event attribute, resource or agent to group by' },
    asOf,
    stuckDays: { type: 'number', minimum: 0, description: 'open with no event for this long' },
    graceDays: { type: 'number', minimum: 0, description: 'promise-to-pay grace period' },
    smallDisputeThreshold: { type: 'number', minimum: 0 },
  },
  additionalProperties: false,
} as const;

const looseObject = { type: 'object', additionalProperties: true } as const;
const errors = { '4xx': errorReplySchema, '5xx': errorReplySchema };

type Query = Pick<ReceivablesOptions, 'by' | 'stuckDays' | 'graceDays' |
  'smallDisputeThreshold'> & { asOf?: string };

/** Registers `/logs/:id/kpis` and `/logs/:id/aging`. */
export function registerReceivablesRoutes(app: FastifyInstance, store: LogStore): void {
  app.get<{ Params: { id: string }; Querystring: Query }>('/logs/:id/kpis', {
    schema: {
      summary: 'Receivables KPIs: whole log, per group (by=) and monthly trend',
      description: 'Days to pay and to clear, DSO, days past due, on-time rate, dispute rate, ' +
        'credit-note delay, automated cash application, promise-to-pay kept, dunning, partial ' +
        'payments; each KPI states its definition, the cases used and those skipped (why). ' +
        'Also aging, stuck invoices, bottlenecks and rework.',
      tags: ['receivables'], params: logIdParams, querystring: reportQuery,
      response: { 200: looseObject, ...errors },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    return sendAnswer(store, reply, id, questionKey('kpis', request.query), 'application/json',
      async (log) => JSON.stringify(computeReceivables(log, await mineLog(log), request.query)));
  });

  app.get<{ Params: { id: string }; Querystring: { asOf?: string } }>('/logs/:id/aging', {
    schema: {
      summary: 'Aging of open invoices as of a date: current, 1–30, 31–60, 61–90, over 90 ' +
        'days past due', tags: ['receivables'], params: logIdParams,
      querystring: { type: 'object', properties: { asOf }, additionalProperties: false },
      response: { 200: looseObject, ...errors },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    return sendAnswer(store, reply, id, questionKey('aging', request.query), 'application/json',
      async (log) => {
        const report = computeReceivables(log, await mineLog(log), request.query);
        return JSON.stringify({ source: report.source, asOf: report.asOf, aging: report.aging });
      });
  });
}
