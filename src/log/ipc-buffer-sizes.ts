/**
 * How many bytes each buffer of a column needs for the rows its header claims, by Arrow's
 * layout. A header is only a claim: a buffer shorter than its rows need makes a reader look
 * past it, into the next column's bytes, and the reopen converts times in place, so such a
 * view would write over another column. The range plan (ipc-ranges.ts) refuses those files.
 * @internal
 */
import { DataType, DateUnit, IntervalUnit, Precision } from 'apache-arrow';

/** A field node as a message header gives it. */
export interface NodeShape {
  length: number;
  nullCount: number;
}

/** A buffer as a message header gives it: where in the body, and how long. */
export interface BufferShape {
  offset: number;
  length: number;
}

/**
 * Why a node cannot describe `rows` rows (its batch's length), or null: Arrow builds each
 * column with its node's length, so a shorter or longer node makes columns of unequal length.
 */
export function nodeFault(node: NodeShape, rows: number): string | null {
  if (node.length !== rows) {
    return `its field node has ${node.length} rows where its batch has ${rows}`;
  }
  if (!Number.isSafeInteger(node.nullCount) || node.nullCount < 0 || node.nullCount > rows) {
    return `its field node has ${node.nullCount} nulls in ${rows} rows`;
  }
  return null;
}

/**
 * Why the buffers of one column of `type` cannot hold its node's rows (each must lie inside
 * the body of `bodyLength` bytes and be at least as long as the layout needs), or null.
 */
export function buffersFault(
  type: DataType, node: NodeShape, buffers: BufferShape[], bodyLength: number,
): string | null {
  const needs = neededBytes(type, node);
  if (needs === null) return null;
  for (let b = 0; b < buffers.length; b++) {
    const { offset, length } = buffers[b];
    if (length === 0 && (needs[b] ?? 0) === 0) continue;
    if (offset < 0 || length < 0 || offset + length > bodyLength) {
      return `a buffer of ${length} bytes at ${offset} lies outside its record batch's ` +
        `${bodyLength}-byte body`;
    }
    if (length < (needs[b] ?? 0)) {
      return `its ${role(type, b)} buffer has ${length} bytes where ` +
        `${node.length} rows need ${needs[b]}`;
    }
  }
  return null;
}

/** What buffer `b` of a column of `type` holds, for messages. */
function role(type: DataType, b: number): string {
  if (b === 0) return 'validity';
  const text = DataType.isUtf8(type) || DataType.isBinary(type) ||
    DataType.isLargeUtf8(type) || DataType.isLargeBinary(type);
  return !text ? 'value' : b === 1 ? 'offsets' : 'text';
}

/**
 * The least byte length of each buffer of a column, in Arrow's buffer order (validity first);
 * null for a type whose layout is not modelled here. Text data is not sized: its length comes
 * from the offsets, and every read of it is a subarray, cut at the buffer's end.
 */
export function neededBytes(type: DataType, node: NodeShape): number[] | null {
  const rows = node.length;
  const validity = node.nullCount > 0 ? Math.ceil(rows / 8) : 0;
  if (DataType.isNull(type)) return [];
  if (DataType.isUtf8(type) || DataType.isBinary(type)) {
    return [validity, rows > 0 ? (rows + 1) * 4 : 0, 0];
  }
  if (DataType.isLargeUtf8(type) || DataType.isLargeBinary(type)) {
    return [validity, rows > 0 ? (rows + 1) * 8 : 0, 0];
  }
  if (DataType.isDictionary(type)) return [validity, rows * (type.indices.bitWidth / 8)];
  if (DataType.isBool(type)) return [validity, Math.ceil(rows / 8)];
  const width = valueWidth(type);
  return width === null ? null : [validity, rows * width];
}

/** Bytes per value of a fixed-width type, or null. */
function valueWidth(type: DataType): number | null {
  if (DataType.isInt(type) || DataType.isDecimal(type) || DataType.isTime(type)) {
    return type.bitWidth / 8;
  }
  if (DataType.isFloat(type)) {
    return type.precision === Precision.HALF ? 2 : type.precision === Precision.SINGLE ? 4 : 8;
  }
  if (DataType.isDate(type)) return type.unit === DateUnit.DAY ? 4 : 8;
  if (DataType.isTimestamp(type) || DataType.isDuration(type)) return 8;
  if (DataType.isInterval(type)) {
    return type.unit === IntervalUnit.YEAR_MONTH ? 4
      : type.unit === IntervalUnit.DAY_TIME ? 8 : 16;
  }
  if (DataType.isFixedSizeBinary(type)) return type.byteWidth;
  return null;
}
