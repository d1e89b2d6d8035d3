/**
 * Attribute columns as the builder finishes them: reordered into compiled order, and columns
 * that hold one value per case moved into the case table.
 * @internal
 */
import type { AttributeColumn } from './compiled-log.js';

/** The column's values in the order of `sourceIndex` (compiled position → raw position). */
export function permute(column: AttributeColumn, sourceIndex: Int32Array): AttributeColumn {
  switch (column.kind) {
    case 'string': {
      const codes = new Int32Array(sourceIndex.length);
      for (let k = 0; k < codes.length; k++) codes[k] = column.codes[sourceIndex[k]];
      return { kind: 'string', codes, dictionary: column.dictionary };
    }
    case 'boolean': {
      const values = new Int8Array(sourceIndex.length);
      for (let k = 0; k < values.length; k++) values[k] = column.values[sourceIndex[k]];
      return { kind: 'boolean', values };
    }
    default: {
      const values = new Float64Array(sourceIndex.length);
      for (let k = 0; k < values.length; k++) values[k] = column.values[sourceIndex[k]];
      return { kind: column.kind, values };
    }
  }
}

/**
 * Moves event columns that are case attributes into the case table. A column qualifies when,
 * in every case, all its present values are equal and the case's first event carries it (as
 * flat exports do: on every row, or only on the first row). A payment amount on a later event
 * stays an event attribute even when a case has only one payment.
 */
export function promoteCaseColumns(
  events: Map<string, AttributeColumn>, cases: Map<string, AttributeColumn>, offsets: Int32Array,
): void {
  for (const [name, column] of events) promoteCaseColumn(name, column, events, cases, offsets);
}

/**
 * {@link promoteCaseColumns} for one event column: moves it when it qualifies (and no case
 * attribute has its name). The builder calls it as each column is finished, so that a
 * promoted column's event-length copy can go before the next column is made.
 */
export function promoteCaseColumn(
  name: string, column: AttributeColumn, events: Map<string, AttributeColumn>,
  cases: Map<string, AttributeColumn>, offsets: Int32Array,
): void {
  if (cases.has(name)) return;
  const caseCount = offsets.length - 1;
  const read = column.kind === 'string' ? column.codes : column.values;
  const qualifies = column.kind === 'string' || column.kind === 'boolean'
    ? onePerCaseCoded(read as Int32Array | Int8Array, offsets)
    : onePerCaseNumeric(read as Float64Array, offsets);
  if (!qualifies) return;

  const perCase = column.kind === 'string' ? new Int32Array(caseCount).fill(-1)
    : column.kind === 'boolean' ? new Int8Array(caseCount).fill(-1)
      : new Float64Array(caseCount).fill(NaN);
  for (let c = 0; c < caseCount; c++) {
    if (offsets[c] < offsets[c + 1]) perCase[c] = read[offsets[c]];
  }
  events.delete(name);
  if (column.kind === 'string') {
    const codes = perCase as Int32Array;
    cases.set(name, { kind: 'string', codes, dictionary: column.dictionary });
  } else if (column.kind === 'boolean') {
    cases.set(name, { kind: 'boolean', values: perCase as Int8Array });
  } else {
    cases.set(name, { kind: column.kind, values: perCase as Float64Array });
  }
}

// Two loops, one per way of marking a missing value, each over one array type: a shared loop
// with a missing-value test passed in was the largest cost of finishing a big flat import.

/** Whether every case's present codes equal its first event's (present) code; -1 is none. */
function onePerCaseCoded(read: Int32Array | Int8Array, offsets: Int32Array): boolean {
  const caseCount = offsets.length - 1;
  for (let c = 0; c < caseCount; c++) {
    const from = offsets[c];
    const to = offsets[c + 1];
    if (from === to) continue;
    const first = read[from];
    for (let k = from + 1; k < to; k++) {
      const v = read[k];
      if (v !== -1 && (first === -1 || v !== first)) return false;
    }
  }
  return true;
}

/** {@link onePerCaseCoded} for numbers and times, where NaN is none. */
function onePerCaseNumeric(read: Float64Array, offsets: Int32Array): boolean {
  const caseCount = offsets.length - 1;
  for (let c = 0; c < caseCount; c++) {
    const from = offsets[c];
    const to = offsets[c + 1];
    if (from === to) continue;
    const first = read[from];
    const firstMissing = Number.isNaN(first);
    for (let k = from + 1; k < to; k++) {
      const v = read[k];
      if (!Number.isNaN(v) && (firstMissing || v !== first)) return false;
    }
  }
  return true;
}
