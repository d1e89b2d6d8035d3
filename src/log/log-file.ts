/**
 * Saves a compiled log as Arrow IPC and loads it back without re-parsing the source.
 *
 * `log.arrow` is a plain Arrow IPC file any Arrow reader opens: one row per event (activity
 * instance) in compiled order, with columns `case` and `activity` (dictionary-encoded),
 * `time` and optionally `start` (timestamp[ms, UTC]), `resource`, then one column per event
 * attribute. Its schema metadata carries the log's info. The case table (one row per case,
 * cases without events included) sits beside it in `log.cases.arrow`, because one Arrow file
 * holds one table of one length.
 *
 * Format 2 (written now) makes a reopen cost little more than reading the files: the case
 * table also holds `ledgerflow.offset`, the row of each case's first event, so offsets need no
 * pass over the events, and its case ids are plain Utf8, decoded only when read
 * (lazy-case-ids.ts). Columns of both formats are used in place (arrow-views.ts): codes and
 * f64 values as views on the file's bytes, times converted where they lie. Format 1 files
 * (no stored offsets) still load, with one pass over the events' case codes.
 *
 * A reopen reads only what mining needs: the footers and message headers, the offsets, the
 * events' case codes (to check them), activity and times (lazy-file.ts, ipc-ranges.ts): at
 * 20 M events about 340 of 1,120 MB. Resources, case ids and attribute columns are read and
 * checked on first use, and a fault found then is LF_ERR_LOG_BAD_COMPILED naming the files
 * and the column. Until then the log holds both files open (an open file survives a new save
 * or a delete: saves rename). The cost of the views: a loaded log keeps the read bytes alive
 * while any column does, the events' case codes included.
 *
 * Both files are written to a temporary name, flushed to disk and renamed, cases first, so a
 * crash leaves the previous state or the new one, never a torn file. Both carry one random
 * `ledgerflow.pair` id: a crash between the two renames, or a case table copied from another
 * log, leaves two files whose ids differ, and the loader refuses them.
 *
 * A compiled log may come from someone else (an upload, a file handed over), so the loader
 * trusts nothing in it: the case table is always the file beside the events file (never a
 * path named inside it), only regular files are opened, and the case count, offsets, case
 * column, codes and times are checked before they are used (at open for the mining columns,
 * at first use for the rest): each column one row per event (or case), each buffer as long as
 * its rows need, each time within Date's range. No two columns may share bytes, and a file
 * rewritten in place since the open is refused at its next lazy read (lazy-file.ts). What
 * fails is reported as LF_ERR_LOG_BAD_COMPILED naming the file, once.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  DataType, Table, makeVector, tableToIPC, type Vector,
} from 'apache-arrow';
import { isLedgerflowError, LedgerflowError, quoteValue } from '../errors.js';
import {
  attributeFromVector, attributeVector, dictionaryCodes, dictionaryVector, timeVector, utf8Vector,
} from './arrow-columns.js';
import { writeAtomically } from './atomic-write.js';
import { columnFromVector, type ViewOptions } from './arrow-views.js';
import type { AttributeColumn, CompiledLog } from './compiled-log.js';
import { caseIdData, decodeUtf8, defineLazyCaseIds } from './lazy-case-ids.js';
import { defineLazyGroup, LazyColumnMap, once } from './lazy-columns.js';
import {
  columnRead, loadColumn, openLog, queueColumns, type OpenedLog,
} from './opened-file.js';
import {
  checkCaseColumn, checkChunks, checkCodes, checkLength, checkPair, checkTimes, corrupt,
  faultDetail, pairFault, readInfo, type PairNames,
} from './log-file-checks.js';

const FORMAT_VERSION = '2';
const READABLE_VERSIONS = new Set(['1', '2']);
const CORE_COLUMNS = new Set(['case', 'activity', 'time', 'start', 'resource']);
/** The case-table column holding the row of each case's first event (format 2). */
const OFFSET_COLUMN = 'ledgerflow.offset';
const CASE_COLUMNS = new Set(['case', OFFSET_COLUMN]);
/** Events columns read at open, in the order they are checked; the rest wait for first use. */
const EVENT_COLUMNS_NOW = ['case', 'activity', 'time', 'start'];

/** The path of the case table that belongs to an events file. */
export function casesPathFor(eventsPath: string): string {
  const ext = path.extname(eventsPath);
  return `${eventsPath.slice(0, eventsPath.length - ext.length)}.cases${ext || '.arrow'}`;
}

/** Writes the log as `eventsPath` and its case table beside it, atomically each. */
export async function saveCompiledLog(log: CompiledLog, eventsPath: string): Promise<void> {
  const casesPath = casesPathFor(eventsPath);
  const pair = randomUUID();
  await writeAtomically(casesPath, tableToIPC(casesTable(log, pair), 'file'));
  await writeAtomically(eventsPath,
    tableToIPC(eventsTable(log, path.basename(casesPath), pair), 'file'));
}

/**
 * Reads a log written by {@link saveCompiledLog} (format 1 or 2). Only what mining needs is
 * read now (offsets, the case column that checks them, activity, times); resources, case ids
 * and attribute columns are read and checked on first use (see lazy-columns.ts).
 */
export async function loadCompiledLog(eventsPath: string): Promise<CompiledLog> {
  const eventsName = path.basename(eventsPath);
  // The case table is the file beside this one, by name. The `ledgerflow.cases` note inside
  // the file is not followed: a crafted file could name any path on the machine.
  const casesPath = casesPathFor(eventsPath);
  const casesName = path.basename(casesPath);
  const pairName = `${eventsName} with ${casesName}`;
  const names: PairNames = { events: eventsName, cases: casesName, pair: pairName };
  // A fault found while opening one file (e.g. two columns sharing bytes) is said once too.
  const said = (err: unknown): never => {
    throw isLedgerflowError(err, 'LF_ERR_LOG_BAD_COMPILED') ? pairFault(err, names) : err;
  };
  const events = await openLog(eventsPath, pairName).catch(said);
  const meta = events.table.schema.metadata;
  const version = meta.get('ledgerflow.version');
  if (version === undefined || !READABLE_VERSIONS.has(version)) {
    events.file.close();
    throw new LedgerflowError('LF_ERR_LOG_BAD_COMPILED', version === undefined
      ? 'this Arrow file is not a ledgerflow compiled log; import it as a table instead'
      : 'it was written in a compiled-log format this version cannot read ' +
        `(it reads ${[...READABLE_VERSIONS].join(' and ')}); import the log again from its source`,
    { file: eventsName, field: 'ledgerflow.version', value: version });
  }
  const cases = await openLog(casesPath, pairName).catch((err: unknown) => {
    events.file.close();
    if (err instanceof LedgerflowError) said(err);
    throw new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
      `its case table ${casesName} is missing or unreadable; keep both files together, with ` +
      'the names they were saved with', { file: eventsName }, err);
  });
  try {
    // Queued in the order they are checked: each is checked while the next is being read.
    queueColumns(cases, [OFFSET_COLUMN]);
    queueColumns(events, EVENT_COLUMNS_NOW);
    checkPair(events.table, cases.table, casesName);
    return await compiledLogFromTables(events, cases, version === '2', names);
  } catch (err) {
    // No read may still be under way when a file is closed: its number could be reused.
    await Promise.allSettled([...events.reads.values(), ...cases.reads.values()]);
    events.file.close();
    cases.file.close();
    if (err instanceof LedgerflowError && err.code !== 'LF_ERR_LOG_BAD_COMPILED') throw err;
    // Any fault found while reading the tables (a type, a count, a bad JSON note) is this
    // pair's fault: say which file (or both), whatever threw it, and say it once.
    throw pairFault(err, names);
  }
}

/** True when the bytes are a ledgerflow compiled log (an Arrow file with our metadata). */
export function isCompiledLogTable(table: Table): boolean {
  return table.schema.metadata.get('ledgerflow.version') !== undefined;
}

function eventsTable(log: CompiledLog, casesName: string, pair: string): Table {
  const caseCodes = new Int32Array(log.eventCount);
  for (let c = 0; c < log.caseCount; c++) {
    caseCodes.fill(c, log.offsets[c], log.offsets[c + 1]);
  }
  const columns: Record<string, Vector> = {
    case: dictionaryVector(caseCodes, log.caseIds),
    activity: dictionaryVector(log.activity, log.activities),
    time: timeVector(log.time),
  };
  if (log.hasIntervals) columns.start = timeVector(log.start);
  if (log.resource !== null) columns.resource = dictionaryVector(log.resource, log.resources);
  for (const [name, column] of log.eventAttributes) {
    columns[storedName(name, CORE_COLUMNS)] = attributeVector(column);
  }
  const table = new Table(columns);
  table.schema.metadata.set('ledgerflow.version', FORMAT_VERSION);
  table.schema.metadata.set('ledgerflow.info', JSON.stringify(log.info));
  table.schema.metadata.set('ledgerflow.cases', casesName);
  table.schema.metadata.set('ledgerflow.caseCount', String(log.caseCount));
  table.schema.metadata.set('ledgerflow.pair', pair);
  return table;
}

function casesTable(log: CompiledLog, pair: string): Table {
  // Plain Utf8: the ids are unique, so a dictionary would only add a column of 0, 1, 2…
  const columns: Record<string, Vector> = {
    case: utf8Vector(log.caseIds),
    [OFFSET_COLUMN]: makeVector(log.offsets.subarray(0, log.caseCount)),
  };
  for (const [name, column] of log.caseAttributes) {
    columns[storedName(name, CASE_COLUMNS)] = attributeVector(column);
  }
  const table = new Table(columns);
  table.schema.metadata.set('ledgerflow.pair', pair);
  return table;
}

// Names that would clash with ours, or look like an escaped one, get one `attr:` in front;
// the reader takes one off.
function storedName(name: string, reserved: Set<string>): string {
  return reserved.has(name) || name.startsWith('attr:') ? `attr:${name}` : name;
}

function userName(stored: string): string {
  return stored.startsWith('attr:') ? stored.slice(5) : stored;
}

async function compiledLogFromTables(
  events: OpenedLog, cases: OpenedLog, format2: boolean, names: PairNames,
): Promise<CompiledLog> {
  const info = readInfo(events.table.schema.metadata.get('ledgerflow.info'));
  const caseCount = cases.table.numRows;
  const eventCount = events.table.numRows;
  // In place only where the range plan checked that no two columns share bytes: a file read
  // whole (a layout the plan does not model) is copied from, never written into.
  const viewOf = (opened: OpenedLog): ViewOptions => ({ ownBytes: opened.ranges !== null });
  await columnRead(cases, OFFSET_COLUMN);
  await columnRead(events, 'case');
  // Each check names the file it reads; the caller adds nothing but the registry's words.
  const inCases = <T>(check: () => T): T => within(cases.file.name, check);
  const inEvents = <T>(check: () => T): T => within(events.file.name, check);
  const offsets = format2 ? inCases(() => storedOffsets(cases.table, eventCount))
    : inEvents(() => countedOffsets(events.table, caseCount));
  if (format2) {
    inEvents(() => {
      const codes = column(events.table, 'case');
      checkChunks(codes, 'case');
      checkCaseColumn(codes, offsets);
    });
  }

  await columnRead(events, 'activity');
  const activity = inEvents(() => {
    const read = columnFromVector(column(events.table, 'activity'),
      { ...viewOf(events), name: 'activity' });
    if (read.kind !== 'string') throw corrupt('the activity column has the wrong type');
    checkLength(read.codes.length, eventCount, 'activity');
    checkCodes(read.codes, read.dictionary.length, 'activity', false);
    return read;
  });
  await columnRead(events, 'time');
  // The conversion refuses a time outside Date's range as it goes (arrow-views.ts).
  const time = inEvents(() => timeColumn(events.table, 'time', eventCount, viewOf(events)));
  await columnRead(events, 'start');
  const start = events.table.getChild('start') === null ? null
    : inEvents(() => timeColumn(events.table, 'start', eventCount, viewOf(events)));

  // A lazy part that fails is reported with its file's and the column's names, each time it
  // is read; once read (or failed) it no longer keeps its file open.
  const later = <T>(opened: OpenedLog, stored: string, make: () => T): () => T => {
    opened.file.expect(1);
    return once(() => {
      try {
        loadColumn(opened, stored);
        return make();
      } catch (err) {
        throw pairFault(err, names, `column ${quoteValue(stored)}`, opened.file.name);
      }
    }, () => opened.file.settle(1));
  };
  const attribute = (opened: OpenedLog, stored: string, rows: string) => later(opened, stored,
    () => {
      const read = columnFromVector(column(opened.table, stored),
        { ...viewOf(opened), name: stored, rows });
      const length = read.kind === 'string' ? read.codes.length : read.values.length;
      checkLength(length, rows === 'case' ? caseCount : eventCount, stored, rows);
      if (read.kind === 'string') {
        checkCodes(read.codes, read.dictionary.length, stored, true, rows);
      }
      return read;
    });

  const eventAttributes = new LazyColumnMap<AttributeColumn>();
  for (const field of events.table.schema.fields) {
    if (CORE_COLUMNS.has(field.name)) continue;
    eventAttributes.setLazy(userName(field.name), attribute(events, field.name, 'event'));
  }
  const caseAttributes = new LazyColumnMap<AttributeColumn>();
  for (const field of cases.table.schema.fields) {
    if (CASE_COLUMNS.has(field.name)) continue;
    caseAttributes.setLazy(userName(field.name), attribute(cases, field.name, 'case'));
  }

  const hasResource = events.table.getChild('resource') !== null;
  const log: CompiledLog = {
    caseCount,
    eventCount,
    caseIds: [],
    activities: activity.dictionary,
    resources: [],
    offsets,
    activity: activity.codes,
    time: time.values,
    start: start?.kind === 'time' ? start.values : time.values,
    hasIntervals: start !== null,
    resource: null,
    eventAttributes,
    caseAttributes,
    info,
  };
  if (hasResource) {
    defineLazyGroup(log, ['resource', 'resources'], later(events, 'resource', () => {
      const resource = columnFromVector(column(events.table, 'resource'),
        { ...viewOf(events), name: 'resource' });
      if (resource.kind !== 'string') throw corrupt('the resource column has the wrong type');
      checkLength(resource.codes.length, eventCount, 'resource');
      checkCodes(resource.codes, resource.dictionary.length, 'resource', true);
      return { resource: resource.codes, resources: resource.dictionary };
    }));
  }
  const ids = column(cases.table, 'case');
  if (ids.nullCount > 0) throw corrupt('a case id is missing in the case table', cases.file.name);
  const idData = caseIdData(ids);
  const decodeIds = later(cases, 'case', () => {
    checkChunks(ids, 'case');
    if (idData !== null && idData.length === caseCount) return decodeUtf8(idData);
    const decoded = attributeFromVector(ids);
    if (decoded.kind !== 'string' || decoded.dictionary.length !== caseCount) {
      throw corrupt('the case ids are not one text per case');
    }
    return decoded.dictionary;
  });
  if (idData !== null && idData.length === caseCount) defineLazyCaseIds(log, decodeIds);
  else log.caseIds = decodeIds();
  // Nothing left to read later: the files need not stay open.
  events.file.settle(0);
  cases.file.settle(0);
  return log;
}

/** Format 2: each case's first event row, stored in the case table, checked in one pass. */
function storedOffsets(cases: Table, eventCount: number): Int32Array {
  const stored = column(cases, OFFSET_COLUMN);
  const caseCount = cases.numRows;
  checkChunks(stored, OFFSET_COLUMN);
  checkLength(stored.length, caseCount, OFFSET_COLUMN, 'case');
  const offsets = new Int32Array(caseCount + 1);
  let at = 0;
  for (const data of stored.data) {
    if (!DataType.isInt(data.type) || data.type.bitWidth !== 32 || data.nullCount > 0) {
      throw corrupt(`column ${OFFSET_COLUMN} is not a plain int32 column`);
    }
    offsets.set((data.values as Int32Array).subarray(0, data.length), at);
    at += data.length;
  }
  offsets[caseCount] = eventCount;
  if (offsets[0] !== 0) throw corrupt('the first case does not start at event 0');
  for (let c = 0; c < caseCount; c++) {
    if (offsets[c + 1] < offsets[c]) throw corrupt(`case ${c} ends before it starts`);
  }
  return offsets;
}

/** Format 1: offsets counted from the case codes, which are non-decreasing in a compiled log. */
function countedOffsets(events: Table, caseCount: number): Int32Array {
  const caseColumn = column(events, 'case');
  if (!DataType.isDictionary(caseColumn.type)) throw corrupt('case column is not a dictionary');
  checkChunks(caseColumn, 'case');
  const codes = dictionaryCodes(caseColumn);
  checkLength(codes.length, events.numRows, 'case');
  const offsets = new Int32Array(caseCount + 1);
  let previous = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c < previous || c >= caseCount) throw corrupt(`event ${i} is out of case order`);
    offsets[c + 1]++;
    previous = c;
  }
  for (let c = 0; c < caseCount; c++) offsets[c + 1] += offsets[c];
  return offsets;
}

/**
 * A time column (time, start) read in place, one row per event; its range is checked as it is
 * converted. Without nulls every time came from an integer, so none can be missing: the NaN
 * pass runs only with nulls (saves a pass over 20 M times).
 */
function timeColumn(table: Table, name: string, eventCount: number, view: ViewOptions):
  { kind: 'time'; values: Float64Array } {
  const vector = column(table, name);
  const read = columnFromVector(vector, { ...view, name, rows: 'event' });
  if (read.kind !== 'time') throw corrupt(`the ${name} column has the wrong type`);
  checkLength(read.values.length, eventCount, name);
  if (vector.nullCount !== 0) checkTimes(read.values, name);
  return read;
}

/** Runs a check whose faults are `file`'s (unless the fault names a file itself). */
function within<T>(file: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof LedgerflowError) || err.location.file !== undefined) throw err;
    throw new LedgerflowError(err.code, faultDetail(err), { ...err.location, file }, err);
  }
}

function column(table: Table, name: string): Vector {
  const vector = table.getChild(name);
  if (vector === null) throw corrupt(`column ${name} is missing`);
  return vector;
}
