/**
 * Checks that a record batch's buffers hold the values its metadata claims. An IPC file whose
 * metadata lies about its lengths would otherwise be read past its buffers: Arrow JS returns
 * undefined or zeros there, and the import would carry on with invented values.
 */
import { DataType, type Data, type RecordBatch } from 'apache-arrow';

/** The first column whose buffers are shorter than claimed, with the reason; null when none. */
export function shortBuffer(batch: RecordBatch): { column: string; reason: string } | null {
  const fields = batch.schema.fields;
  for (let c = 0; c < fields.length; c++) {
    const child = batch.getChildAt(c);
    if (child === null) return { column: fields[c].name, reason: 'the column is missing' };
    if (child.length < batch.numRows) {
      return { column: fields[c].name,
        reason: `it holds ${child.length} values for ${batch.numRows} rows` };
    }
    for (const data of child.data) {
      const reason = dataShortfall(data);
      if (reason !== null) return { column: fields[c].name, reason };
    }
  }
  return null;
}

function dataShortfall(data: Data): string | null {
  const end = data.offset + data.length;
  const bitmapBytes = Math.ceil(end / 8);
  if (data.nullCount > 0 && data.nullBitmap !== undefined && data.nullBitmap.length > 0 &&
    data.nullBitmap.length < bitmapBytes) return 'its validity bitmap is short';
  const { type } = data;
  if (DataType.isDictionary(type)) {
    if (data.values.length < end) return 'its dictionary indices are short';
    for (const dictionary of data.dictionary?.data ?? []) {
      const reason = dataShortfall(dictionary);
      if (reason !== null) return `its dictionary: ${reason}`;
    }
    return null;
  }
  if (data.valueOffsets !== undefined && data.valueOffsets.length > 0) {
    const offsets = data.valueOffsets;
    if (offsets.length < end + 1) return 'its value offsets are short';
    const last = Number(offsets[end]);
    if (data.values !== undefined && data.values.length < last) return 'its values are short';
    return null;
  }
  if (DataType.isBool(type)) {
    return data.values.length < bitmapBytes ? 'its values are short' : null;
  }
  if (data.values !== undefined && data.values.length > 0 && data.stride > 0 &&
    data.values.length < end * data.stride) return 'its values are short';
  return null;
}
