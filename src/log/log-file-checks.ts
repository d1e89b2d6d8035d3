/**
 * The checks a compiled log passes before it is returned: a pair of files may come from
 * someone else, or from a save interrupted between its two renames, so the loader
 * (log-file.ts) trusts no count, offset, code or time in them. Each check throws
 * LF_ERR_LOG_BAD_COMPILED; the loader adds the files' names.
 * @internal
 */
import { DataType, type Table, type Vector } from 'apache-arrow';
import { LedgerflowError } from '../errors.js';
import type { LogInfo } from './compiled-log.js';

/** The two files must belong together: the same pair id (format 2) and the same case count. */
export function checkPair(events: Table, cases: Table, casesName: string): void {
  const pair = events.schema.metadata.get('ledgerflow.pair');
  if (pair !== undefined && cases.schema.metadata.get('ledgerflow.pair') !== pair) {
    throw corrupt(`the case table ${casesName} belongs to another log (or was written by an ` +
      'interrupted save)');
  }
  const expected = events.schema.metadata.get('ledgerflow.caseCount');
  if (expected !== undefined && Number(expected) !== cases.numRows) {
    throw corrupt(`the events file expects ${expected} cases but the case table ${casesName} ` +
      `has ${cases.numRows}`);
  }
}

/** The log's info note, which must be a JSON object. */
export function readInfo(text: string | undefined): LogInfo {
  try {
    const info = JSON.parse(text ?? '{}') as unknown;
    if (typeof info !== 'object' || info === null || Array.isArray(info)) throw new Error();
    return info as LogInfo;
  } catch {
    throw corrupt('its ledgerflow.info note is not a JSON object');
  }
}

/**
 * Format 2 keeps offsets in the case table; the events' own case column must agree with
 * them, event by event (one pass over the codes, a few ms per million events), so a shifted
 * or foreign table cannot move events between invoices unnoticed.
 */
export function checkCaseColumn(caseColumn: Vector, offsets: Int32Array): void {
  if (!DataType.isDictionary(caseColumn.type)) throw corrupt('case column is not a dictionary');
  let c = 0;
  let i = 0;
  let end = offsets[1] ?? 0;
  const cases = offsets.length - 1;
  for (const data of caseColumn.data) {
    if (data.nullCount > 0) throw corrupt('an event has no case');
    const codes = (data.values as Int32Array).subarray(0, data.length);
    for (let k = 0; k < codes.length; k++, i++) {
      while (i >= end && c < cases) end = offsets[++c + 1];
      if (codes[k] !== c) throw corrupt(`event ${i} is stored under case ${codes[k]}, ` +
        `but the case table puts it in case ${c}`);
    }
  }
}

/** Dictionary codes must index their dictionary (-1, missing, only where allowed). */
export function checkCodes(
  codes: Int32Array, size: number, name: string, missingOk: boolean, rows = 'event',
): void {
  const low = missingOk ? -1 : 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code < low || code >= size) {
      throw corrupt(`${rows} ${i} has ${name} code ${code}, outside its ${size} names`);
    }
  }
}

/** Every event has its time: no importer makes an event without one. */
export function checkTimes(values: Float64Array, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw corrupt(`event ${i} has no ${name}`);
  }
}

/** The loader's error for an inconsistent pair of files. */
export function corrupt(detail: string): LedgerflowError {
  return new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
    `${detail}; compile the log again from its source`);
}
