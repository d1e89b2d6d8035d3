/**
 * Strict UTF-8 decoding of a byte stream into text chunks for the XML parser.
 *
 * Decoding is fatal: a byte sequence that is not UTF-8 stops the import with its offset,
 * instead of turning silently into U+FFFD and changing activity names.
 */
import { LedgerflowError } from '../../errors.js';

/** Decodes `chunks` as UTF-8 (a leading BOM dropped), one text chunk per byte chunk. */
export async function* decodeUtf8(
  chunks: AsyncIterable<Uint8Array>, file: string, declared: () => string | null,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  // Bytes at the end of the previous chunk that begin a character not complete yet.
  let tail: Uint8Array = new Uint8Array(0);
  // The first bytes, to name the declared encoding when the parser never got to read it.
  let head = '';
  const label = () => declared() ?? declaredIn(head);
  for await (const chunk of chunks) {
    if (offset === 0) head = Buffer.from(chunk.subarray(0, 200)).toString('latin1');
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const joined = Buffer.concat([tail, chunk]);
      throw badEncoding(file, offset - tail.length + firstInvalid(joined), label());
    }
    tail = incompleteTail(tail, chunk);
    offset += chunk.length;
    if (text.length > 0) yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } catch {
    throw badEncoding(file, offset - tail.length, label());
  }
}

/** The encoding named by an XML declaration at the start of `head`, if any. */
function declaredIn(head: string): string | null {
  const m = /^(?:\xEF\xBB\xBF)?<\?xml[^>]*?\sencoding\s*=\s*["']([\w.-]+)["']/.exec(head);
  return m === null ? null : m[1];
}

function badEncoding(file: string, byte: number, declared: string | null): LedgerflowError {
  const label = declared === null ? '' : ` (the XML declaration says ${JSON.stringify(declared)})`;
  return new LedgerflowError('LF_ERR_INGEST_BAD_ENCODING',
    `the bytes at this offset (after decompression) are not UTF-8${label}; ` +
    're-save the log as UTF-8', { file, byte });
}

/** Length of a UTF-8 sequence started by `lead`, 0 when `lead` cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The allowed range of the byte after `lead` (it excludes overlongs and surrogates). */
function secondByteOk(lead: number, b: number): boolean {
  if (lead === 0xe0) return b >= 0xa0 && b <= 0xbf;
  if (lead === 0xed) return b >= 0x80 && b <= 0x9f;
  if (lead === 0xf0) return b >= 0x90 && b <= 0xbf;
  if (lead === 0xf4) return b >= 0x80 && b <= 0x8f;
  return (b & 0xc0) === 0x80;
}

/** Offset of the first byte of `bytes` that breaks UTF-8 (only called after a failure). */
function firstInvalid(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes[i]);
    if (n === 0) return i;
    for (let k = 1; k < n; k++) {
      if (i + k >= bytes.length) return i;
      const ok = k === 1 ? secondByteOk(bytes[i], bytes[i + 1]) : (bytes[i + k] & 0xc0) === 0x80;
      if (!ok) return i;
    }
    i += n;
  }
  return bytes.length;
}

/** The bytes at the end of `previous` + `chunk` that start a character not finished yet. */
function incompleteTail(previous: Uint8Array, chunk: Uint8Array): Uint8Array {
  const bytes = chunk.length >= 3 ? chunk : Buffer.concat([previous, chunk]);
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue;
    return sequenceLength(b) > back ? bytes.slice(bytes.length - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}
