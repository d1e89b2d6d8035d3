/**
 * Where each column of an Arrow IPC file lies, read from the file's footer and message headers
 * only: enough to read a few columns of a large file and leave the rest on disk.
 *
 * ```
 *  ARROW1⋯ | dictionary batch: prefix+header | body | … | record batch: prefix+header | body |
 *          footer (schema, blocks) | footer length | ARROW1
 * ```
 * A column's bytes are its buffers inside each record batch's body, plus the bodies of the
 * dictionary batches its dictionaries come from. The headers are always read; the bodies only
 * when a column is wanted. Files with anything this plan does not model (compression, nested
 * or view types) get null, and the caller reads the whole file instead.
 * @internal
 */
import { DataType, Message, MessageHeader, type Field, type Schema } from 'apache-arrow';
import { Footer, type FileBlock } from 'apache-arrow/ipc/metadata/file';
import { buffersFault, nodeFault } from './ipc-buffer-sizes.js';

/** A byte range of the file, [start, end). */
export interface ByteRange {
  start: number;
  end: number;
}

/** The byte ranges of one top-level column. */
export interface ColumnRanges {
  name: string;
  /** Its buffers in each record batch, all inside the file when `fault` is null. */
  ranges: ByteRange[];
  /** The bodies of the dictionary batches its dictionary comes from. */
  dictionaries: ByteRange[];
  /**
   * Why its bytes cannot be trusted, or null: a buffer outside its batch's body or shorter
   * than its rows need, or a row count other than its batch's (its dictionary's included).
   */
  fault: string | null;
}

/** What must be read of a file before Arrow can decode it, and what each column adds. */
export interface IpcPlan {
  schema: Schema;
  /** Magic, every message header and the footer: always read. */
  headers: ByteRange[];
  columns: ColumnRanges[];
  /** The decoded footer, its byte length, and the dictionary id of each dictionary block. */
  footer: { decoded: Footer; length: number; dictionaryIds: number[] };
}

/** Reads `length` bytes of the file at `position` (fewer only at its end). */
export type ReadAt = (position: number, length: number) => Uint8Array;

const MAGIC = 'ARROW1';
// Magic (6) padded to 8 at the start; footer length (4) and magic (6) at the end.
const HEAD = 8;
const TAIL = 10;
const CONTINUATION = -1;

/** The plan of an Arrow IPC file of `size` bytes, or null when it must be read whole. */
export function planIpcRanges(readAt: ReadAt, size: number): IpcPlan | null {
  if (size < HEAD + TAIL) return null;
  const tail = readAt(size - TAIL, TAIL);
  if (tail.length < TAIL || ascii(tail.subarray(4)) !== MAGIC) return null;
  const footerLength = int32(tail, 0);
  const footerStart = size - TAIL - footerLength;
  if (footerLength <= 0 || footerStart < HEAD) return null;
  const footer = Footer.decode(readAt(footerStart, footerLength));
  const headers: ByteRange[] = [{ start: 0, end: HEAD }, { start: footerStart, end: size }];

  const fields = footer.schema.fields;
  const valueTypes = new Map<number, DataType>();
  for (const field of fields) {
    if (DataType.isDictionary(field.type)) valueTypes.set(field.type.id, field.type.dictionary);
  }
  const dictionaries = new Map<number, ByteRange[]>();
  const dictionaryFaults = new Map<number, string>();
  const blockIds: number[] = [];
  for (const block of footer.dictionaryBatches()) {
    const message = readMessage(readAt, block.offset, size, headers);
    if (message === null || !message.message.isDictionaryBatch()) return null;
    const header = message.message.header();
    if (header === null || message.message.compression != null) return null;
    if (!aligned(message.bodyStart, header.buffers)) return null;
    blockIds.push(header.id);
    const list = dictionaries.get(header.id) ?? [];
    list.push({ start: message.bodyStart, end: message.bodyStart + message.message.bodyLength });
    dictionaries.set(header.id, list);
    // A dictionary is one column of its value type: its views must stay inside its body too.
    const type = valueTypes.get(header.id);
    if (type === undefined) continue;
    const count = bufferCount(type);
    if (count === null || header.nodes.length !== 1 || header.buffers.length !== count) {
      return null;
    }
    const fault = nodeFault(header.nodes[0], header.length) ??
      buffersFault(type, header.nodes[0], header.buffers, message.message.bodyLength);
    if (fault !== null && !dictionaryFaults.has(header.id)) {
      dictionaryFaults.set(header.id, `its dictionary: ${fault}`);
    }
  }

  const columns: ColumnRanges[] = fields.map((field) => ({
    name: field.name, ranges: [], dictionaries: [], fault: null,
  }));
  for (const block of footer.recordBatches()) {
    const message = readMessage(readAt, block.offset, size, headers);
    if (message === null || !message.message.isRecordBatch()) return null;
    const batch = message.message.header();
    if (batch === null || batch.compression != null) return null;
    if (!aligned(message.bodyStart, batch.buffers)) return null;
    const bodyLength = message.message.bodyLength;
    // Each column modelled here is one field node (no children), in schema order.
    if (batch.nodes.length !== fields.length) return null;
    let at = 0;
    for (let f = 0; f < fields.length; f++) {
      const count = bufferCount(fields[f].type);
      if (count === null || at + count > batch.buffers.length) return null;
      const buffers = batch.buffers.slice(at, at + count);
      at += count;
      const node = batch.nodes[f];
      const fault = nodeFault(node, batch.length) ??
        buffersFault(fields[f].type, node, buffers, bodyLength);
      if (fault !== null) {
        columns[f].fault ??= fault;
        continue;
      }
      for (const buffer of buffers) {
        if (buffer.length === 0) continue;
        const start = message.bodyStart + buffer.offset;
        columns[f].ranges.push({ start, end: start + buffer.length });
      }
    }
    if (at !== batch.buffers.length) return null;
  }
  fields.forEach((field, f) => {
    for (const id of dictionaryIds(field)) {
      columns[f].dictionaries.push(...dictionaries.get(id) ?? []);
      columns[f].fault ??= dictionaryFaults.get(id) ?? null;
    }
  });
  return {
    schema: footer.schema, headers, columns,
    footer: { decoded: footer, length: footerLength, dictionaryIds: blockIds },
  };
}

interface PlacedMessage {
  message: Message;
  bodyStart: number;
}

/**
 * The message whose block starts at `offset`, read the way Arrow's reader reads it (an
 * optional continuation marker, the header length, the header; the body follows). Null when
 * any part of it, body included, falls outside the file.
 */
function readMessage(
  readAt: ReadAt, offset: number, size: number, headers: ByteRange[],
): PlacedMessage | null {
  if (offset < HEAD || offset + 8 > size) return null;
  const prefix = readAt(offset, 8);
  const continued = int32(prefix, 0) === CONTINUATION;
  const length = int32(prefix, continued ? 4 : 0);
  const headerStart = offset + (continued ? 8 : 4);
  const bodyStart = headerStart + length;
  if (length <= 0 || bodyStart > size) return null;
  const message = Message.decode(readAt(headerStart, length));
  const known = message.headerType === MessageHeader.RecordBatch ||
    message.headerType === MessageHeader.DictionaryBatch;
  if (!known || bodyStart + message.bodyLength > size) return null;
  headers.push({ start: offset, end: bodyStart });
  return { message, bodyStart };
}

/**
 * How many buffers a column of this type takes in a record batch, as Arrow's loader takes
 * them; null for the types this plan does not model (the caller then reads the whole file).
 */
function bufferCount(type: DataType): number | null {
  if (DataType.isNull(type)) return 0;
  if (DataType.isUtf8(type) || DataType.isBinary(type) || DataType.isLargeUtf8(type) ||
    DataType.isLargeBinary(type)) return 3;
  if (DataType.isDictionary(type)) {
    const values = type.dictionary;
    return DataType.isDictionary(values) || bufferCount(values) === null ? null : 2;
  }
  const fixed = DataType.isBool(type) || DataType.isInt(type) ||
    DataType.isFloat(type) || DataType.isDecimal(type) || DataType.isDate(type) ||
    DataType.isTime(type) || DataType.isTimestamp(type) || DataType.isInterval(type) ||
    DataType.isDuration(type) || DataType.isFixedSizeBinary(type);
  return fixed ? 2 : null;
}

/**
 * Arrow's reader uses a buffer in place only when it lies at a multiple of its element size;
 * otherwise it copies it at open, before the lazy bytes are there. Writers align to 8.
 */
function aligned(bodyStart: number, buffers: { offset: number }[]): boolean {
  return bodyStart % 8 === 0 && buffers.every((buffer) => buffer.offset % 8 === 0);
}

function dictionaryIds(field: Field): number[] {
  return DataType.isDictionary(field.type) ? [field.type.id] : [];
}

function int32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + at, 4).getInt32(0, true);
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/**
 * Columns are converted in place where they lie, so no two may share bytes (a later read of
 * one would overwrite the other's converted values). Only a dictionary may be shared, whole:
 * dictionaries are decoded, never written. Returns the clash, or null.
 */
export function overlapFault(columns: ColumnRanges[]): string | null {
  const all = columns.flatMap((column) => [
    ...column.ranges.map((range) => ({ range, column, shared: false })),
    ...column.dictionaries.map((range) => ({ range, column, shared: true })),
  ]).filter((entry) => entry.range.end > entry.range.start);
  all.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  // The farthest end so far and whose it is: a range starting before it overlaps that one.
  let reach = all.length > 0 ? all[0] : null;
  for (let i = 1; i < all.length; i++) {
    const entry = all[i];
    const before = all[i - 1];
    const shared = entry.shared && before.shared && entry.range.start === before.range.start &&
      entry.range.end === before.range.end;
    if (reach !== null && !shared && entry.range.start < reach.range.end) {
      return `columns ${reach.column.name} and ${entry.column.name} share bytes ` +
        `${entry.range.start}–${Math.min(entry.range.end, reach.range.end)}`;
    }
    if (reach === null || entry.range.end > reach.range.end) reach = entry;
  }
  return null;
}

/**
 * Rewrites the footer in `bytes` (the file's buffer, its tail read) without the dictionary
 * batches of the named column, so that Arrow does not decode them: the events' case column
 * is read for its codes only, and its dictionary (millions of case ids) would cost Arrow a
 * cache array per id. Only when no other column shares that dictionary and the new footer
 * fits in the old one's place; returns whether it was done.
 */
export function hideDictionary(bytes: Uint8Array, plan: IpcPlan, name: string): boolean {
  const index = plan.schema.fields.findIndex((field) => field.name === name);
  const field = plan.schema.fields[index];
  if (field === undefined || !DataType.isDictionary(field.type)) return false;
  const id = field.type.id;
  const shared = plan.schema.fields.some((other, i) => i !== index &&
    dictionaryIds(other).includes(id));
  if (shared) return false;
  const { decoded, length, dictionaryIds: ids } = plan.footer;
  const kept: FileBlock[] = [];
  [...decoded.dictionaryBatches()].forEach((block, k) => {
    if (ids[k] !== id) kept.push(block);
  });
  const footer = Footer.encode(new Footer(decoded.schema, decoded.version,
    [...decoded.recordBatches()], kept));
  if (footer.length > length) return false;
  const lengthAt = bytes.length - TAIL;
  bytes.set(footer, lengthAt - footer.length);
  new DataView(bytes.buffer, bytes.byteOffset).setInt32(lengthAt, footer.length, true);
  return true;
}
