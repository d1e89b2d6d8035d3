/**
 * Attribute columns as the builder finishes them: reordered into compiled order, and columns
 * that hold one value per case moved into the case table.
 * @internal
 */
import type { CodeArray } from './code-array.js';
import type { AttributeColumn } from './compiled-log.js';
import { permute, type RawColumn } from './raw-column.js';

/**
 * Puts a finished column where it belongs: into the case table when `promote` is set, no case
 * attribute has its name and it holds one value per case; otherwise, in compiled order, into
 * the event attributes. A column that holds one value per case qualifies when, in every case,
 * all its present values are equal and the case's first event carries it (as flat exports
 * do: on every row, or only on the first row). A payment amount on a later event stays an
 * event attribute even when a case has only one payment.
 *
 * The test reads the raw column through `sourceIndex`, so a promoted column never gets an
 * event-length copy in compiled order (a big flat import has many such columns). A null
 * `sourceIndex` says that the raw order is the compiled one (a file sorted by case and time):
 * positions are then read as they are, and an event column is copied straight.
 */
export function placeColumn(
  name: string, column: RawColumn, sourceIndex: Int32Array | null, offsets: Int32Array,
  events: Map<string, AttributeColumn>, cases: Map<string, AttributeColumn>, promote: boolean,
): void {
  if (promote && !cases.has(name) && onePerCase(column, sourceIndex, offsets)) {
    cases.set(name, perCase(column, sourceIndex, offsets));
  } else {
    events.set(name, permute(column, sourceIndex));
  }
}

function onePerCase(
  column: RawColumn, sourceIndex: Int32Array | null, offsets: Int32Array,
): boolean {
  if (column.kind === 'string') return onePerCaseCoded(column.codes, sourceIndex, offsets);
  if (column.codes !== undefined) {
    return onePerCaseByCode(column.codes, column.byCode, sourceIndex, offsets);
  }
  return column.kind === 'boolean' ? onePerCaseCoded(column.values, sourceIndex, offsets)
    : onePerCaseNumeric(column.values, sourceIndex, offsets);
}

/** The value of each case's first event (none for an empty case). */
function perCase(
  column: RawColumn, sourceIndex: Int32Array | null, offsets: Int32Array,
): AttributeColumn {
  const caseCount = offsets.length - 1;
  // Each case's first event in raw order; an empty case reads raw event 0, then is cleared.
  const firstOf = new Int32Array(caseCount);
  for (let c = 0; c < caseCount; c++) {
    if (offsets[c] < offsets[c + 1]) {
      firstOf[c] = sourceIndex === null ? offsets[c] : sourceIndex[offsets[c]];
    }
  }
  const values = permute(column, firstOf);
  for (let c = 0; c < caseCount; c++) {
    if (offsets[c] < offsets[c + 1]) continue;
    if (values.kind === 'string') values.codes[c] = -1;
    else if (values.kind === 'boolean') values.values[c] = -1;
    else values.values[c] = NaN;
  }
  return values;
}

// Two loops, one per way of marking a missing value (-1 in codes of any width, NaN in numbers):
// a shared loop with a missing-value test passed in was the largest cost of finishing a big
// flat import. A null `sourceIndex` is a test per value instead, always the same way, which
// the processor predicts.

/**
 * Whether every case's present codes equal its first event's (present) code; -1 is none. The
 * codes are in raw order, read in compiled order through `sourceIndex`.
 */
function onePerCaseCoded(
  read: CodeArray, sourceIndex: Int32Array | null, offsets: Int32Array,
): boolean {
  const caseCount = offsets.length - 1;
  for (let c = 0; c < caseCount; c++) {
    const from = offsets[c];
    const to = offsets[c + 1];
    if (from === to) continue;
    const first = read[sourceIndex === null ? from : sourceIndex[from]];
    for (let k = from + 1; k < to; k++) {
      const v = read[sourceIndex === null ? k : sourceIndex[k]];
      if (v !== -1 && (first === -1 || v !== first)) return false;
    }
  }
  return true;
}

/** {@link onePerCaseCoded} for numbers and times, where NaN is none. */
function onePerCaseNumeric(
  read: Float64Array, sourceIndex: Int32Array | null, offsets: Int32Array,
): boolean {
  const caseCount = offsets.length - 1;
  for (let c = 0; c < caseCount; c++) {
    const from = offsets[c];
    const to = offsets[c + 1];
    if (from === to) continue;
    const first = read[sourceIndex === null ? from : sourceIndex[from]];
    const firstMissing = Number.isNaN(first);
    for (let k = from + 1; k < to; k++) {
      const v = read[sourceIndex === null ? k : sourceIndex[k]];
      if (!Number.isNaN(v) && (firstMissing || v !== first)) return false;
    }
  }
  return true;
}

/**
 * {@link onePerCaseCoded} for codes into typed values, compared as values: two texts of one
 * number ("5" and "5.0") are one value. A code of -1 is none; every code has a value.
 */
function onePerCaseByCode(
  codes: CodeArray, byCode: Float64Array | Int8Array, sourceIndex: Int32Array | null,
  offsets: Int32Array,
): boolean {
  const caseCount = offsets.length - 1;
  for (let c = 0; c < caseCount; c++) {
    const from = offsets[c];
    const to = offsets[c + 1];
    if (from === to) continue;
    const first = codes[sourceIndex === null ? from : sourceIndex[from]];
    for (let k = from + 1; k < to; k++) {
      const code = codes[sourceIndex === null ? k : sourceIndex[k]];
      if (code !== -1 && code !== first && (first === -1 || byCode[code] !== byCode[first])) {
        return false;
      }
    }
  }
  return true;
}
