/**
 * The WASM XES scanner's dictionaries (assembly/csv/dictionary.ts headers in its memory) read
 * from JavaScript: their texts, and whether those would fit in V8's heap as strings.
 * @internal
 */
import { decodeEntries } from '../fast-csv/byte-dictionary.js';
import { fitsStringBudget } from '../fast-csv/string-budget.js';

/** Words of a dictionary header: entry count at 5, entries at 3, pool at 6, pool bytes at 7. */
const HEADER_WORDS = 12;

/** The texts of the dictionary whose header is at `header` in `buffer`, in code order. */
export function textsOf(buffer: ArrayBuffer | SharedArrayBuffer, header: number): string[] {
  const h = new Uint32Array(buffer, header, HEADER_WORDS);
  const size = h[5];
  const entries = new Int32Array(buffer, h[3], size * 2);
  const starts = new Int32Array(size);
  const lengths = new Int32Array(size);
  for (let code = 0; code < size; code++) {
    starts[code] = entries[2 * code];
    lengths[code] = entries[2 * code + 1];
  }
  const pool = new Uint8Array(buffer, h[6], h[7]);
  return decodeEntries({ size, hashes: new Int32Array(0), starts, lengths, pool });
}

/**
 * Whether the texts of every dictionary at `headers` fit in what V8's heap has left as
 * strings (the CSV import's budget): made regardless, they would end the process.
 */
export function textsFit(buffer: ArrayBuffer | SharedArrayBuffer, headers: number[]): boolean {
  let texts = 0;
  let bytes = 0;
  for (const header of headers) {
    const h = new Uint32Array(buffer, header, HEADER_WORDS);
    texts += h[5];
    bytes += h[7];
  }
  return fitsStringBudget(texts, bytes);
}
