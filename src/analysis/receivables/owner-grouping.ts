/**
 * Grouping by a value that lives on events (the agent, the resource, any event attribute):
 * each invoice needs one value, so it takes its owner's — the value carried by its last event,
 * up to the as-of date, that carries one. One forward pass over the event columns, no object
 * per invoice.
 * @internal
 */
import type { AttributeColumn, CompiledLog } from '../../log/compiled-log.js';

/** The rule an owner grouping applies, as written into the report. */
export const OWNER_RULE = 'each invoice belongs to the value of its last event up to the as-of '
  + 'date that carries one (its owner); invoices with no such event are in no group';

/** Group index per case, labels, and how many cases have no value. */
export interface OwnerGroups {
  groupOf: Int32Array;
  labels: string[];
  ungrouped: number;
}

/**
 * Groups cases by the resource codes of `log` (`codes` = log.resource) or an event attribute
 * column, taking each case's owner as {@link OWNER_RULE} says. Events after `asOf` are not read;
 * like the per-invoice pass, a case's events are read in log order and the first one after
 * `asOf` ends the case.
 */
export function groupByOwner(
  log: CompiledLog, source: AttributeColumn | { kind: 'resource'; codes: Int32Array },
  asOf: number,
): OwnerGroups {
  const owner = lastCarrier(log, source, asOf);
  if (source.kind === 'string' || source.kind === 'resource') {
    const dictionary = source.kind === 'string' ? source.dictionary : log.resources;
    return compactCodes(owner, source.codes, dictionary);
  }
  return distinctValues(owner, source);
}

// Event index of each case's owner event, -1 when none. Split by column kind so that each loop
// reads one typed array with one missing-value test.
function lastCarrier(
  log: CompiledLog, source: AttributeColumn | { kind: 'resource'; codes: Int32Array },
  asOf: number,
): Int32Array {
  const { offsets, time } = log;
  const n = log.caseCount;
  const owner = new Int32Array(n);
  if (source.kind === 'string' || source.kind === 'resource') {
    const codes = source.codes;
    for (let c = 0; c < n; c++) {
      let found = -1;
      for (let k = offsets[c], end = offsets[c + 1]; k < end && time[k] <= asOf; k++) {
        if (codes[k] >= 0) found = k;
      }
      owner[c] = found;
    }
  } else if (source.kind === 'boolean') {
    const values = source.values;
    for (let c = 0; c < n; c++) {
      let found = -1;
      for (let k = offsets[c], end = offsets[c + 1]; k < end && time[k] <= asOf; k++) {
        if (values[k] >= 0) found = k;
      }
      owner[c] = found;
    }
  } else {
    const values = source.values;
    for (let c = 0; c < n; c++) {
      let found = -1;
      for (let k = offsets[c], end = offsets[c + 1]; k < end && time[k] <= asOf; k++) {
        if (!Number.isNaN(values[k])) found = k;
      }
      owner[c] = found;
    }
  }
  return owner;
}

// Groups by dictionary code, keeping only codes some case owns, in dictionary order: an event
// dictionary holds every value seen on any event, most of which own no invoice.
function compactCodes(owner: Int32Array, codes: Int32Array, dictionary: string[]): OwnerGroups {
  const groupOfCode = new Int32Array(dictionary.length).fill(-1);
  for (let c = 0; c < owner.length; c++) if (owner[c] >= 0) groupOfCode[codes[owner[c]]] = 0;
  const labels: string[] = [];
  for (let code = 0; code < dictionary.length; code++) {
    if (groupOfCode[code] === 0) {
      groupOfCode[code] = labels.length;
      labels.push(dictionary[code]);
    }
  }
  let ungrouped = 0;
  const groupOf = owner; // reused in place: each entry is read once before it is overwritten
  for (let c = 0; c < groupOf.length; c++) {
    if (groupOf[c] < 0) ungrouped++;
    else groupOf[c] = groupOfCode[codes[groupOf[c]]];
  }
  return { groupOf, labels, ungrouped };
}

// Numbers, times and flags: a small dictionary of the owners' distinct values, in order of
// first appearance by case.
function distinctValues(
  owner: Int32Array,
  column: Exclude<AttributeColumn, { kind: 'string' }>,
): OwnerGroups {
  const codeOf = new Map<number, number>();
  const labels: string[] = [];
  let ungrouped = 0;
  const groupOf = owner;
  for (let c = 0; c < groupOf.length; c++) {
    const k = groupOf[c];
    if (k < 0) {
      ungrouped++;
      continue;
    }
    const v = column.values[k];
    let code = codeOf.get(v);
    if (code === undefined) {
      code = labels.length;
      codeOf.set(v, code);
      labels.push(column.kind === 'boolean' ? String(v === 1)
        : column.kind === 'time' ? new Date(v).toISOString() : String(v));
    }
    groupOf[c] = code;
  }
  return { groupOf, labels, ungrouped };
}
