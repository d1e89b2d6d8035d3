/**
 * A spilled attribute column (code-spill.ts) read back for the log builder: every range's
 * chunks, one after the other, rewritten to the file's codes as they are read.
 * @internal
 */
import { type CodeArray, codeArrayFor, codeViewFor, widthFor } from '../../log/code-array.js';
import { type CodeChunk, readChunks, readNumberChunks } from './code-spill.js';
import type { ParsedRange } from './range-plan.js';

/**
 * Room the spilled columns are read into, one column after the other: the log builder is done
 * with a column's raw codes before it reads the next, and a new array per column was garbage
 * that the collector let pile up to hundreds of MB before the import's end.
 */
export interface ReadScratch {
  buffer: ArrayBuffer | null;
  /**
   * Bytes a row: the widest code of the columns whose loaders share it (made before any runs),
   * so that a file whose spilled columns all fit 1 or 2 bytes holds no 4-byte-a-row buffer.
   */
  rowBytes: number;
}

/**
 * A loader of a spilled column's codes for every row of the file: `size` codes at most, each
 * range's read from its spill file and rewritten by `rewrites[r]` (a remap, a shift, or null
 * for none). What it needs of the ranges is taken now: the ranges themselves are let go of
 * before the log is finished, which is when the builder calls it. With `scratch`, the codes
 * are read into its buffer, and are valid until the next loader sharing it is called.
 *
 * The loader must not hold anything else: a closure passed in (or made beside another that
 * holds a range) kept every range's parsed columns alive until the end of the import.
 */
export function spilledCodes(
  ranges: ParsedRange[], column: number, rows: number, size: number,
  rewrites: (Int32Array | number | null)[], scratch: ReadScratch | null,
): () => CodeArray {
  if (scratch !== null) scratch.rowBytes = Math.max(scratch.rowBytes, widthFor(size));
  const parts: SpilledPart[] = [];
  for (let r = 0; r < ranges.length; r++) {
    const range = ranges[r];
    parts.push({
      fd: range.spillFd, chunks: range.chunks[column] as CodeChunk[], rows: range.rows,
      rewrite: rewrites[r] ?? null,
    });
  }
  return loaderOf(parts, rows, size, scratch);
}

/** One range's part of a spilled column. */
interface SpilledPart {
  fd: number;
  chunks: CodeChunk[];
  rows: number;
  rewrite: Int32Array | number | null;
}

/** See {@link spilledCodes}; made here, where no other closure shares its scope. */
function loaderOf(
  parts: SpilledPart[], rows: number, size: number, scratch: ReadScratch | null,
): () => CodeArray {
  return () => {
    let codes: CodeArray;
    if (scratch === null) {
      codes = codeArrayFor(size, rows);
    } else {
      const bytes = rows * widthFor(size);
      if (scratch.buffer === null || scratch.buffer.byteLength < bytes) {
        scratch.buffer = new ArrayBuffer(rows * Math.max(scratch.rowBytes, widthFor(size)));
      }
      codes = codeViewFor(size, scratch.buffer, rows);
    }
    let offset = 0;
    for (const part of parts) {
      const { rewrite: how } = part;
      readChunks(part.fd, part.chunks, codes, offset, how instanceof Int32Array ? how : null,
        typeof how === 'number' ? how : 0);
      offset += part.rows;
    }
    return codes;
  };
}

/**
 * A loader of a spilled number column's values for every row of the file (see
 * {@link spilledCodes}), each call into a new array: the log builder keeps it as the event
 * column of a file in case and time order, where a shared one would need a copy.
 */
export function spilledNumbers(
  ranges: ParsedRange[], column: number, rows: number,
): () => Float64Array {
  const parts = ranges.map((range) => ({
    fd: range.spillFd, chunks: range.chunks[column] as CodeChunk[], rows: range.rows,
  }));
  return numberLoaderOf(parts, rows);
}

/** See {@link spilledNumbers}; made where no other closure shares its scope. */
function numberLoaderOf(
  parts: { fd: number; chunks: CodeChunk[]; rows: number }[], rows: number,
): () => Float64Array {
  return () => {
    const values = new Float64Array(rows);
    let offset = 0;
    for (const part of parts) {
      readNumberChunks(part.fd, part.chunks, values, offset);
      offset += part.rows;
    }
    return values;
  };
}
