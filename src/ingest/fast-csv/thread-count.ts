/**
 * How many threads the columnar CSV import may use: what was asked for, capped so that a
 * mistyped `LEDGERFLOW_CSV_WORKERS=500` cannot start hundreds of threads (each a V8 isolate of
 * some megabytes) for a small file, nor multiply that per concurrent upload on the server.
 */
import { availableParallelism } from 'node:os';

/** At most this many threads per core. */
export const THREADS_PER_CORE = 4;
/** Each thread gets at least this many bytes of the file. */
export const MIN_BYTES_PER_THREAD = 1024 * 1024;

/**
 * Threads for `bytes` of data when `requested` were asked for: at most
 * {@link THREADS_PER_CORE} × `cores`, at most one per {@link MIN_BYTES_PER_THREAD} of data,
 * and at least 1.
 */
export function cappedThreadCount(
  requested: number, bytes: number, cores: number = availableParallelism(),
): number {
  const byCores = THREADS_PER_CORE * Math.max(1, cores);
  const bySize = Math.floor(bytes / MIN_BYTES_PER_THREAD);
  return Math.max(1, Math.min(Math.floor(requested), byCores, bySize));
}
