/**
 * The manifest of a stored log: the last file written for it, so its presence means the log
 * beside it is complete. Written to a temporary name, flushed, renamed, and the directory
 * flushed too, so a crash leaves the old state or the new one.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { LedgerflowError } from '../errors.js';

/** Name of the manifest file inside a log's directory. */
export const MANIFEST_FILE = 'manifest.json';

/** What the store keeps about one log beside its Arrow files. */
export interface LogManifest {
  id: string;
  /** The uploaded file's name (as the client gave it) or a label such as "demo". */
  name: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  status: 'ready';
  cases: number;
  events: number;
  activities: number;
  /** Source format (csv, xes, parquet, arrow, xlsx, generated). */
  format: string;
  /** Bytes uploaded (0 for a generated log). */
  bytes: number;
}

/** Writes `manifest` into `dir` atomically. */
export async function writeManifest(dir: string, manifest: LogManifest): Promise<void> {
  const target = path.join(dir, MANIFEST_FILE);
  const temporary = `${target}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`);
    // Flushed before the rename, or a crash could leave the new name over unwritten blocks.
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, target).catch(async (err: unknown) => {
    await rm(temporary, { force: true });
    throw err;
  });
  await syncDirectory(dir);
}

/** Reads the manifest in `dir`; null when there is none (an incomplete log). */
export async function readManifest(dir: string): Promise<LogManifest | null> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const manifest = JSON.parse(text) as LogManifest;
    if (typeof manifest.id !== 'string' || manifest.status !== 'ready') return null;
    return manifest;
  } catch (err) {
    // A rename is atomic, so a torn manifest means the file was edited by hand.
    throw new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
      'the manifest is not valid JSON; delete the log directory and import the log again',
      { file: path.join(path.basename(dir), MANIFEST_FILE) }, err);
  }
}

/** Flushes a directory's entries (renames) to disk; some file systems refuse, which is fine. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Directory fsync is not supported everywhere (EISDIR, EINVAL); the rename still stands.
  } finally {
    await handle?.close();
  }
}
