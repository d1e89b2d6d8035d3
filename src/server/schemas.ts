/**
 * JSON schemas of the API's answers: they validate nothing at run time but drive the fast
 * serialiser and the OpenAPI description at /docs.
 */
const nullableNumber = { type: ['number', 'null'] } as const;
const countMap = { type: 'object', additionalProperties: { type: 'number' } } as const;

/** A log's record (GET /logs/{id}). */
export const logRecordSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['importing', 'ready', 'failed'] },
    bytes: { type: 'number' },
    progress: { type: 'number', description: 'share of the upload read, 0 to 1' },
    cases: nullableNumber,
    events: nullableNumber,
    activities: nullableNumber,
    format: { type: ['string', 'null'] },
    error: {
      type: ['object', 'null'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
  required: ['id', 'name', 'createdAt', 'status', 'bytes', 'progress'],
} as const;

const durationStatsProperties = {
  count: { type: 'number' },
  meanMs: nullableNumber,
  medianMs: nullableNumber,
  p90Ms: nullableNumber,
  minMs: nullableNumber,
  maxMs: nullableNumber,
} as const;

const edgeProperties = {
  from: { type: 'string' },
  to: { type: 'string' },
  ...durationStatsProperties,
} as const;

const bucketsSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      lowMs: { type: 'number' }, highMs: { type: 'number' }, count: { type: 'number' },
    },
  },
} as const;

/** GET /logs/{id}/dfg. */
export const dfgSchema = {
  type: 'object',
  description: 'Directly-follows graph; per edge the count and the waiting time ' +
    '(start of next − end of previous, ms): mean, median, p90, min, max',
  properties: {
    cases: { type: 'number' },
    events: { type: 'number' },
    emptyCases: { type: 'number' },
    activities: countMap,
    startActivities: countMap,
    endActivities: countMap,
    dfg: {
      type: 'object',
      properties: {
        edges: { type: 'array', items: { type: 'object', properties: edgeProperties } },
      },
    },
  },
} as const;

/** GET /logs/{id}/histograms. */
export const histogramsSchema = {
  type: 'object',
  description: 'Log-linear histograms (bucket [lowMs, highMs), non-empty buckets only)',
  properties: {
    cases: { type: 'number' },
    caseDurations: {
      type: 'object', properties: { ...durationStatsProperties, buckets: bucketsSchema },
    },
    edges: {
      type: 'array',
      items: { type: 'object', properties: { ...edgeProperties, buckets: bucketsSchema } },
    },
  },
} as const;

/** GET /logs/{id}/variants. */
export const variantsSchema = {
  type: 'object',
  properties: {
    cases: { type: 'number' },
    total: { type: 'number' },
    variants: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'number', description: 'place in the unfiltered list (variant=)' },
          activities: { type: 'array', items: { type: 'string' } },
          count: { type: 'number' },
          share: { type: 'number' },
        },
      },
    },
  },
} as const;

const anyValue = { type: ['string', 'number', 'boolean', 'null'] } as const;

/** GET /logs/{id}/cases/{caseId}. */
export const caseTrailSchema = {
  type: 'object',
  properties: {
    caseId: { type: 'string' },
    attributes: { type: 'object', additionalProperties: anyValue },
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          activity: { type: 'string' },
          time: { type: ['string', 'null'] },
          start: { type: ['string', 'null'] },
          resource: { type: ['string', 'null'] },
          attributes: { type: 'object', additionalProperties: anyValue },
        },
      },
    },
  },
} as const;
