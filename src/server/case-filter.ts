/**
 * Turns the filter parameters of a mining question into the masks of a mine call: the case
 * filters (time range, case attributes, variant, start and end activity) into a `caseMask`,
 * the activity projection into an `activityMask`. Every name and value is checked against the
 * log, and a bad one is a 400 that says which parameter and what the log has.
 */
import { LedgerflowError, quoteValue } from '../errors.js';
import type { MineOptions } from '../engine/mine-result.js';
import type { AttributeColumn, CompiledLog } from '../log/compiled-log.js';
import { logIndex, variantIndex } from './log-index.js';

/** The filter parameters, as the query string gives them. */
export interface FilterQuery {
  from?: string;
  to?: string;
  variant?: number;
  startActivity?: string;
  endActivity?: string;
  activities?: string;
  [attr: `attr.${string}`]: string | undefined;
}

/** Query-string schema properties of the filters (shared by every mining route). */
export const filterQueryProperties = {
  from: { type: 'string', description: 'ISO date or date-time: keep cases that end at or ' +
    'after it (cases overlapping [from, to])' },
  to: { type: 'string', description: 'ISO date or date-time: keep cases that start at or ' +
    'before it' },
  variant: { type: 'integer', minimum: 0, description: 'keep cases of this variant ' +
    '(index in GET /logs/{id}/variants, unfiltered)' },
  startActivity: { type: 'string', description: 'comma-separated: keep cases starting with one' },
  endActivity: { type: 'string', description: 'comma-separated: keep cases ending with one' },
  activities: { type: 'string', description: 'comma-separated projection: keep only these ' +
    'activities; the kept events of a case link directly' },
} as const;

/** Pattern of the case attribute filters `attr.<name>=v1,v2`. */
export const attrParamPattern = '^attr\\..+$';

/** The mine options of the filters in `query` (no mask when no filter of its kind). */
export async function mineOptionsFromQuery(
  log: CompiledLog, query: FilterQuery,
): Promise<MineOptions> {
  const options: MineOptions = {};
  let mask: Uint8Array | undefined;
  const narrow = (keep: (c: number) => boolean) => {
    mask ??= new Uint8Array(log.caseCount).fill(1);
    for (let c = 0; c < log.caseCount; c++) if (mask[c] !== 0 && !keep(c)) mask[c] = 0;
  };

  const index = logIndex(log);
  if (query.from !== undefined || query.to !== undefined) {
    const from = query.from === undefined ? -Infinity : parseInstant('from', query.from);
    const to = query.to === undefined ? Infinity : parseInstant('to', query.to, true);
    if (from > to) throw badQuery('from', query.from ?? '', 'from must not be after to');
    // NaN spans (cases without events) compare false, so such cases drop out.
    narrow((c) => index.caseLast[c] >= from && index.caseFirst[c] <= to);
  }
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith('attr.') || value === undefined) continue;
    const name = key.slice(5);
    const column = log.caseAttributes.get(name);
    if (column === undefined) {
      const known = [...log.caseAttributes.keys()].slice(0, 20).join(', ') || 'none';
      throw badQuery(key, name, `the log has no case attribute ${quoteValue(name)} ` +
        `(it has: ${known})`);
    }
    const test = attributeTest(column, key, splitList(String(value)));
    narrow(test);
  }
  if (query.variant !== undefined) {
    const variants = await variantIndex(log);
    const wanted = query.variant;
    if (wanted >= variants.sequences.length) {
      const n = variants.sequences.length;
      throw badQuery('variant', String(wanted), `the log has ${n} variants (0 to ${n - 1})`);
    }
    narrow((c) => variants.caseVariant[c] === wanted);
  }
  if (query.startActivity !== undefined) {
    const codes = activitySet(log, index.activityCode, 'startActivity', query.startActivity);
    narrow((c) => log.offsets[c] < log.offsets[c + 1] && codes.has(log.activity[log.offsets[c]]));
  }
  if (query.endActivity !== undefined) {
    const codes = activitySet(log, index.activityCode, 'endActivity', query.endActivity);
    narrow((c) => log.offsets[c] < log.offsets[c + 1] &&
      codes.has(log.activity[log.offsets[c + 1] - 1]));
  }
  if (mask !== undefined) options.caseMask = mask;
  if (query.activities !== undefined) {
    const codes = activitySet(log, index.activityCode, 'activities', query.activities);
    const activityMask = new Uint8Array(log.activities.length);
    for (const code of codes) activityMask[code] = 1;
    options.activityMask = activityMask;
  }
  return options;
}

/** Splits a comma-separated parameter value into trimmed, non-empty items. */
export function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function activitySet(
  log: CompiledLog, codes: Map<string, number>, param: string, text: string,
): Set<number> {
  const out = new Set<number>();
  for (const name of splitList(text)) {
    const code = codes.get(name);
    if (code === undefined) {
      const known = log.activities.slice(0, 20).join(', ');
      throw badQuery(param, name, `no activity is named ${quoteValue(name)} (the log has: ` +
        `${known}${log.activities.length > 20 ? ', …' : ''})`);
    }
    out.add(code);
  }
  if (out.size === 0) throw badQuery(param, text, 'give at least one activity name');
  return out;
}

function attributeTest(
  column: AttributeColumn, param: string, values: string[],
): (c: number) => boolean {
  switch (column.kind) {
    case 'string': {
      const wanted = new Set<number>();
      values.forEach((v) => {
        const code = column.dictionary.indexOf(v);
        if (code >= 0) wanted.add(code);
      });
      return (c) => wanted.has(column.codes[c]);
    }
    case 'number': {
      const wanted = new Set(values.map((v) => {
        const n = Number(v);
        if (v === '' || Number.isNaN(n)) throw badQuery(param, v, 'this attribute is a number');
        return n;
      }));
      return (c) => wanted.has(column.values[c]);
    }
    case 'time': {
      const wanted = new Set(values.map((v) => parseInstant(param, v)));
      return (c) => wanted.has(column.values[c]);
    }
    case 'boolean': {
      const wanted = new Set<number>(values.map((v) => {
        if (v !== 'true' && v !== 'false') throw badQuery(param, v, 'write true or false');
        return v === 'true' ? 1 : 0;
      }));
      return (c) => wanted.has(column.values[c]);
    }
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

// A date alone reads as that whole UTC day: as a lower bound its start, as an upper its end.
function parseInstant(param: string, text: string, endOfDay = false): number {
  const ms = DATE_ONLY.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw badQuery(param, text, 'write an ISO date (2024-03-01) or date-time ' +
      '(2024-03-01T09:00:00Z)');
  }
  return DATE_ONLY.test(text) && endOfDay ? ms + DAY_MS - 1 : ms;
}

function badQuery(param: string, value: string, detail: string): LedgerflowError {
  return new LedgerflowError('LF_ERR_HTTP_BAD_QUERY', `query parameter ${param}: ${detail}`,
    { field: param, value });
}
