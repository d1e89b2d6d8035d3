/**
 * Spools an upload to a temporary file while counting its bytes, so a log is never held whole
 * in memory and the size limit cuts the transfer as soon as it is passed.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LedgerflowError } from '../errors.js';

/** Writes `body` to `target` (a new file); resolves to its size. Removes the file on failure. */
export async function spoolUpload(body: Readable, target: string, limit: number): Promise<number> {
  let bytes = 0;
  try {
    await pipeline(body, async function* count(source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        bytes += chunk.length;
        if (bytes > limit) throw tooLarge(limit);
        yield chunk;
      }
    }, createWriteStream(target, { flags: 'wx' }));
  } catch (err) {
    await rm(target, { force: true });
    throw err;
  }
  return bytes;
}

/** The 413 error of an upload over `limit` bytes. */
export function tooLarge(limit: number): LedgerflowError {
  return new LedgerflowError('LF_ERR_HTTP_PAYLOAD_TOO_LARGE',
    `the upload is larger than ${limit} bytes (LEDGERFLOW_MAX_UPLOAD); ` +
    'send a smaller file, or raise the limit on the server', { field: 'body' });
}
