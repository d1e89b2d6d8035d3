/**
 * Case ids read from a saved log only when someone reads them. Mining needs case codes, never
 * the ids; decoding two million ids costs about a second, the largest part of a reopen.
 * @internal
 */
import { DataType, type Data, type Vector } from 'apache-arrow';
import type { CompiledLog } from './compiled-log.js';

/**
 * The Utf8 data behind a column of case ids: the dictionary of a dictionary column, or the
 * column itself. Null when it is neither or has several chunks (then read it eagerly).
 */
export function caseIdData(vector: Vector): Data | null {
  const chunk = vector.data.length === 1 ? vector.data[0] : null;
  if (chunk === null) return null;
  const utf8 = DataType.isDictionary(vector.type) ? chunk.dictionary?.data : [chunk];
  if (utf8?.length !== 1 || !DataType.isUtf8(utf8[0].type)) return null;
  return utf8[0].nullCount === 0 ? utf8[0] : null;
}

/** Every string of a Utf8 chunk without nulls, decoded in one pass over its bytes. */
export function decodeUtf8(data: Data): string[] {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const n = data.length;
  const from = offsets[data.offset];
  const to = offsets[data.offset + n];
  const text = new TextDecoder().decode(bytes.subarray(from, to));
  const ids = new Array<string>(n);
  if (text.length === to - from) {
    // One character per byte: all ASCII, so byte offsets are character offsets.
    for (let i = 0; i < n; i++) {
      ids[i] = text.slice(offsets[data.offset + i] - from, offsets[data.offset + i + 1] - from);
    }
    return ids;
  }
  const decoder = new TextDecoder();
  for (let i = 0; i < n; i++) {
    ids[i] = decoder.decode(bytes.subarray(offsets[data.offset + i], offsets[data.offset + i + 1]));
  }
  return ids;
}

/**
 * Makes `log.caseIds` come from `read` on first read and then stay a plain array property
 * (also when assigned before it was read). The log remains a plain object with a `string[]`
 * there. A log frozen or sealed before its ids were read keeps the accessor (it cannot be
 * redefined), which then gives the ids read once, as the frozen array property would.
 */
export function defineLazyCaseIds(log: CompiledLog, read: () => string[]): void {
  let ids: string[] | null = null;
  const settle = (value: string[]) => {
    Object.defineProperty(log, 'caseIds', {
      value, writable: true, enumerable: true, configurable: true,
    });
    return value;
  };
  Object.defineProperty(log, 'caseIds', {
    get: () => {
      ids ??= read();
      // False, not a throw, where the log is frozen or sealed.
      Reflect.defineProperty(log, 'caseIds', {
        value: ids, writable: true, enumerable: true, configurable: true,
      });
      return ids;
    },
    set: settle,
    enumerable: true,
    configurable: true,
  });
}
