/**
 * The mining routes of one log: DFG (JSON and DOT), variants and histograms, each with the
 * case filters and the activity projection.
 */
import type { FastifyInstance } from 'fastify';
import { mineLog } from '../engine/mine-log.js';
import type { LogStore } from '../store/index.js';
import { questionKey, sendAnswer } from './answer-route.js';
import {
  attrParamPattern, filterQueryProperties, mineOptionsFromQuery, type FilterQuery,
} from './case-filter.js';
import { dfgToDot } from './dfg-dot.js';
import { errorReplySchema } from './http-errors.js';
import { variantIndex } from './log-index.js';
import { dfgAnswer, histogramsAnswer, variantsAnswer } from './mining-answers.js';
import { dfgSchema, histogramsSchema, variantsSchema } from './schemas.js';

/** Path parameters naming a log. */
export const logIdParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;

const minCount = {
  type: 'integer', minimum: 1, description: 'drop edges (and start / end entries) rarer than this',
} as const;

function filterQuery(extra: Record<string, object>) {
  return {
    type: 'object',
    properties: { ...filterQueryProperties, ...extra },
    patternProperties: {
      [attrParamPattern]: {
        type: 'string',
        description: 'attr.<name>=v1,v2: keep cases whose case attribute equals one',
      },
    },
    additionalProperties: false,
  } as const;
}

type Query = FilterQuery & { minCount?: number; limit?: number };
type Params = { id: string };

const errors = { '4xx': errorReplySchema, '5xx': errorReplySchema };

/** Registers the mining routes. */
export function registerMiningRoutes(app: FastifyInstance, store: LogStore): void {
  app.get<{ Params: Params; Querystring: Query }>('/logs/:id/dfg', {
    schema: {
      summary: 'Directly-follows graph (frequency and performance)', tags: ['mining'],
      params: logIdParams, querystring: filterQuery({ minCount }),
      response: { 200: dfgSchema, ...errors },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    return sendAnswer(store, reply, id, questionKey('dfg', request.query), 'application/json',
      async (log) => {
        const result = await mineLog(log, await mineOptionsFromQuery(log, request.query));
        return JSON.stringify(dfgAnswer(log, result, request.query.minCount));
      });
  });

  app.get<{ Params: Params; Querystring: Query }>('/logs/:id/dfg.dot', {
    schema: {
      summary: 'Directly-follows graph as Graphviz DOT', tags: ['mining'],
      params: logIdParams, querystring: filterQuery({ minCount }),
      produces: ['text/vnd.graphviz'],
      response: { 200: { type: 'string' }, ...errors },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    return sendAnswer(store, reply, id, questionKey('dot', request.query),
      'text/vnd.graphviz; charset=utf-8', async (log) => {
        const result = await mineLog(log, await mineOptionsFromQuery(log, request.query));
        return dfgToDot(dfgAnswer(log, result, request.query.minCount));
      });
  });

  app.get<{ Params: Params; Querystring: Query }>('/logs/:id/variants', {
    schema: {
      summary: 'Variants (distinct activity sequences), most frequent first', tags: ['mining'],
      params: logIdParams,
      querystring: filterQuery({ limit: { type: 'integer', minimum: 1, default: 100 } }),
      response: { 200: variantsSchema, ...errors },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    return sendAnswer(store, reply, id, questionKey('variants', request.query),
      'application/json', async (log) => {
        const { limit = 100, ...filters } = request.query;
        const result = await mineLog(log, await mineOptionsFromQuery(log, filters));
        return JSON.stringify(variantsAnswer(log, result, await variantIndex(log), limit));
      });
  });

  app.get<{ Params: Params; Querystring: Query }>('/logs/:id/histograms', {
    schema: {
      summary: 'Case-duration and per-edge waiting-time histograms', tags: ['mining'],
      params: logIdParams, querystring: filterQuery({ minCount }),
      response: { 200: histogramsSchema, ...errors },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    return sendAnswer(store, reply, id, questionKey('histograms', request.query),
      'application/json', async (log) => {
        const result = await mineLog(log, await mineOptionsFromQuery(log, request.query));
        return JSON.stringify(histogramsAnswer(log, result, request.query.minCount));
      });
  });
}
