/**
 * Byte sources: a file on disk, or bytes already in memory, readable as many times as needed.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { LedgerflowError } from '../errors.js';
import type { ByteSource } from './import-options.js';

/** A source reading the file at `filePath`; `name` defaults to its base name. */
export async function byteSourceFromFile(filePath: string, name?: string): Promise<ByteSource> {
  const info = await stat(filePath).catch((err: NodeJS.ErrnoException) => {
    throw new LedgerflowError('LF_ERR_INGEST_UNKNOWN_FORMAT',
      err.code === 'ENOENT' ? 'no such file; check the path' : `cannot read it (${err.code})`,
      { file: name ?? filePath }, err);
  });
  if (!info.isFile()) {
    throw new LedgerflowError('LF_ERR_INGEST_UNKNOWN_FORMAT', 'this is not a regular file',
      { file: name ?? filePath });
  }
  return {
    name: name ?? path.basename(filePath),
    size: info.size,
    path: filePath,
    open: () => createReadStream(filePath, { highWaterMark: 1 << 20 }),
  };
}

/** A source over bytes held in memory (tests, small uploads). */
export function byteSourceFromBytes(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    async *open() {
      const step = 1 << 20;
      for (let at = 0; at < bytes.length; at += step) yield bytes.subarray(at, at + step);
    },
  };
}

/** The first `count` bytes of a source (fewer when it is shorter). */
export async function peekBytes(source: ByteSource, count: number): Promise<Uint8Array> {
  if (source.path !== undefined) {
    const handle = await open(source.path, 'r');
    try {
      const buffer = new Uint8Array(count);
      const { bytesRead } = await handle.read(buffer, 0, count, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
  const parts: Uint8Array[] = [];
  let have = 0;
  for await (const chunk of source.open()) {
    parts.push(chunk);
    have += chunk.length;
    if (have >= count) break;
  }
  return concat(parts).subarray(0, count);
}

/** The source's bytes inflated from gzip, as a new source (size unknown). */
export function gunzipSource(source: ByteSource): ByteSource {
  return {
    name: source.name,
    size: null,
    open: () => {
      const gunzip = createGunzip();
      const input = source.open();
      (async () => {
        try {
          for await (const chunk of input) {
            if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
          }
          gunzip.end();
        } catch (err) {
          gunzip.destroy(err as Error);
        }
      })();
      return wrapGzipErrors(gunzip, source.name);
    },
  };
}

async function* wrapGzipErrors(
  stream: AsyncIterable<Uint8Array>, name: string,
): AsyncIterable<Uint8Array> {
  try {
    yield* stream;
  } catch (err) {
    throw new LedgerflowError('LF_ERR_INGEST_BAD_GZIP',
      'the compressed data is corrupt or cut short; download or export the file again',
      { file: name }, err);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
