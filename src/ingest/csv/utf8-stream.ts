/**
 * Decodes a byte stream as UTF-8, chunk by chunk, so a large file never sits in memory as one
 * string. The decoder is fatal: invalid UTF-8 fails with the byte offset of the first bad
 * sequence instead of turning into U+FFFD. A leading BOM is dropped by the decoder.
 */
import { LedgerflowError } from '../../errors.js';

/** Called with the bytes read so far after each chunk. */
export type ByteCounter = (bytesRead: number) => void;

/** Yields the decoded text of `chunks`, piece by piece. */
export async function* decodeUtf8(
  chunks: AsyncIterable<Uint8Array>, file: string, counted?: ByteCounter,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytesRead = 0;
  // Bytes at the end of the previous chunk that start a sequence the chunk cut off.
  let carry: Uint8Array = new Uint8Array(0);
  for await (const chunk of chunks) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch (err) {
      const joined = new Uint8Array(carry.length + chunk.length);
      joined.set(carry);
      joined.set(chunk, carry.length);
      throw badEncoding(file, bytesRead - carry.length + firstInvalidUtf8(joined), err);
    }
    bytesRead += chunk.length;
    carry = incompleteTail(carry, chunk);
    counted?.(bytesRead);
    if (text.length > 0) yield text;
  }
  let last: string;
  try {
    last = decoder.decode();
  } catch (err) {
    throw badEncoding(file, bytesRead - carry.length, err);
  }
  if (last.length > 0) yield last;
}

function badEncoding(file: string, byte: number, cause: unknown): LedgerflowError {
  return new LedgerflowError('LF_ERR_INGEST_BAD_ENCODING',
    'the bytes there are no UTF-8 sequence; save the file as UTF-8 (most spreadsheet tools ' +
    'offer "CSV UTF-8") and import it again', { file, byte }, cause);
}

/**
 * The bytes at the end of `previous` + `chunk` that begin a sequence not complete yet (at most
 * three), copied: where the decoder is holding back when the next chunk fails.
 */
function incompleteTail(previous: Uint8Array, chunk: Uint8Array): Uint8Array {
  const size = Math.min(3, previous.length + chunk.length);
  const tail = new Uint8Array(size);
  const fromChunk = Math.min(size, chunk.length);
  tail.set(previous.subarray(previous.length - (size - fromChunk)));
  tail.set(chunk.subarray(chunk.length - fromChunk), size - fromChunk);
  for (let back = 1; back <= size; back++) {
    const b = tail[size - back];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? tail.slice(size - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

/** Index of the first byte that starts an invalid (or cut-off) UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    const second = bytes[i + 1];
    if (second < low || second > high) return i;
    for (let k = 2; k <= need; k++) {
      if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return n;
}
