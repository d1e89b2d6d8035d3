/**
 * Writes a file so that a crash leaves either the old file or the whole new one: the bytes go
 * to a temporary name beside the target, are flushed to disk, then renamed over it.
 * @internal
 */
import { open, rename, rm } from 'node:fs/promises';
import { LedgerflowError } from '../errors.js';

/** Writes `bytes` as `target`, atomically; a folder that cannot take it is a typed error. */
export async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temporary, 'w').catch((err: NodeJS.ErrnoException) => {
    throw new LedgerflowError('LF_ERR_OUTPUT_WRITE_FAILED',
      `${err.code ?? 'the file'} cannot be created there; check that the folder exists and ` +
      'is writable', { file: target }, err);
  });
  try {
    await handle.writeFile(bytes);
    // Flush before the rename: otherwise a crash could leave the new name over empty blocks.
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temporary, { force: true });
    throw err;
  }
  await handle.close();
  await rename(temporary, target);
}
