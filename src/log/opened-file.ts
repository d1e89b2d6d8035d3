/**
 * One file of a saved compiled log, opened for lazy reading (log-file.ts uses a pair of them):
 * the footer and message headers are read and Arrow decodes the table over a buffer of the
 * file's size whose column bodies are filled in when they are read (lazy-file.ts,
 * ipc-ranges.ts). A layout the range plan does not model is read whole at open instead.
 * @internal
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { LedgerflowError } from '../errors.js';
import { checkArrowDecodes, refuseOversized } from './arrow-sandbox.js';
import { guardFlatbuffers } from './flatbuffer-bounds.js';
import {
  hideDictionary, overlapFault, planIpcRanges, type ColumnRanges, type IpcPlan,
} from './ipc-ranges.js';
import { LazyFile } from './lazy-file.js';
import { corrupt } from './log-file-checks.js';

// Headers come from files of unknown origin: Arrow must decode them with bounds checks.
guardFlatbuffers();

/** A saved file opened for lazy reading, with Arrow's decoding of it. */
export interface OpenedLog {
  table: Table;
  file: LazyFile;
  /** Each column's byte ranges; null when the whole file was read already. */
  ranges: Map<string, ColumnRanges> | null;
  /** The reads under way or done for columns read at open, by column. */
  reads: Map<string, Promise<void>>;
}

/**
 * Opens one file of the pair: reads its footer and message headers and lets Arrow decode it;
 * the bodies it refers to fill in under Arrow's views when they are read. A layout the range
 * plan does not model (nested types, compression, unaligned buffers) is read whole instead.
 */
export async function openLog(file: string, pairName: string): Promise<OpenedLog> {
  await checkSize(file);
  const lazy = LazyFile.open(file);
  try {
    let plan: IpcPlan | null;
    try {
      plan = planIpcRanges((at, length) => lazy.readAt(at, length), lazy.bytes.length);
    } catch {
      plan = null;
    }
    if (plan === null) {
      // Saved logs are always the IPC file format: without its closing magic a file is
      // refused here, not read whole first.
      const size = lazy.bytes.length;
      if (size < 6 || Buffer.from(lazy.readAt(size - 6, 6)).toString('latin1') !== 'ARROW1') {
        throw new LedgerflowError('LF_ERR_INGEST_BAD_ARROW',
          'the file is not a readable Arrow IPC file (it does not end with "ARROW1": empty, ' +
          'cut short or another format); write it again', { file: lazy.name });
      }
      // A layout the plan does not check: Arrow decodes it first where it can fail alone.
      await checkArrowDecodes(file, lazy.name, 'LF_ERR_LOG_BAD_COMPILED');
      await lazy.loadAsync([{ start: 0, end: lazy.bytes.length }]);
      return { table: readTable(lazy.bytes, file), file: lazy, ranges: null, reads: new Map() };
    }
    const clash = overlapFault(plan.columns);
    if (clash !== null) throw corrupt(`${pairName}: ${lazy.name}: ${clash}`);
    const ranges = new Map<string, ColumnRanges>();
    for (const column of plan.columns) {
      if (!ranges.has(column.name)) ranges.set(column.name, column);
    }
    lazy.load(plan.headers);
    // Format 2 events files: their case ids are the case table's; only the codes are read.
    if (ranges.has('case') && ranges.has('activity')) hideDictionary(lazy.bytes, plan, 'case');
    return { table: readTable(lazy.bytes, file), file: lazy, ranges, reads: new Map() };
  } catch (err) {
    lazy.close();
    throw err;
  }
}

/**
 * Starts reading the named columns, in this order. The events' case column is only checked
 * against the offsets: its codes are read, not its dictionary (the case ids again).
 */
export function queueColumns(opened: OpenedLog, names: string[]): void {
  for (const name of names) {
    const column = opened.ranges?.get(name);
    if (column === undefined) continue;
    if (column.fault !== null) {
      throw corrupt(`${opened.file.name}, column ${name}: ${column.fault}`);
    }
    const read = opened.file.loadAsync(name === 'case' ? column.ranges
      : [...column.ranges, ...column.dictionaries]);
    // Awaited later (or settled before a close): no unhandled rejection meanwhile.
    read.catch(() => undefined);
    opened.reads.set(name, read);
  }
}

/** Waits until a queued column's bytes are in (at once for a column not queued). */
export async function columnRead(opened: OpenedLog, name: string): Promise<void> {
  await opened.reads.get(name);
}

/** Reads a column's bytes if they were not read yet (a no-op after a whole read). */
export function loadColumn(opened: OpenedLog, stored: string): void {
  const column = opened.ranges?.get(stored);
  if (column === undefined) return;
  if (column.fault !== null) throw corrupt(column.fault);
  opened.file.load([...column.ranges, ...column.dictionaries]);
}

/** Refuses a file too large for one buffer (arrow-sandbox.ts), before its buffer is made. */
async function checkSize(file: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) return;
  refuseOversized(info.size, path.basename(file), 'LF_ERR_LOG_BAD_COMPILED');
}

/** Arrow's decoding of a whole file's bytes, or LF_ERR_INGEST_BAD_ARROW naming the file. */
export function readTable(bytes: Uint8Array, file: string): Table {
  try {
    if (bytes.length === 0) throw new Error('the file is empty');
    return tableFromIPC(bytes);
  } catch (err) {
    throw new LedgerflowError('LF_ERR_INGEST_BAD_ARROW',
      'the file is not a readable Arrow IPC file; write it again', { file: path.basename(file) },
      err);
  }
}
