/**
 * Binds a {@link RoleMapping} to one compiled log: a role bit mask per activity code, and for
 * each logical attribute the column that holds it (case table first, then event columns).
 * @internal
 */
import type { AttributeColumn, CompiledLog } from '../../log/compiled-log.js';
import {
  DEFAULT_ATTRIBUTES, ROLES, type AttributeKey, type Role, type RoleMapping,
} from './roles.js';

/** Bit of each role in a role mask. */
export const ROLE_BIT: Readonly<Record<Role, number>> = Object.fromEntries(
  ROLES.map((role, i) => [role, 1 << i]),
) as Record<Role, number>;

/** Where a logical attribute lives in a log. */
export interface BoundAttribute {
  name: string;
  scope: 'case' | 'event';
  column: AttributeColumn;
}

/** A mapping bound to a log. */
export interface BoundRoles {
  /** Role bits of each activity code (an activity may play several roles). */
  roleMask: Uint16Array;
  /** Roles with at least one activity present in the log. */
  present: Set<Role>;
  attributes: Record<AttributeKey, BoundAttribute | null>;
}

/** Binds `mapping` to `log`. */
export function bindRoles(log: CompiledLog, mapping: RoleMapping): BoundRoles {
  const codeOf = new Map<string, number>();
  log.activities.forEach((name, code) => codeOf.set(name, code));
  const roleMask = new Uint16Array(log.activities.length);
  const present = new Set<Role>();
  for (const role of ROLES) {
    for (const name of mapping.roles[role]) {
      const code = codeOf.get(name);
      if (code === undefined) continue;
      roleMask[code] |= ROLE_BIT[role];
      present.add(role);
    }
  }
  const attributes = {} as Record<AttributeKey, BoundAttribute | null>;
  for (const key of Object.keys(DEFAULT_ATTRIBUTES) as AttributeKey[]) {
    attributes[key] = bindAttribute(log, mapping.attributes[key]);
  }
  return { roleMask, present, attributes };
}

function bindAttribute(log: CompiledLog, name: string): BoundAttribute | null {
  const onCase = log.caseAttributes.get(name);
  if (onCase !== undefined) return { name, scope: 'case', column: onCase };
  const onEvent = log.eventAttributes.get(name);
  if (onEvent !== undefined) return { name, scope: 'event', column: onEvent };
  return null;
}

/**
 * Reads a numeric value (number or time column; a string column whose text is a number or an
 * ISO date) at `index`; NaN when missing or not numeric.
 */
export function numberAt(column: AttributeColumn, index: number, parse: TextReader): number {
  switch (column.kind) {
    case 'number':
    case 'time':
      return column.values[index];
    case 'boolean':
      return column.values[index] < 0 ? NaN : column.values[index];
    case 'string': {
      const code = column.codes[index];
      return code < 0 ? NaN : parse(column.dictionary, code);
    }
  }
}

/** Reads a dictionary text as a number, caching per code. */
export type TextReader = (dictionary: string[], code: number) => number;

/**
 * A reader of dictionary texts as numbers through `convert`, with a cache per dictionary so each
 * distinct text is converted once.
 */
export function makeTextReader(convert: (text: string) => number): TextReader {
  let cachedFor: string[] | null = null;
  let cache: Float64Array = new Float64Array(0);
  return (dictionary, code) => {
    if (cachedFor !== dictionary) {
      cachedFor = dictionary;
      cache = new Float64Array(dictionary.length).fill(Number.NEGATIVE_INFINITY);
    }
    let v = cache[code];
    if (v === Number.NEGATIVE_INFINITY) {
      v = convert(dictionary[code]);
      cache[code] = v;
    }
    return v;
  };
}

/** Reads a flag: 1 true, 0 false, -1 unknown (booleans, 0/1 numbers, yes/no/true/false text). */
export function flagAt(column: AttributeColumn, index: number): number {
  switch (column.kind) {
    case 'boolean':
      return column.values[index];
    case 'number':
    case 'time': {
      const v = column.values[index];
      return Number.isNaN(v) ? -1 : v !== 0 ? 1 : 0;
    }
    case 'string': {
      const code = column.codes[index];
      if (code < 0) return -1;
      const t = column.dictionary[code].trim().toLowerCase();
      if (t === 'true' || t === 'yes' || t === 'y' || t === '1') return 1;
      if (t === 'false' || t === 'no' || t === 'n' || t === '0') return 0;
      return -1;
    }
  }
}
