/**
 * The routes the page needs that the API may not have: the process map as SVG, and, when the
 * server has none of its own, receivables KPIs, aging and the case attributes to group by.
 * Each answer goes through the server's answer cache like every other question about a log.
 */
import type { FastifyInstance } from 'fastify';
import { computeReceivables } from '../analysis/receivables/index.js';
import { mineLog } from '../engine/mine-log.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { MAX_DRAWN_NODES, parseMapOptions, processMapSvg } from '../map/index.js';
import { questionKey, sendAnswer } from '../server/answer-route.js';
import {
  attrParamPattern, filterQueryProperties, mineOptionsFromQuery, type FilterQuery,
} from '../server/case-filter.js';
import { errorReplySchema } from '../server/http-errors.js';
import { logIdParams } from '../server/mining-routes.js';
import type { LogStore } from '../store/index.js';

const mapQueryProperties = {
  view: { type: 'string', enum: ['frequency', 'performance'], default: 'frequency' },
  statistic: { type: 'string', enum: ['median', 'mean'], default: 'median' },
  activityShare: { type: 'number', minimum: 0, maximum: 1, description: 'keep the most ' +
    'frequent share of activities (1 = all)' },
  pathShare: { type: 'number', minimum: 0, maximum: 1, description: 'keep the most frequent ' +
    'share of paths; every kept activity stays connected' },
  maxNodes: { type: 'integer', minimum: 1, maximum: MAX_DRAWN_NODES },
} as const;

const attrPattern = {
  [attrParamPattern]: {
    type: 'string', description: 'attr.<name>=v1,v2: keep cases whose case attribute equals one',
  },
} as const;

const errors = { '4xx': errorReplySchema, '5xx': errorReplySchema };
type Params = { id: string };
type MapQuery = FilterQuery & Record<string, string | number | undefined>;

/** Registers the page's routes that `app` does not have yet. */
export function registerPageRoutes(app: FastifyInstance, store: LogStore): void {
  const missing = (url: string) => !app.hasRoute({ method: 'GET', url });

  if (missing('/logs/:id/dfg.svg')) {
    app.get<{ Params: Params; Querystring: MapQuery }>('/logs/:id/dfg.svg', {
      schema: {
        summary: 'Process map as SVG (frequency or performance view, activity and path ' +
          'sliders)', tags: ['mining'], params: logIdParams,
        querystring: {
          type: 'object', properties: { ...filterQueryProperties, ...mapQueryProperties },
          patternProperties: attrPattern, additionalProperties: false,
        },
        produces: ['image/svg+xml'],
        response: { 200: { type: 'string' }, ...errors },
      },
    }, async (request, reply) => {
      const { id } = request.params;
      const { view, statistic, activityShare, pathShare, maxNodes, ...filters } = request.query;
      const map = parseMapOptions({ view, statistic, activityShare, pathShare, maxNodes });
      return sendAnswer(store, reply, id, questionKey('svg', request.query),
        'image/svg+xml; charset=utf-8', async (log) => {
          const base = await mineOptionsFromQuery(log, filters);
          return processMapSvg(log, await mineLog(log, base), map, base);
        });
    });
  }

  if (missing('/logs/:id/kpis')) {
    app.get<{ Params: Params; Querystring: { by?: string } }>('/logs/:id/kpis', {
      schema: {
        summary: 'Receivables KPIs of the whole log and per group of a case attribute',
        tags: ['receivables'], params: logIdParams,
        querystring: {
          type: 'object', additionalProperties: false,
          properties: { by: { type: 'string', description: 'case attribute to group by' } },
        },
        response: errors,
      },
    }, async (request, reply) => sendAnswer(store, reply, request.params.id,
      questionKey('page-kpis', request.query), 'application/json', async (log) => {
        const r = computeReceivables(log, await mineLog(log), { by: request.query.by });
        return JSON.stringify({
          asOf: r.asOf, invoices: r.invoices, kpis: r.kpis, unavailable: r.unavailable,
          notes: r.notes, by: r.by,
        });
      }));
  }

  if (missing('/logs/:id/aging')) {
    app.get<{ Params: Params }>('/logs/:id/aging', {
      schema: {
        summary: 'Aging of the open invoices and the stuck ones', tags: ['receivables'],
        params: logIdParams, response: errors,
      },
    }, async (request, reply) => sendAnswer(store, reply, request.params.id, 'page-aging',
      'application/json', async (log) => {
        const r = computeReceivables(log, await mineLog(log));
        return JSON.stringify({ aging: r.aging, stuck: r.stuck });
      }));
  }

  if (missing('/logs/:id/attributes')) {
    app.get<{ Params: Params }>('/logs/:id/attributes', {
      schema: {
        summary: 'Case attributes with their most common values (to group or filter by)',
        tags: ['logs'], params: logIdParams, response: errors,
      },
    }, async (request, reply) => sendAnswer(store, reply, request.params.id, 'attributes',
      'application/json', async (log) => JSON.stringify({ attributes: caseAttributes(log) })));
  }
}

// Values listed per attribute: enough for a group picker, bounded for ids and amounts.
const MAX_VALUES = 50;

/** Case attributes, each with its most common values (strings and booleans). */
export function caseAttributes(
  log: CompiledLog,
): { name: string; kind: string; values: { value: string; cases: number }[] }[] {
  return [...log.caseAttributes].map(([name, column]) => {
    const counts = new Map<string, number>();
    const add = (value: string) => counts.set(value, (counts.get(value) ?? 0) + 1);
    if (column.kind === 'string') {
      for (const code of column.codes) if (code >= 0) add(column.dictionary[code]);
    } else if (column.kind === 'boolean') {
      for (const v of column.values) if (v >= 0) add(String(v === 1));
    }
    const values = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_VALUES).map(([value, cases]) => ({ value, cases }));
    return { name, kind: column.kind, values };
  });
}
