/**
 * Reading a byte source for the binary table readers: whole, or as a stream whose first bytes
 * were looked at first. A request body can be read only once, so sniffed bytes are handed on,
 * never re-read.
 */
import type { ByteSource, ImportOptions } from './import-options.js';

/** The first non-empty chunk of a source, and a stream of all its bytes from the start. */
export interface SniffedStream {
  /** Empty when the source has no bytes. */
  head: Uint8Array;
  stream: AsyncIterable<Uint8Array>;
}

/** Opens a source once, looks at its first chunk and replays it in front of the rest. */
export async function sniffStream(
  source: ByteSource, options: ImportOptions,
): Promise<SniffedStream> {
  const iterator = withProgress(source, options)[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (first.done !== true && first.value.byteLength === 0) first = await iterator.next();
  const head = first.done === true ? new Uint8Array(0) : first.value;
  return { head, stream: replay(head, iterator) };
}

/** Reads a whole byte source into one buffer, reporting progress. */
export async function readAllBytes(
  source: ByteSource, options: ImportOptions,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const part of withProgress(source, options)) {
    parts.push(part);
    total += part.byteLength;
  }
  if (parts.length === 1) return parts[0];
  const all = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.byteLength;
  }
  return all;
}

/** True when `bytes` starts with `magic`. */
export function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** Up to `count` leading bytes in hex, for a message about a wrong file. */
export function hexHead(bytes: Uint8Array, count: number): string {
  return Array.from(bytes.subarray(0, count), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

async function* withProgress(
  source: ByteSource, options: ImportOptions,
): AsyncGenerator<Uint8Array> {
  let read = 0;
  for await (const part of source.open()) {
    read += part.byteLength;
    options.onProgress?.(read, source.size);
    yield part;
  }
}

async function* replay(
  first: Uint8Array, rest: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (first.byteLength > 0) yield first;
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) {
    yield next.value;
  }
}
