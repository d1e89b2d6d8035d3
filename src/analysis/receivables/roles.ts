/**
 * Receivables roles: which activities play which part in an invoice's life, which attributes
 * hold the money and the dates, and the thresholds the KPIs use. A user maps their own names
 * with a JSON file; {@link parseRoleMapping} validates it and names the first bad key.
 */
import { LedgerflowError, quoteValue } from '../../errors.js';

/** The roles of the design, in the order an invoice usually meets them. */
export const ROLES = [
  'created', 'dunning', 'promise', 'dispute-opened', 'dispute-resolved', 'credit-note',
  'payment', 'cash-applied', 'cleared',
] as const;
/** A receivables role. */
export type Role = (typeof ROLES)[number];

/** Default activity names (the template's, see `ledgerflow template`). */
export const DEFAULT_ROLE_ACTIVITIES: Readonly<Record<Role, readonly string[]>> = {
  'created': ['Invoice Created'],
  'dunning': ['Dunning Letter Sent'],
  'promise': ['Promise To Pay'],
  'dispute-opened': ['Dispute Opened'],
  'dispute-resolved': ['Dispute Resolved'],
  'credit-note': ['Credit Note Issued'],
  'payment': ['Payment Received'],
  'cash-applied': ['Cash Applied'],
  'cleared': ['Invoice Cleared'],
};

/** The attributes the KPIs read, with the template's column names as defaults. */
export const DEFAULT_ATTRIBUTES = {
  automated: 'Automated',
  promisedDate: 'Promised Date',
  paymentAmount: 'Payment Amount',
  disputeReason: 'Dispute Reason',
  dueDate: 'Due Date',
  amount: 'Invoice Amount',
  customer: 'Customer',
  segment: 'Segment',
  region: 'Region',
  agent: 'Agent',
  paymentTerms: 'Payment Terms',
} as const;
/** A logical attribute the KPIs read. */
export type AttributeKey = keyof typeof DEFAULT_ATTRIBUTES;

/** Thresholds of the KPIs. */
export interface Thresholds {
  /** Days after a promised date that still count as keeping the promise. */
  graceDays: number;
  /** An open invoice with no event for more than this many days is stuck. */
  stuckDays: number;
  /** A dispute on an invoice amount under this is small. */
  smallDispute: number;
}

/** Default thresholds. */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = {
  graceDays: 3, stuckDays: 30, smallDispute: 500,
};

/** A complete role mapping: every role, every attribute, every threshold. */
export interface RoleMapping {
  roles: Record<Role, string[]>;
  attributes: Record<AttributeKey, string>;
  thresholds: Thresholds;
  /** Free text the mapping's author left (how an odd activity was mapped, say). */
  note?: string;
}

/** The mapping of the template's names. */
export function defaultRoleMapping(): RoleMapping {
  const roles = {} as Record<Role, string[]>;
  for (const role of ROLES) roles[role] = [...DEFAULT_ROLE_ACTIVITIES[role]];
  return { roles, attributes: { ...DEFAULT_ATTRIBUTES }, thresholds: { ...DEFAULT_THRESHOLDS } };
}

const TOP_KEYS = ['roles', 'attributes', 'thresholds', 'note'];
/**
 * A mapping names a few dozen activities and columns, a few KB of JSON; text past this size is
 * refused before parsing, as surely the wrong file (or a hostile request).
 */
export const MAX_ROLES_TEXT_CHARS = 1_000_000;
/** At most this many activity names per role. */
export const MAX_ROLE_NAMES = 10_000;

/**
 * Validates a role mapping read from JSON (an object, or its text) and merges it over the
 * defaults: a role or attribute left out keeps its default name. `file` names the source in
 * messages.
 */
export function parseRoleMapping(input: unknown, file?: string): RoleMapping {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_ROLES_TEXT_CHARS) {
      throw bad(file, undefined, `the mapping is ${input.length} characters long, more than `
        + `the ${MAX_ROLES_TEXT_CHARS} accepted; a mapping lists activity and column names `
        + '(a few KB): check that this is the right file');
    }
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw bad(file, undefined, `the text is not JSON (${(err as Error).message}); `
        + 'write an object such as { "roles": { "payment": ["Payment"] } }');
    }
  }
  if (!isObject(value)) {
    throw bad(file, undefined, 'the mapping must be a JSON object with "roles", "attributes" '
      + 'and/or "thresholds"');
  }
  const out = defaultRoleMapping();
  for (const key of Object.keys(value)) {
    if (!TOP_KEYS.includes(key)) {
      throw bad(file, key, `unknown key; use one of ${TOP_KEYS.join(', ')}`);
    }
  }
  if (value.roles !== undefined) readRoles(value.roles, out, file);
  if (value.attributes !== undefined) readAttributes(value.attributes, out, file);
  if (value.thresholds !== undefined) readThresholds(value.thresholds, out, file);
  if (value.note !== undefined) {
    if (typeof value.note !== 'string') throw bad(file, 'note', 'the note must be a string');
    out.note = value.note;
  }
  return out;
}

function readRoles(roles: unknown, out: RoleMapping, file?: string): void {
  if (!isObject(roles)) throw bad(file, 'roles', 'expected an object of role → activity names');
  for (const [role, names] of Object.entries(roles)) {
    const field = `roles.${role}`;
    if (!(ROLES as readonly string[]).includes(role)) {
      throw bad(file, field, `unknown role; the roles are ${ROLES.join(', ')}`);
    }
    const list = typeof names === 'string' ? [names] : names;
    // Only strings are accepted, so nothing below walks a nested value; the message quotes
    // a short preview of it (quoteValue never stringifies the whole value).
    if (!Array.isArray(list) || list.some((n) => typeof n !== 'string' || n === '')) {
      throw bad(file, field, 'expected a list of non-empty activity names, e.g. ["Payment"] '
        + '(an empty list turns the role off)', names);
    }
    if (list.length > MAX_ROLE_NAMES) {
      throw bad(file, field, `the role lists ${list.length} activity names, more than the `
        + `${MAX_ROLE_NAMES} accepted; list only the activities of this role`);
    }
    out.roles[role as Role] = [...list] as string[];
  }
}

function readAttributes(attributes: unknown, out: RoleMapping, file?: string): void {
  if (!isObject(attributes)) {
    throw bad(file, 'attributes', 'expected an object of attribute → column name');
  }
  const keys = Object.keys(DEFAULT_ATTRIBUTES);
  for (const [key, name] of Object.entries(attributes)) {
    const field = `attributes.${key}`;
    if (!keys.includes(key)) {
      throw bad(file, field, `unknown attribute; use one of ${keys.join(', ')}`);
    }
    if (typeof name !== 'string' || name === '') {
      throw bad(file, field, 'expected a non-empty column name', name);
    }
    out.attributes[key as AttributeKey] = name;
  }
}

function readThresholds(thresholds: unknown, out: RoleMapping, file?: string): void {
  if (!isObject(thresholds)) throw bad(file, 'thresholds', 'expected an object of numbers');
  const keys = Object.keys(DEFAULT_THRESHOLDS);
  for (const [key, n] of Object.entries(thresholds)) {
    const field = `thresholds.${key}`;
    if (!keys.includes(key)) {
      throw bad(file, field, `unknown threshold; use one of ${keys.join(', ')}`);
    }
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
      throw bad(file, field, 'expected a number of 0 or more', n);
    }
    out.thresholds[key as keyof Thresholds] = n;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(
  file: string | undefined, field: string | undefined, detail: string, ...value: unknown[]
) {
  const shown = value.length === 0 ? '' : ` (got ${quoteValue(value[0])})`;
  return new LedgerflowError('LF_ERR_ANALYSIS_BAD_ROLES', `${detail}${shown}`, { file, field });
}
