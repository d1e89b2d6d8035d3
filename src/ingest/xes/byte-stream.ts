/**
 * The bytes of an XES source, gunzipped on the fly when they start with the gzip magic 1F 8B.
 *
 * Chunks are handed on as they arrive, so a large log is never held whole. The caller learns
 * how many compressed (raw source) bytes were read, for progress and for error messages.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LedgerflowError } from '../../errors.js';
import type { ByteSource } from '../import-options.js';
import { InflateGuard, type IngestLimits, resolveIngestLimits } from '../limits.js';

/** Counts the raw bytes read from a source; updated as chunks are pulled. */
export interface ByteCounter {
  /** Raw (possibly compressed) bytes read so far. */
  compressed: number;
  /** True when the source is a gzip stream. */
  gzip: boolean;
}

/**
 * Yields the decompressed bytes of `source`. A corrupt or truncated gzip stream throws
 * `LF_ERR_INGEST_BAD_GZIP` naming the compressed byte offset reached.
 */
export async function* openBytes(
  source: ByteSource, counter: ByteCounter, limits?: Partial<IngestLimits>,
): AsyncGenerator<Uint8Array> {
  const raw = source.open()[Symbol.asyncIterator]();
  try {
    // The magic is two bytes, and a stream may hand over a first chunk of one byte.
    const head: Uint8Array[] = [];
    let headLength = 0;
    while (headLength < 2) {
      const next = await raw.next();
      if (next.done === true) break;
      head.push(next.value);
      headLength += next.value.length;
      counter.compressed += next.value.length;
    }
    const first = head.length === 1 ? head[0] : Buffer.concat(head);
    counter.gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
    if (counter.gzip) {
      yield* gunzip(first, raw, counter, source.name, resolveIngestLimits(limits));
      return;
    }
    if (first.length > 0) yield first;
    for (let next = await raw.next(); next.done !== true; next = await raw.next()) {
      counter.compressed += next.value.length;
      yield next.value;
    }
  } finally {
    // Stopping early (a parse error) must still close the file or request behind the source.
    await raw.return?.();
  }
}

async function* gunzip(
  first: Uint8Array, raw: AsyncIterator<Uint8Array>, counter: ByteCounter, name: string,
  limits: IngestLimits,
): AsyncGenerator<Uint8Array> {
  async function* compressed(): AsyncGenerator<Uint8Array> {
    yield first;
    for (let next = await raw.next(); next.done !== true; next = await raw.next()) {
      counter.compressed += next.value.length;
      yield next.value;
    }
  }
  const input = Readable.from(compressed(), { objectMode: false });
  const inflater = createGunzip({ chunkSize: 1 << 18 });
  // A failing source must end the inflater too, or the loop below would wait forever.
  input.on('error', (err) => inflater.destroy(err));
  input.pipe(inflater);
  // A gzip bomb stops at the limits, long before it fills memory or disk.
  const guard = new InflateGuard(limits, name, () => counter.compressed);
  try {
    for await (const chunk of inflater) {
      guard.add((chunk as Buffer).length);
      yield chunk as Buffer;
    }
  } catch (err) {
    if (err instanceof LedgerflowError || !isZlibError(err)) throw err;
    throw new LedgerflowError('LF_ERR_INGEST_BAD_GZIP',
      `${(err as Error).message} after ${counter.compressed} compressed bytes; ` +
      'the file is damaged or was cut short: download or compress it again',
      { file: name, byte: counter.compressed }, err);
  } finally {
    input.destroy();
    inflater.destroy();
  }
}

function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
