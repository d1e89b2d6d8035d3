/**
 * The store of compiled logs under a data directory:
 *
 * ```
 *  <dataDir>/logs/<id>/log.arrow         events (Arrow IPC)
 *  <dataDir>/logs/<id>/log.cases.arrow   case table
 *  <dataDir>/logs/<id>/manifest.json     written last: its presence means "complete"
 *  <dataDir>/logs/.trash-<id>-<rand>/    a deleted log on its way out
 *  <dataDir>/uploads/<rand>.part         uploads being spooled
 * ```
 *
 * Each log is compiled once and reloaded lazily after a restart. A directory without a manifest
 * is the leftover of a crash and is swept at start, as are trash and upload leftovers. Ids are
 * made here; no request value is ever joined into a path.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { LedgerflowError, isLedgerflowError } from '../errors.js';
import { byteSourceFromFile } from '../ingest/byte-source.js';
import { importLog } from '../ingest/import-log.js';
import type { ByteSource, ImportOptions } from '../ingest/import-options.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { loadCompiledLog, saveCompiledLog } from '../log/log-file.js';
import { AnswerCache } from './answer-cache.js';
import { ImportSlots, type ImportTicket } from './import-slots.js';
import { isLogId, newLogId } from './log-id.js';
import { recordFromManifest, type LogRecord } from './log-record.js';
import { readManifest, syncDirectory, writeManifest, type LogManifest } from './manifest.js';

/** Options of {@link LogStore.open}. */
export interface LogStoreOptions {
  dataDir: string;
  /** Compiled logs held in memory at once (least recently used dropped); default 4. */
  maxLoadedLogs?: number;
  /** Imports running at once; default 1. */
  runningImports?: number;
  /** Imports waiting for a turn; default 4. */
  waitingImports?: number;
  /** Bound of the answer cache in bytes. */
  cacheBytes?: number;
}

/** What an upload brings to {@link LogStore.importUpload}. */
export interface UploadedFile {
  /** The spooled file (inside {@link LogStore.uploadDir}); removed once imported or failed. */
  tempPath: string;
  name: string;
  bytes: number;
  options: ImportOptions;
}

const EVENTS_FILE = 'log.arrow';
const TRASH_PREFIX = '.trash-';
const MAX_FAILED_KEPT = 100;

interface Job {
  record: LogRecord;
  abort: AbortController;
  done: Promise<LogRecord>;
}

/** Logs on disk, the ones loaded in memory, imports in progress and the answer cache. */
export class LogStore {
  readonly dataDir: string;
  readonly logsDir: string;
  readonly uploadDir: string;
  readonly answers: AnswerCache;
  readonly slots: ImportSlots;
  readonly #maxLoaded: number;
  readonly #ready = new Map<string, LogManifest>();
  readonly #jobs = new Map<string, Job>();
  readonly #failed = new Map<string, LogRecord>();
  readonly #loaded = new Map<string, Promise<CompiledLog>>();
  #closed = false;

  private constructor(options: LogStoreOptions) {
    this.dataDir = path.resolve(options.dataDir);
    this.logsDir = path.join(this.dataDir, 'logs');
    this.uploadDir = path.join(this.dataDir, 'uploads');
    this.answers = new AnswerCache(options.cacheBytes);
    this.slots = new ImportSlots(options.runningImports ?? 1, options.waitingImports ?? 4);
    this.#maxLoaded = options.maxLoadedLogs ?? 4;
  }

  /** Opens (creating) the store, sweeps what a crash left and reads every manifest. */
  static async open(options: LogStoreOptions): Promise<LogStore> {
    const store = new LogStore(options);
    await mkdir(store.logsDir, { recursive: true });
    // Uploads never survive a restart: their requests are gone.
    await rm(store.uploadDir, { recursive: true, force: true });
    await mkdir(store.uploadDir, { recursive: true });
    for (const entry of await readdir(store.logsDir, { withFileTypes: true })) {
      const dir = path.join(store.logsDir, entry.name);
      if (!entry.isDirectory() || !isLogId(entry.name)) {
        if (entry.name.startsWith(TRASH_PREFIX)) await rm(dir, { recursive: true, force: true });
        continue;
      }
      const manifest = await readManifest(dir);
      if (manifest === null || manifest.id !== entry.name) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      await removeTemporaries(dir);
      store.#ready.set(manifest.id, manifest);
    }
    await syncDirectory(store.logsDir);
    return store;
  }

  /** Every log, oldest first: ready ones, imports in progress and failed imports. */
  list(): LogRecord[] {
    const all = [
      ...[...this.#ready.values()].map(recordFromManifest),
      ...[...this.#jobs.values()].map((j) => ({ ...j.record })),
      ...this.#failed.values(),
    ];
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** One log's record, or undefined. */
  get(id: string): LogRecord | undefined {
    const manifest = this.#ready.get(id);
    if (manifest !== undefined) return recordFromManifest(manifest);
    const job = this.#jobs.get(id);
    if (job !== undefined) return { ...job.record };
    return this.#failed.get(id);
  }

  /** The compiled log of a ready log, loaded from disk on first use. */
  async load(id: string): Promise<CompiledLog> {
    const record = this.get(id);
    if (record === undefined) throw notFound(id);
    if (record.status !== 'ready') {
      throw new LedgerflowError('LF_ERR_HTTP_NOT_READY',
        record.status === 'importing'
          ? `log ${id} is still importing (${Math.round(record.progress * 100)} %); ` +
            'poll GET /logs/' + id + ' until its status is ready'
          : `log ${id} failed to import; see its error in GET /logs/${id}, fix the file ` +
            'and upload it again', { field: 'id' });
    }
    let loading = this.#loaded.get(id);
    if (loading === undefined) {
      loading = loadCompiledLog(path.join(this.logsDir, id, EVENTS_FILE));
      loading.catch(() => this.#loaded.delete(id));
      this.#remember(id, loading);
    } else {
      this.#loaded.delete(id);
      this.#loaded.set(id, loading);
    }
    return loading;
  }

  /** A new path for spooling an upload (a random name inside the upload folder). */
  uploadPath(): string {
    return path.join(this.uploadDir, `${randomBytes(12).toString('base64url')}.part`);
  }

  /** Takes a place in the import queue (429 when it is full). */
  reserveImport(): ImportTicket {
    if (this.#closed) throw shuttingDown();
    return this.slots.take();
  }

  /**
   * Starts importing a spooled upload under a new id. Resolves at once with the record
   * (status importing); `done` settles when the import has finished either way. A failed
   * `background` import stays listed with its error (nobody waits for its answer).
   */
  importUpload(ticket: ImportTicket, upload: UploadedFile, background = false): {
    record: LogRecord; done: Promise<LogRecord>; } {
    const id = newLogId();
    const record: LogRecord = {
      id, name: upload.name, createdAt: new Date().toISOString(), status: 'importing',
      bytes: upload.bytes, progress: 0, cases: null, events: null, activities: null,
      format: null, error: null,
    };
    const abort = new AbortController();
    const done = this.#runImport(ticket, upload, record, abort.signal, background);
    this.#jobs.set(id, { record, abort, done });
    return { record: { ...record }, done };
  }

  /** Stores a log compiled in-process (the demo) under a new id. */
  async addLog(log: CompiledLog, name: string): Promise<LogRecord> {
    const id = newLogId();
    const manifest = await this.#persist(id, log, name, 0, new Date().toISOString());
    this.#remember(id, Promise.resolve(log));
    return recordFromManifest(manifest);
  }

  /** Deletes a log for good (an import in progress is abandoned); false when unknown. */
  async remove(id: string): Promise<boolean> {
    const job = this.#jobs.get(id);
    if (job !== undefined) {
      job.abort.abort();
      // An import past its last abort check finishes as ready; it is then deleted below.
      await job.done;
    }
    if (this.#failed.delete(id)) return true;
    if (!this.#ready.delete(id)) return job !== undefined;
    this.#loaded.delete(id);
    this.answers.dropLog(id);
    // Renamed first: from this instant a restart sees no log, even if the removal is cut short.
    const trash = path.join(this.logsDir, `${TRASH_PREFIX}${id}-${randomBytes(4).toString('hex')}`);
    await rename(path.join(this.logsDir, id), trash);
    await syncDirectory(this.logsDir);
    await rm(trash, { recursive: true, force: true });
    return true;
  }

  /** Abandons every import in progress and waits until their files are removed. */
  async close(): Promise<void> {
    this.#closed = true;
    const jobs = [...this.#jobs.values()];
    for (const job of jobs) job.abort.abort();
    await Promise.all(jobs.map((j) => j.done));
  }

  async #runImport(
    ticket: ImportTicket, upload: UploadedFile, record: LogRecord, signal: AbortSignal,
    background: boolean,
  ): Promise<LogRecord> {
    const dir = path.join(this.logsDir, record.id);
    let settle: () => void;
    try {
      await Promise.race([ticket.turn(), abortedPromise(signal)]);
      const file = await byteSourceFromFile(upload.tempPath, upload.name);
      const total = Math.max(upload.bytes, 1);
      const onRead = (read: number) => {
        record.progress = Math.min(Math.max(record.progress, read / total), 0.99);
      };
      const log = await importLog(abortable(file, signal, onRead), {
        ...upload.options, sourceName: upload.name, onProgress: onRead,
      });
      throwIfAborted(signal);
      const manifest = await this.#persist(record.id, log, upload.name, upload.bytes,
        record.createdAt, signal);
      this.#remember(record.id, Promise.resolve(log));
      settle = () => Object.assign(record, recordFromManifest(manifest));
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      settle = () => {
        record.status = 'failed';
        record.error = errorBody(err);
        if (background && !signal.aborted) this.#keepFailed(record);
      };
    } finally {
      ticket.release();
      await rm(upload.tempPath, { force: true });
    }
    // Status and job list change in one step, after every file is in its final state.
    settle();
    this.#jobs.delete(record.id);
    return { ...record };
  }

  async #persist(
    id: string, log: CompiledLog, name: string, bytes: number, createdAt: string,
    signal?: AbortSignal,
  ): Promise<LogManifest> {
    const dir = path.join(this.logsDir, id);
    await mkdir(dir, { recursive: true });
    await saveCompiledLog(log, path.join(dir, EVENTS_FILE));
    if (signal !== undefined) throwIfAborted(signal);
    const manifest: LogManifest = {
      id, name, createdAt, status: 'ready', cases: log.caseCount, events: log.eventCount,
      activities: log.activities.length, format: log.info.format, bytes,
    };
    await writeManifest(dir, manifest);
    await syncDirectory(this.logsDir);
    this.#ready.set(id, manifest);
    return manifest;
  }

  #remember(id: string, loading: Promise<CompiledLog>): void {
    this.#loaded.delete(id);
    this.#loaded.set(id, loading);
    for (const oldest of this.#loaded.keys()) {
      if (this.#loaded.size <= this.#maxLoaded) break;
      this.#loaded.delete(oldest);
    }
  }

  #keepFailed(record: LogRecord): void {
    this.#failed.set(record.id, { ...record });
    for (const oldest of this.#failed.keys()) {
      if (this.#failed.size <= MAX_FAILED_KEPT) break;
      this.#failed.delete(oldest);
    }
  }
}

/** The `{ code, message }` body of an error, for a failed import's record. */
export function errorBody(err: unknown): { code: string; message: string } {
  if (isLedgerflowError(err)) return { code: err.code, message: err.message };
  return { code: 'LF_ERR_HTTP_INTERNAL', message: 'the import failed unexpectedly; see the log' };
}

// Reads of the source stop at the next chunk once the import is abandoned.
function abortable(
  source: ByteSource, signal: AbortSignal, onRead: (bytes: number) => void,
): ByteSource {
  return {
    ...source,
    async *open() {
      let read = 0;
      for await (const chunk of source.open()) {
        throwIfAborted(signal);
        read += chunk.length;
        onRead(read);
        yield chunk;
      }
    },
  };
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw shuttingDown();
}

function abortedPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(shuttingDown());
    signal.addEventListener('abort', () => reject(shuttingDown()), { once: true });
  });
}

function shuttingDown(): LedgerflowError {
  return new LedgerflowError('LF_ERR_HTTP_SHUTTING_DOWN',
    'the import was abandoned (server stopping or log deleted); upload the file again');
}

function notFound(id: string): LedgerflowError {
  return new LedgerflowError('LF_ERR_HTTP_NOT_FOUND',
    'there is no log with this id; GET /logs lists the logs', { field: 'id', value: id });
}

async function removeTemporaries(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.endsWith('.tmp')) await rm(path.join(dir, name), { force: true });
  }
}
