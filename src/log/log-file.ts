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
 * Both files are written to a temporary name, flushed to disk and renamed, cases first, so a
 * crash leaves the previous state or the new one, never a torn log.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { DataType, Table, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';
import { LedgerflowError } from '../errors.js';
import {
  attributeFromVector, attributeVector, dictionaryCodes, dictionaryVector, timeVector,
} from './arrow-columns.js';
import type { AttributeColumn, CompiledLog, LogInfo } from './compiled-log.js';

const FORMAT_VERSION = '1';
const CORE_COLUMNS = new Set(['case', 'activity', 'time', 'start', 'resource']);

/** The path of the case table that belongs to an events file. */
export function casesPathFor(eventsPath: string): string {
  const ext = path.extname(eventsPath);
  return `${eventsPath.slice(0, eventsPath.length - ext.length)}.cases${ext || '.arrow'}`;
}

/** Writes the log as `eventsPath` and its case table beside it, atomically each. */
export async function saveCompiledLog(log: CompiledLog, eventsPath: string): Promise<void> {
  const casesPath = casesPathFor(eventsPath);
  await writeAtomically(casesPath, tableToIPC(casesTable(log), 'file'));
  await writeAtomically(eventsPath, tableToIPC(eventsTable(log, path.basename(casesPath)), 'file'));
}

/** Reads a log written by {@link saveCompiledLog}. */
export async function loadCompiledLog(eventsPath: string): Promise<CompiledLog> {
  const eventBytes = await readFile(eventsPath);
  const events = readTable(eventBytes, eventsPath);
  const meta = events.schema.metadata;
  if (meta.get('ledgerflow.version') !== FORMAT_VERSION) {
    throw new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
      'this Arrow file is not a ledgerflow compiled log; import it as a table instead',
      { file: path.basename(eventsPath) });
  }
  const casesName = meta.get('ledgerflow.cases') ?? path.basename(casesPathFor(eventsPath));
  const casesFile = path.join(path.dirname(eventsPath), casesName);
  const cases = readTable(await readFile(casesFile).catch((err: unknown) => {
    throw new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
      `its case table ${casesName} is missing; keep both files together`,
      { file: path.basename(eventsPath) }, err);
  }), casesFile);
  return compiledLogFromTables(events, cases);
}

/** True when the bytes are a ledgerflow compiled log (an Arrow file with our metadata). */
export function isCompiledLogTable(table: Table): boolean {
  return table.schema.metadata.get('ledgerflow.version') !== undefined;
}

function eventsTable(log: CompiledLog, casesName: string): Table {
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
    columns[CORE_COLUMNS.has(name) ? `attr:${name}` : name] = attributeVector(column);
  }
  const table = new Table(columns);
  table.schema.metadata.set('ledgerflow.version', FORMAT_VERSION);
  table.schema.metadata.set('ledgerflow.info', JSON.stringify(log.info));
  table.schema.metadata.set('ledgerflow.cases', casesName);
  table.schema.metadata.set('ledgerflow.caseCount', String(log.caseCount));
  return table;
}

function casesTable(log: CompiledLog): Table {
  const codes = Int32Array.from({ length: log.caseCount }, (_, i) => i);
  const columns: Record<string, Vector> = { case: dictionaryVector(codes, log.caseIds) };
  for (const [name, column] of log.caseAttributes) {
    columns[name === 'case' ? 'attr:case' : name] = attributeVector(column);
  }
  return new Table(columns);
}

function compiledLogFromTables(events: Table, cases: Table): CompiledLog {
  const info = JSON.parse(events.schema.metadata.get('ledgerflow.info') ?? '{}') as LogInfo;
  const caseCount = cases.numRows;
  const eventCount = events.numRows;
  const caseColumn = column(events, 'case');
  if (!DataType.isDictionary(caseColumn.type)) throw corrupt('case column is not a dictionary');
  // The ids are decoded once, from the case table; the events need only their codes.
  const caseCodes = { codes: dictionaryCodes(caseColumn) };
  const caseIds = (attributeFromVector(column(cases, 'case')) as { dictionary: string[] })
    .dictionary;

  // Offsets come from the case codes, which are non-decreasing in a compiled log.
  const offsets = new Int32Array(caseCount + 1);
  let previous = 0;
  for (let i = 0; i < eventCount; i++) {
    const c = caseCodes.codes[i];
    if (c < previous || c >= caseCount) throw corrupt(`event ${i} is out of case order`);
    offsets[c + 1]++;
    previous = c;
  }
  for (let c = 0; c < caseCount; c++) offsets[c + 1] += offsets[c];

  const activity = attributeFromVector(column(events, 'activity'));
  const time = attributeFromVector(column(events, 'time'));
  const startVector = events.getChild('start');
  const start = startVector === null ? null : attributeFromVector(startVector);
  const resourceVector = events.getChild('resource');
  const resource = resourceVector === null ? null : attributeFromVector(resourceVector);
  if (activity.kind !== 'string' || time.kind !== 'time') throw corrupt('core column types');

  const eventAttributes = new Map<string, AttributeColumn>();
  for (const field of events.schema.fields) {
    if (CORE_COLUMNS.has(field.name)) continue;
    const name = field.name.startsWith('attr:') ? field.name.slice(5) : field.name;
    eventAttributes.set(name, attributeFromVector(column(events, field.name)));
  }
  const caseAttributes = new Map<string, AttributeColumn>();
  for (const field of cases.schema.fields) {
    if (field.name === 'case') continue;
    const name = field.name.startsWith('attr:') ? field.name.slice(5) : field.name;
    caseAttributes.set(name, attributeFromVector(column(cases, field.name)));
  }

  return {
    caseCount,
    eventCount,
    caseIds,
    activities: activity.dictionary,
    resources: resource?.kind === 'string' ? resource.dictionary : [],
    offsets,
    activity: activity.codes,
    time: time.values,
    start: start?.kind === 'time' ? start.values : time.values,
    hasIntervals: start !== null,
    resource: resource?.kind === 'string' ? resource.codes : null,
    eventAttributes,
    caseAttributes,
    info,
  };
}

function readTable(bytes: Uint8Array, file: string): Table {
  try {
    return tableFromIPC(bytes);
  } catch (err) {
    throw new LedgerflowError('LF_ERR_INGEST_BAD_ARROW',
      'the file is not a readable Arrow IPC file; write it again', { file: path.basename(file) },
      err);
  }
}

function column(table: Table, name: string): Vector {
  const vector = table.getChild(name);
  if (vector === null) throw corrupt(`column ${name} is missing`);
  return vector;
}

function corrupt(detail: string): LedgerflowError {
  return new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
    `${detail}; compile the log again from its source`);
}

async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(bytes);
    // Flush before the rename: otherwise a crash could leave the new name over empty blocks.
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temporary, { force: true });
    throw err;
  }
  await handle.close();
  await rename(temporary, target);
}
