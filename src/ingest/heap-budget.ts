/**
 * A guard for importers that make a string per distinct text as they read, row by row: V8
 * running out of heap ends the whole process (a server with it), so an import whose texts
 * are about to fill the heap stops with a typed error instead, naming how far it got.
 *
 * The texts are counted, not the heap measured: the heap's use includes garbage not yet
 * collected, which would refuse files that fit.
 * @internal
 */
import { getHeapStatistics } from 'node:v8';
import { LedgerflowError } from '../errors.js';

/**
 * Heap bytes a distinct text costs besides its characters, as a table importer holds it: the
 * string's header, the dictionary's map entry and array slot. Measured: 65 bytes for texts of
 * 8 characters. The XES reader holds more (it also keeps each case id in a set of those seen):
 * measured about 93 bytes a text, so it passes {@link XES_BYTES_PER_TEXT}.
 */
const BYTES_PER_TEXT = 64;
export const XES_BYTES_PER_TEXT = 96;
/** Share of V8's heap limit the texts may take (the rest: rows in flight, garbage). */
const SHARE = 0.5;
/** Rows between two checks: the texts may grow by a few MB between them, not more. */
export const HEAP_CHECK_ROWS = 8_192;

/**
 * Throws `LF_ERR_INGEST_TOO_LARGE` when `count` distinct texts of `chars` characters, at
 * `perText` bytes each besides their characters, would take more than their share of V8's
 * heap; `limit` (the heap's, in bytes) is for tests.
 */
export function checkTextsHeld(
  file: string, line: number, count: number, chars: number, perText = BYTES_PER_TEXT,
  limit: number = getHeapStatistics().heap_size_limit,
): void {
  const need = count * perText + chars;
  if (need <= limit * SHARE) return;
  const mb = (n: number) => Math.round(n / 1e6).toLocaleString('en-US');
  // A reader that knows no line (the fast XES scanner) passes 0.
  const where = line > 0 ? ` by line ${line.toLocaleString('en-US')}` : '';
  const error = new LedgerflowError('LF_ERR_INGEST_TOO_LARGE',
    `${file} has ${count.toLocaleString('en-US')} distinct texts${where}, about ${mb(need)} ` +
    `MB of the JavaScript heap, past ${SHARE * 100} % of its ${mb(limit)} MB; run node with a ` +
    'larger --max-old-space-size, or map fewer text columns', line > 0 ? { file, line } : { file });
  budgetErrors.add(error);
  throw error;
}

/** The errors {@link checkTextsHeld} threw (other limits share their code). */
const budgetErrors = new WeakSet<Error>();

/** Whether `err` is this budget's refusal. */
export function isHeapBudgetError(err: unknown): boolean {
  return err instanceof Error && budgetErrors.has(err);
}
