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

/**
 * Checks a byte stream chunk by chunk as UTF-8, with the errors of {@link decodeUtf8}, for a
 * reader that works on the bytes. A chunk of ASCII bytes with no sequence open before it is
 * valid as it stands, and is not decoded at all.
 */
export class Utf8Check {
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  readonly #file: string;
  #bytesRead = 0;
  #carry: Uint8Array = new Uint8Array(0);

  constructor(file: string) {
    this.#file = file;
  }

  /** Bytes checked so far. */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /** Checks the next chunk; returns its text when `wantText` (else '' for ASCII chunks). */
  check(chunk: Uint8Array, wantText: boolean): string {
    let text = '';
    if (wantText || this.#carry.length > 0 || !isAscii(chunk)) {
      try {
        text = this.#decoder.decode(chunk, { stream: true });
      } catch (err) {
        const joined = new Uint8Array(this.#carry.length + chunk.length);
        joined.set(this.#carry);
        joined.set(chunk, this.#carry.length);
        throw badEncoding(this.#file,
          this.#bytesRead - this.#carry.length + firstInvalidUtf8(joined), err);
      }
      this.#carry = incompleteTail(this.#carry, chunk);
    }
    this.#bytesRead += chunk.length;
    return text;
  }

  /** Ends the stream: a sequence still open is an error. */
  end(): string {
    try {
      return this.#decoder.decode();
    } catch (err) {
      throw badEncoding(this.#file, this.#bytesRead - this.#carry.length, err);
    }
  }
}

/** True when no byte of `bytes` is over 127. */
export function isAscii(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let i = 0;
  // Four bytes at a time where the view is aligned: most chunks are long runs of ASCII.
  const head = (4 - (bytes.byteOffset & 3)) & 3;
  for (; i < head && i < n; i++) if (bytes[i] & 0x80) return false;
  const words = (n - i) >> 2;
  if (words > 0) {
    const view = new Int32Array(bytes.buffer, bytes.byteOffset + i, words);
    let or = 0;
    for (let w = 0; w < words; w++) or |= view[w];
    if (or & 0x80808080) return false;
    i += words << 2;
  }
  for (; i < n; i++) if (bytes[i] & 0x80) return false;
  return true;
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
