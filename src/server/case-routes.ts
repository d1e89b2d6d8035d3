/**
 * One invoice's trail (its events in order, with the case and event attributes), the data
 * template, and the health check.
 */
import type { FastifyInstance } from 'fastify';
import { LedgerflowError } from '../errors.js';
import { templateXlsxBuffer } from '../generate/index.js';
import { attributeValue, type AttributeColumn, type CompiledLog } from '../log/compiled-log.js';
import type { LogStore } from '../store/index.js';
import { loadLog } from './answer-route.js';
import { errorReplySchema } from './http-errors.js';
import { logIndex } from './log-index.js';
import { caseTrailSchema } from './schemas.js';

type Value = string | number | boolean | null;

/** One event of a trail. */
export interface TrailEvent {
  activity: string;
  time: string | null;
  start: string | null;
  resource: string | null;
  attributes: Record<string, Value>;
}

/** Registers the case, template and health routes. */
export function registerCaseRoutes(app: FastifyInstance, store: LogStore): void {
  app.get<{ Params: { id: string; caseId: string } }>('/logs/:id/cases/:caseId', {
    schema: {
      summary: "One invoice's trail: its events in order, with attributes", tags: ['cases'],
      params: {
        type: 'object',
        properties: { id: { type: 'string', maxLength: 64 }, caseId: { type: 'string' } },
        required: ['id', 'caseId'],
      },
      response: { 200: caseTrailSchema, '4xx': errorReplySchema },
    },
  }, async (request) => {
    const log = await loadLog(store, request.params.id);
    const code = logIndex(log).caseCode.get(request.params.caseId);
    if (code === undefined) {
      throw new LedgerflowError('LF_ERR_HTTP_NOT_FOUND',
        'the log has no case with this id; case ids are listed in the log\'s source',
        { field: 'caseId', value: request.params.caseId });
    }
    return caseTrail(log, code);
  });

  app.get('/template.xlsx', {
    schema: {
      summary: 'The receivables data template (Excel)', tags: ['template'],
      produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    },
  }, async (_request, reply) => reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', 'attachment; filename="ledgerflow-template.xlsx"')
    .send(await templateXlsxBuffer()));

  app.get('/healthz', {
    schema: {
      summary: 'Liveness: answers without a key', tags: ['health'],
      response: { 200: { type: 'object', properties: { status: { type: 'string' } } } },
    },
  }, async () => ({ status: 'ok' }));
}

/** The trail of case `c`: attributes, and events in compiled order. */
export function caseTrail(
  log: CompiledLog, c: number,
): { caseId: string; attributes: Record<string, Value>; events: TrailEvent[] } {
  const events: TrailEvent[] = [];
  for (let e = log.offsets[c]; e < log.offsets[c + 1]; e++) {
    const resource = log.resource === null ? -1 : log.resource[e];
    events.push({
      activity: log.activities[log.activity[e]],
      time: iso(log.time[e]),
      start: log.hasIntervals ? iso(log.start[e]) : null,
      resource: resource < 0 ? null : log.resources[resource],
      attributes: valuesAt(log.eventAttributes, e),
    });
  }
  return { caseId: log.caseIds[c], attributes: valuesAt(log.caseAttributes, c), events };
}

function valuesAt(columns: Map<string, AttributeColumn>, index: number): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [name, column] of columns) {
    const value = attributeValue(column, index);
    if (value === null) continue;
    out[name] = column.kind === 'time' ? iso(value as number) : value;
  }
  return out;
}

function iso(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
