/**
 * Whether the distinct texts an import is about to make into strings fit in what V8's heap
 * has left. V8 running out of heap is fatal to the whole process, so a CSV whose distinct
 * texts cannot fit (tens of millions of ids in several columns) would take a server down with
 * it. The row importer makes the same strings and more, so such a file is refused with a
 * typed error instead of being handed to it.
 * @internal
 */
import { getHeapStatistics } from 'node:v8';
import { LedgerflowError } from '../../errors.js';

/**
 * Bytes a string costs besides its characters: its header (16 to 32) and its array slot (8),
 * with room for the arrays' growth.
 */
const BYTES_PER_STRING = 48;
/** Share of the heap left that the strings may take (the builder needs some of the rest). */
const SHARE = 0.8;

/**
 * Throws `LF_ERR_INGEST_TOO_LARGE` when `texts` distinct texts of `bytes` bytes in all would
 * need more of V8's heap than is left; `heapLeft` is for tests.
 */
export function checkStringBudget(
  file: string, texts: number, bytes: number, heapLeft: number = heapBytesLeft(),
): void {
  if (fitsStringBudget(texts, bytes, SHARE, heapLeft)) return;
  const need = texts * BYTES_PER_STRING + bytes;
  const mb = (n: number) => Math.round(n / 1e6).toLocaleString('en-US');
  throw new LedgerflowError('LF_ERR_INGEST_TOO_LARGE',
    `${file} has ${texts.toLocaleString('en-US')} distinct texts across its columns (` +
    `${mb(bytes)} MB) still to make into strings: they need about ${mb(need)} MB, more than ` +
    `${SHARE * 100} % of the ${mb(heapLeft)} MB the JavaScript heap has left; run node with a ` +
    'larger --max-old-space-size, or map fewer text columns', { file });
}

/**
 * Whether `texts` texts of `bytes` bytes would take no more than `share` of the heap left
 * ({@link checkStringBudget} lets through what fits in 80 %).
 */
export function fitsStringBudget(
  texts: number, bytes: number, share = SHARE, heapLeft: number = heapBytesLeft(),
): boolean {
  return texts * BYTES_PER_STRING + bytes <= heapLeft * share;
}

/**
 * The most the WASM scanner's dictionaries hold (its memory ends short of 4 GiB): a file whose
 * texts outgrew them has at least this many bytes of distinct text.
 */
const SCANNER_FULL_BYTES = 0xffff0000;

/**
 * For a file whose distinct texts outgrew the WASM scanner: throws `LF_ERR_INGEST_TOO_LARGE`
 * unless the heap has room for the row importer to make those texts into strings (with a
 * larger --max-old-space-size it may). Handed to the row importer regardless, such a file
 * ran V8 out of heap, which ends the whole process. `heapLeft` is for tests.
 */
export function checkRowImportRoom(file: string, heapLeft: number = heapBytesLeft()): void {
  if (SCANNER_FULL_BYTES <= heapLeft * SHARE) return;
  const mb = (n: number) => Math.round(n / 1e6).toLocaleString('en-US');
  throw new LedgerflowError('LF_ERR_INGEST_TOO_LARGE',
    `${file} has more distinct values than the columnar reader holds (its memory ends at ` +
    `${mb(SCANNER_FULL_BYTES)} MB; one column may hold 2 GB of text or 268 million values), ` +
    'and the row importer, which makes a string of each, would need more than the ' +
    `${mb(heapLeft)} MB the JavaScript heap has left; run node with a larger ` +
    '--max-old-space-size, or map fewer text columns', { file });
}

function heapBytesLeft(): number {
  const stats = getHeapStatistics();
  return stats.heap_size_limit - stats.used_heap_size;
}
