/**
 * Spools an upload to a temporary file while counting its bytes, so a log is never held whole
 * in memory and the size limit cuts the transfer as soon as it is passed.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { LedgerflowError } from '../errors.js';

/** Writes `body` to `target` (a new file); resolves to its size. Removes the file on failure. */
export function spoolUpload(body: Readable, target: string, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(target, { flags: 'wx' });
    let bytes = 0;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      // The rest of the body is discarded, not destroyed: destroying the socket would lose
      // the 413 answer. The reply closes the connection, which ends the transfer.
      body.resume();
      out.destroy();
      rm(target, { force: true }).then(() => reject(err), () => reject(err));
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) return fail(tooLarge(limit));
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', () => body.resume());
      }
    };
    body.on('data', onData);
    body.once('end', () => {
      if (!settled) out.end();
    });
    body.once('error', fail);
    body.once('close', () => {
      if (!body.readableEnded) fail(new Error('the client closed the upload before its end'));
    });
    out.once('error', fail);
    out.once('close', () => {
      if (settled) return;
      settled = true;
      resolve(bytes);
    });
  });
}

/** The 413 error of an upload over `limit` bytes. */
export function tooLarge(limit: number): LedgerflowError {
  return new LedgerflowError('LF_ERR_HTTP_PAYLOAD_TOO_LARGE',
    `the upload is larger than ${limit} bytes (LEDGERFLOW_MAX_UPLOAD); ` +
    'send a smaller file, or raise the limit on the server', { field: 'body' });
}
