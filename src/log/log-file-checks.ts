/**
 * The checks a compiled log passes before it is returned: a pair of files may come from
 * someone else, or from a save interrupted between its two renames, so the loader
 * (log-file.ts) trusts no count, offset, code or time in them. Each check throws
 * LF_ERR_LOG_BAD_COMPILED; the loader adds the files' names.
 * @internal
 */
import { DataType, type Data, type Table, type Vector } from 'apache-arrow';
import { errorRegistry, LedgerflowError } from '../errors.js';
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
  checkLength(i, offsets[cases], 'case');
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

/**
 * Every chunk of a column holds the rows its node claims. Arrow sizes each view by the buffer
 * length the header gives, not by the rows, so a short buffer makes a view shorter than its
 * column, whose readers then meet zeros or nothing. The range plan refuses such headers
 * before Arrow decodes them; this check also covers files read whole (layouts the plan does
 * not model), and costs one step per chunk.
 */
export function checkChunks(vector: Vector, name: string): void {
  for (const data of vector.data) {
    const fault = chunkFault(data) ??
      (data.dictionary === undefined ? null : firstFault(data.dictionary.data));
    if (fault !== null) throw corrupt(`column ${name}: ${fault}`);
  }
}

function firstFault(chunks: readonly Data[]): string | null {
  for (const data of chunks) {
    const fault = chunkFault(data);
    if (fault !== null) return fault;
  }
  return null;
}

function chunkFault(data: Data): string | null {
  const end = data.offset + data.length;
  const type = data.type as DataType;
  if (data.nullCount > 0 && (data.nullBitmap?.length ?? 0) * 8 < end) {
    return `its validity bitmap is shorter than its ${end} rows`;
  }
  if (DataType.isUtf8(type) || DataType.isBinary(type) || DataType.isLargeUtf8(type) ||
    DataType.isLargeBinary(type)) {
    const offsets = data.valueOffsets?.length ?? 0;
    return end > 0 && offsets < end + 1 ? `it has ${offsets} offsets for ${end} rows` : null;
  }
  const values = data.values as { length: number } | undefined;
  if (DataType.isNull(type) || values === undefined || values === null) return null;
  const held = DataType.isBool(type) ? values.length * 8 : Math.floor(values.length / data.stride);
  return held < end ? `its value buffer holds ${held} of its ${end} rows` : null;
}

/** The widest epoch ms JavaScript's Date holds: ±100,000,000 days around 1970. */
export const MAX_TIME_MS = 8.64e15;

/** A time no Date can hold: the analyses that format dates would fail on it later. */
export function timeOutside(time: number, row: number, name: string, rows: string): Error {
  return corrupt(`${rows} ${row} has ${name} ${time} ms, outside the dates JavaScript can ` +
    `hold (±${MAX_TIME_MS} ms from 1970)`);
}

/** Every time within Date's range (NaN, a missing time, passes: {@link checkTimes} sees it). */
export function checkTimeRange(values: Float64Array, name = 'time', rows = 'event'): void {
  for (let i = 0; i < values.length; i++) {
    const t = values[i];
    if (t > MAX_TIME_MS || t < -MAX_TIME_MS) throw timeOutside(t, i, name, rows);
  }
}

/** A column must have one row per event (or per case, in the case table). */
export function checkLength(length: number, expected: number, name: string, rows = 'event'):
  void {
  if (length !== expected) {
    throw corrupt(`column ${name} has ${length} rows where the log has ${expected} ${rows}s`);
  }
}

/** The loader's error for an inconsistent pair of files; `file` names the one at fault. */
export function corrupt(detail: string, file?: string): LedgerflowError {
  return new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
    `${detail}; compile the log again from its source`, file === undefined ? {} : { file });
}

/** The names of a pair of files, for messages. */
export interface PairNames {
  events: string;
  cases: string;
  /** "<events> with <cases>": for a fault of the pair rather than of one file. */
  pair: string;
}

/**
 * The loader's one error for a fault found in a pair of files, however many layers added
 * context on the way: the registry's words and a file name once each, in front. The file is
 * the one the fault was found in when known (from the inner error, or a name its text starts
 * with), else the pair. `context` (e.g. the column) goes before the inner detail.
 */
export function pairFault(
  err: unknown, names: PairNames, context?: string, file?: string,
): LedgerflowError {
  const inner = err instanceof LedgerflowError ? err : null;
  let detail = inner !== null ? faultDetail(inner)
    : err instanceof Error ? err.message : String(err);
  let named = inner?.location.file;
  // Some callers put the file in the text ("x.arrow, column time: …"): take it to the front.
  for (let again = true; again;) {
    again = false;
    for (const name of [names.pair, names.events, names.cases]) {
      for (const sep of [': ', ', ']) {
        if (!detail.startsWith(name + sep)) continue;
        detail = detail.slice(name.length + sep.length);
        if (named === undefined || named === names.pair) named = name;
        again = true;
      }
    }
  }
  const where = { file: named ?? file ?? names.pair, byte: inner?.location.byte };
  if (where.byte === undefined) delete where.byte;
  return new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
    context === undefined ? detail : `${context}: ${detail}`, where, err);
}

/** A LedgerflowError's own detail: its message without the place and registry words. */
export function faultDetail(err: LedgerflowError): string {
  const words = `${errorRegistry[err.code].message}: `;
  const at = err.message.indexOf(words);
  return at < 0 ? err.message : err.message.slice(at + words.length);
}
