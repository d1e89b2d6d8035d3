/**
 * Decodes an untrusted Arrow file once in a worker thread with a small heap and a time limit,
 * before the calling thread decodes it. Headers are bounds-checked (flatbuffer-bounds.ts), but
 * Arrow's decoder still believes what valid-looking headers say (a row count from a damaged
 * header, say) and can then loop for minutes on the calling thread. The range plan of a
 * compiled log (ipc-ranges.ts) checks what it reads itself; the layouts it does not model, and
 * Arrow tables imported from files, are decoded here first. If that decode fails, runs out of
 * its heap or its time, the file is refused and the process keeps serving everyone else.
 *
 * The cost is a worker and a second decode (about 0.3 s to start the worker and load Arrow in
 * it, plus the decode): paid only on those paths. The worker opens the file by its path, so a
 * file rewritten in place between this check and the real read is not covered.
 * @internal
 */
import { constants } from 'node:buffer';
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { LedgerflowError } from '../errors.js';
import { workerFile } from '../worker-file.js';

/** What the worker answers for one file. */
export interface SandboxAnswer {
  ok: boolean;
  /** Why the decode failed, when it did. */
  reason?: string;
}

/** Heap of the worker beyond the file's own bytes (which live outside the heap). */
const HEAP_MB = 256;
/** Time for one decode: 3 s, plus 20 ms per MB (a 1 GB table decodes in a few seconds). */
const BASE_TIME_MS = 3_000;
const TIME_PER_MB_MS = 20;

/**
 * Resolves when `file` decodes as Arrow IPC within the limits; otherwise throws `code` naming
 * `shownName`. A missing or special file is left to the caller's own checks.
 */
export async function checkArrowDecodes(
  file: string, shownName: string, code: 'LF_ERR_LOG_BAD_COMPILED' | 'LF_ERR_INGEST_BAD_ARROW',
): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) return;
  refuseOversized(info.size, shownName, code);
  const answer = await runSandbox(file, BASE_TIME_MS + (info.size / 1e6) * TIME_PER_MB_MS);
  if (answer.ok) return;
  throw new LedgerflowError(code,
    `it does not decode as Arrow IPC (${answer.reason ?? 'unknown fault'}); the file is ` +
    'damaged: write it, or compile the log, again from its source', { file: shownName });
}

/** Refuses a file larger than one buffer can hold, before a buffer of its size is made. */
export function refuseOversized(
  size: number, shownName: string, code: 'LF_ERR_LOG_BAD_COMPILED' | 'LF_ERR_INGEST_BAD_ARROW',
): void {
  if (size <= constants.MAX_LENGTH) return;
  throw new LedgerflowError(code,
    `it is ${size} bytes, more than one buffer of this process holds ` +
    `(${constants.MAX_LENGTH}); split it, or import the log from its source`,
    { file: shownName });
}

function runSandbox(file: string, limitMs: number): Promise<SandboxAnswer> {
  return new Promise((resolve) => {
    const worker = new Worker(workerPath(), {
      workerData: { file },
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 32 },
    });
    let settled = false;
    const settle = (answer: SandboxAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(answer);
    };
    const timer = setTimeout(() => settle({
      ok: false, reason: `decoding took more than ${Math.round(limitMs / 1000)} s`,
    }), limitMs);
    worker.on('message', (answer: SandboxAnswer) => settle(answer));
    worker.on('error', (err: Error & { code?: string }) => settle({
      ok: false,
      reason: err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `decoding needed more than ${HEAP_MB} MB` : err.message.slice(0, 200),
    }));
    worker.on('exit', (exitCode) => settle({
      ok: false, reason: `the decoder stopped (${exitCode})`,
    }));
  });
}

function workerPath(): string {
  return workerFile(import.meta.url, 'arrow-sandbox-worker');
}
