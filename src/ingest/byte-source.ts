/**
 * Byte sources: a file on disk, or bytes already in memory, readable as many times as needed.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip, type Gunzip } from 'node:zlib';
import { LedgerflowError } from '../errors.js';
import type { ByteSource } from './import-options.js';
import { InflateGuard, type IngestLimits, resolveIngestLimits } from './limits.js';

/** A source reading the file at `filePath`; `name` defaults to its base name. */
export async function byteSourceFromFile(filePath: string, name?: string): Promise<ByteSource> {
  const info = await stat(filePath).catch((err: NodeJS.ErrnoException) => {
    throw new LedgerflowError('LF_ERR_INGEST_NOT_FOUND',
      err.code === 'ENOENT' ? 'there is no such file; check the path'
        : `the system refused it (${err.code}); check its permissions`,
      { file: name ?? filePath }, err);
  });
  if (!info.isFile()) {
    throw new LedgerflowError('LF_ERR_INGEST_NOT_FOUND',
      'this is a folder or a device, not a file; give the path of the log file',
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

/**
 * The source's bytes inflated from gzip, as a new source (size unknown). Inflation stops with
 * `LF_ERR_INGEST_TOO_LARGE` past the {@link IngestLimits} (a gzip bomb).
 */
export function gunzipSource(source: ByteSource, limits?: Partial<IngestLimits>): ByteSource {
  const resolved = resolveIngestLimits(limits);
  return {
    name: source.name,
    size: null,
    open: () => {
      const gunzip = createGunzip();
      const input = source.open();
      let compressed = 0;
      (async () => {
        try {
          for await (const chunk of input) {
            if (gunzip.destroyed) return;
            compressed += chunk.length;
            if (!gunzip.write(chunk)) {
              await new Promise((r) => { gunzip.once('drain', r); gunzip.once('close', r); });
            }
          }
          gunzip.end();
        } catch (err) {
          gunzip.destroy(err as Error);
        }
      })();
      const guard = new InflateGuard(resolved, source.name, () => compressed);
      return wrapGzipErrors(gunzip, source.name, guard);
    },
  };
}

async function* wrapGzipErrors(
  stream: Gunzip, name: string, guard: InflateGuard,
): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of stream) {
      guard.add((chunk as Buffer).length);
      yield chunk as Buffer;
    }
  } catch (err) {
    if (err instanceof LedgerflowError) throw err;
    throw new LedgerflowError('LF_ERR_INGEST_BAD_GZIP',
      'the compressed data is corrupt or cut short; download or export the file again',
      { file: name }, err);
  } finally {
    // Stopping early (a limit, a parse error) must stop the inflater and the reads feeding it.
    stream.destroy();
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
