/**
 * Arrow IPC importer for a flat event table (one row per event), as pyarrow, polars or DuckDB
 * export it: file or stream format, read one record batch at a time into a
 * {@link TabularSink}. The compiled log's own `.arrow` layout is read elsewhere.
 */
import { open, type FileHandle } from 'node:fs/promises';
import {
  DataType, RecordBatchReader, TimeUnit, util, type Field, type RecordBatch, type Vector,
} from 'apache-arrow';
import { checkArrowDecodes } from '../log/arrow-sandbox.js';
import { guardFlatbuffers } from '../log/flatbuffer-bounds.js';
import { LedgerflowError, quoteValue } from '../errors.js';
import { shortBuffer } from './arrow-bounds.js';
import type { CompiledLog } from '../log/compiled-log.js';
import type { ByteSource, ImportOptions } from './import-options.js';
import { hexHead, sniffStream, startsWith } from './table-bytes.js';
import { bigintCell, floorDivide, naiveTimeCell, otherCell } from './table-cells.js';
import { TabularSink, type Cell } from './tabular-sink.js';

// An uploaded Arrow file's headers are untrusted: Arrow decodes them with bounds checks.
guardFlatbuffers();

const FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const CONTINUATION = 0xffffffff; // first word of every message in a (post-0.15) IPC stream

/** Reads one column of a record batch as cells. */
type ColumnReader = (vector: Vector, row: number) => Cell;

/** Reads an Arrow IPC file or stream of events into a compiled log. */
export async function importArrowTable(
  source: ByteSource, options: ImportOptions,
): Promise<CompiledLog> {
  const handle = source.path === undefined ? null : await open(source.path, 'r');
  let reader: Awaited<ReturnType<typeof openReader>> | null = null;
  try {
    reader = await openReader(source, handle, options);
    const fields = reader.schema.fields;
    if (fields.length === 0) throw bad(source, 'its schema has no columns');
    const readers = fields.map((f) => columnReader(f, options));
    const sink = new TabularSink(fields.map((f) => f.name), options, 'arrow');
    const cells: Cell[] = new Array<Cell>(fields.length);
    let row = 0;
    for (;;) {
      let batch: RecordBatch | null;
      try {
        const next = await reader.next();
        batch = next.done === true ? null : next.value;
      } catch (err) {
        throw bad(source, `the record batch after row ${row} cannot be read`, err);
      }
      if (batch === null) break;
      const short = shortBuffer(batch);
      if (short !== null) {
        throw bad(source, `the record batch after row ${row} claims more than its buffers ` +
          `hold (column ${quoteValue(short.column)}: ${short.reason})`);
      }
      const vectors = fields.map((_f, c) => batch.getChildAt(c) as Vector);
      for (let r = 0; r < batch.numRows; r++) {
        for (let c = 0; c < fields.length; c++) cells[c] = readers[c](vectors[c], r);
        sink.addRow(cells, ++row);
      }
    }
    return sink.finish();
  } finally {
    // Stops reading a request body early when a row was refused.
    await reader?.cancel();
    await handle?.close();
  }
}

async function openReader(
  source: ByteSource, handle: FileHandle | null, options: ImportOptions,
) {
  let stream: AsyncIterable<Uint8Array> | null = null;
  let head: Uint8Array;
  if (handle === null) {
    ({ head, stream } = await sniffStream(source, options));
  } else {
    head = new Uint8Array(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    head = head.subarray(0, bytesRead);
  }
  if (head.length === 0) {
    throw new LedgerflowError('LF_ERR_INGEST_EMPTY_FILE', 'an Arrow IPC input needs a schema',
      { file: source.name });
  }
  const isFile = startsWith(head, FILE_MAGIC);
  const isStream = head.length >= 4
    && new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true) === CONTINUATION;
  if (!isFile && !isStream) {
    throw new LedgerflowError('LF_ERR_INGEST_BAD_ARROW',
      `it starts neither with the IPC file magic "ARROW1" nor with a stream message (found ` +
      `bytes ${hexHead(head, 8)}); export with pyarrow.ipc or DuckDB's Arrow output, or pass ` +
      'the right format', { file: source.name, byte: 0 });
  }
  // A file on disk is decoded once in a sandbox first (Arrow believes its headers); a stream
  // (an upload read once) cannot be read twice: its headers get the bounds checks only.
  if (source.path !== undefined) {
    await checkArrowDecodes(source.path, source.name, 'LF_ERR_INGEST_BAD_ARROW');
  }
  try {
    const reader = stream !== null ? await RecordBatchReader.from(stream)
      : await RecordBatchReader.from(handle as FileHandle);
    await reader.open();
    return reader;
  } catch (err) {
    throw bad(source, 'its schema or footer cannot be read (is the file truncated?)', err);
  }
}

/** Picks how a column's values become cells, from its Arrow type. */
function columnReader(field: Field, options: ImportOptions): ColumnReader {
  const type = field.type;
  if (DataType.isTimestamp(type)) {
    const toMs = timestampToMs(type.unit);
    // A zone name or offset makes the values instants; no zone means wall-clock times.
    const naive = type.timezone === null || type.timezone === '';
    return (vector, row) => {
      if (!vector.isValid(row)) return null;
      const ms = toMs(vector.data[0].values[row] as bigint);
      return naive ? naiveTimeCell(ms, options) : new Date(ms);
    };
  }
  if (DataType.isDate(type)) {
    return (vector, row) => {
      const ms = vector.get(row) as number | null;
      return ms === null ? null : naiveTimeCell(ms, options);
    };
  }
  if (DataType.isDecimal(type)) {
    const scale = type.scale;
    return (vector, row) => {
      const value = vector.get(row) as Parameters<typeof util.bigNumToNumber>[0] | null;
      return value === null ? null : util.bigNumToNumber(value, scale);
    };
  }
  return (vector, row) => {
    const v: unknown = vector.get(row);
    if (typeof v === 'string' || typeof v === 'number') return v;
    if (v === null || v === undefined) return null;
    if (typeof v === 'bigint') return bigintCell(v);
    return otherCell(typeof (v as { toJSON?: unknown }).toJSON === 'function'
      ? (v as { toJSON(): unknown }).toJSON() : v);
  };
}

/** Exact epoch ms from a raw timestamp of the given unit (floored below a millisecond). */
function timestampToMs(unit: TimeUnit): (value: bigint) => number {
  switch (unit) {
    case TimeUnit.SECOND: return (v) => Number(v) * 1000;
    case TimeUnit.MILLISECOND: return (v) => Number(v);
    case TimeUnit.MICROSECOND: return (v) => floorDivide(v, 1000n);
    case TimeUnit.NANOSECOND: return (v) => floorDivide(v, 1_000_000n);
  }
}

function bad(source: ByteSource, what: string, err?: unknown): LedgerflowError {
  const reason = err === undefined ? ''
    : `: ${quoteValue(err instanceof Error ? err.message : String(err))}`;
  return new LedgerflowError('LF_ERR_INGEST_BAD_ARROW',
    `${what}${reason}; re-export the table, or check that the copy is complete`,
    { file: source.name }, err);
}
