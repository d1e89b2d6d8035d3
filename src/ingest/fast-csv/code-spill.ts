/**
 * A temporary file for the codes of a big CSV's attribute columns while the file is parsed
 * (and the values of its number columns, written and read back the same way).
 *
 * Without it an import holds one code per row and column until the log is finished: most of
 * its memory for a big flat export, on top of the log it builds. Spilled, the codes are
 * written as they are parsed, a chunk of rows at a time, and read back one column at a time
 * when the log builder reaches that column; memory then holds one column's codes at most.
 *
 * The file is unlinked as soon as it is opened: it has no name that could be left behind,
 * whatever happens to the process, and the system frees it when its descriptor is closed.
 * The importing thread opens one per range and closes them all: a descriptor belongs to the
 * process, so a worker thread can write through it, but one a worker opened is closed when
 * the worker ends. A write that fails (a full disk) is not an error: that chunk and every
 * later one of the range stay in memory, as they would without spilling.
 * @internal
 */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync }
  from 'node:fs';
import path from 'node:path';
import type { CodeArray } from '../../log/code-array.js';

/** What a chunk holds: a text column's codes, or a number column's values. */
type ChunkValues = CodeArray | Float64Array;

/** One column's codes for a run of rows: a span of the spill file, or held in memory. */
export interface CodeChunk {
  rows: number;
  /** 1, 2 or 4: the width the codes were written in (code-array.ts); 8 for numbers. */
  bytesPerCode: number;
  /** Byte offset in the spill file; -1 when held. */
  at: number;
  held: ChunkValues | null;
}

/** The spill file of one byte range, written by the thread that parses the range. */
export class CodeSpill {
  /** The file's descriptor (see {@link openSpillFile}); -1 once a write failed. */
  #fd: number;
  #end = 0;

  /** Writes to `fd`; -1 (no file could be made) holds every chunk in memory. */
  constructor(fd: number) {
    this.#fd = fd;
  }

  /** Writes `codes` (a whole chunk) and tells where they went. */
  append(codes: ChunkValues): CodeChunk {
    const bytesPerCode = codes.BYTES_PER_ELEMENT;
    if (this.#fd >= 0) {
      const bytes = new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength);
      try {
        let done = 0;
        while (done < bytes.length) {
          done += writeSync(this.#fd, bytes, done, bytes.length - done, this.#end + done);
        }
        const chunk = { rows: codes.length, bytesPerCode, at: this.#end, held: null };
        this.#end += bytes.length;
        return chunk;
      } catch {
        // No room left on the disk, most likely: the rest of the range stays in memory.
        this.#fd = -1;
      }
    }
    return { rows: codes.length, bytesPerCode, at: -1, held: codes.slice() };
  }
}

/**
 * A new spill file in `dir`, with no name left (its folder and link removed): its
 * descriptor, or -1 when none can be made there (the codes are then held in memory).
 */
export function openSpillFile(dir: string): number {
  let folder = '';
  try {
    folder = mkdtempSync(path.join(dir, 'ledgerflow-spill-'));
    const file = path.join(folder, 'codes');
    const fd = openSync(file, 'wx+', 0o600);
    try {
      unlinkSync(file);
    } catch {
      closeSync(fd);
      return -1;
    }
    return fd;
  } catch {
    return -1;
  } finally {
    if (folder !== '') {
      try {
        rmdirSync(folder);
      } catch {
        // Left empty in the temporary folder; nothing of the import is in it.
      }
    }
  }
}

/** Closes a spill file by its descriptor (-1: none); its owner calls this once. */
export function closeSpill(fd: number): void {
  if (fd < 0) return;
  try {
    closeSync(fd);
  } catch {
    // Closed already: nothing was lost, the file has no name.
  }
}

/**
 * Reads `chunks` of spill file `fd`, one after the other, into `into` from `offset` on. Each
 * code is mapped through `remap` when given (another range's codes into the file's), else
 * shifted by `shift` (-1, no value, stays -1).
 */
export function readChunks(
  fd: number, chunks: CodeChunk[], into: CodeArray, offset: number,
  remap: Int32Array | null, shift = 0,
): void {
  let at = offset;
  const scratch = { buffer: new ArrayBuffer(0) };
  for (const chunk of chunks) {
    copyCodes(chunkValues(fd, chunk, scratch) as CodeArray, into, at, remap, shift);
    at += chunk.rows;
  }
}

/** Reads the chunks of a number column, one after the other, into `into` from `offset` on. */
export function readNumberChunks(
  fd: number, chunks: CodeChunk[], into: Float64Array, offset: number,
): void {
  let at = offset;
  const scratch = { buffer: new ArrayBuffer(0) };
  for (const chunk of chunks) {
    into.set(chunkValues(fd, chunk, scratch), at);
    at += chunk.rows;
  }
}

/** A chunk's values: held, or read from the file into `scratch` (valid until the next). */
function chunkValues(
  fd: number, chunk: CodeChunk, scratch: { buffer: ArrayBuffer },
): ChunkValues {
  if (chunk.held !== null) return chunk.held;
  const bytes = chunk.rows * chunk.bytesPerCode;
  if (scratch.buffer.byteLength < bytes) scratch.buffer = new ArrayBuffer(bytes);
  const view = new Uint8Array(scratch.buffer, 0, bytes);
  let done = 0;
  while (done < bytes) {
    const n = readSync(fd, view, done, bytes - done, chunk.at + done);
    if (n === 0) throw new Error('the import\'s spill file ended early');
    done += n;
  }
  return viewOf(scratch.buffer, chunk.bytesPerCode, chunk.rows);
}

function viewOf(buffer: ArrayBuffer, bytesPerCode: number, rows: number): ChunkValues {
  if (bytesPerCode === 8) return new Float64Array(buffer, 0, rows);
  if (bytesPerCode === 1) return new Int8Array(buffer, 0, rows);
  return bytesPerCode === 2 ? new Int16Array(buffer, 0, rows) : new Int32Array(buffer, 0, rows);
}

function copyCodes(
  codes: CodeArray, into: CodeArray, at: number, remap: Int32Array | null, shift: number,
): void {
  const n = codes.length;
  if (remap !== null) {
    for (let i = 0; i < n; i++) {
      const code = codes[i];
      into[at + i] = code < 0 ? -1 : remap[code];
    }
  } else if (shift !== 0) {
    for (let i = 0; i < n; i++) {
      const code = codes[i];
      into[at + i] = code < 0 ? -1 : code + shift;
    }
  } else {
    into.set(codes, at);
  }
}
