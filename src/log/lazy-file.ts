/**
 * An Arrow file opened for reading part by part: one buffer of the file's size at the file's
 * own positions, of which only the ranges asked for are read. Arrow decodes the whole buffer
 * once (its vectors are views on it), and a column read later appears under those views.
 *
 * The buffer costs no memory where nothing was read: V8 takes a large zeroed buffer as fresh
 * pages from the system, and a page is backed only once written. Checked with VmRSS: a
 * reopen of a 20 M-event pair (1,121 MB, of which about 340 MB are read) holds 400–435 MB
 * resident, where reading both files whole peaks at 1,133 MB.
 *
 * The file stays open until every lazy range was read, or until the opener is collected (a
 * FinalizationRegistry closes it). Saves replace files by rename, so an open descriptor still
 * reads the complete file it was opened on, even after a new save or a delete. A writer that
 * rewrites the same file in place (`cp` over it, an editor, `> file`) would instead mix two
 * files' bytes: so each read first compares the file's size, modification time and inode with
 * those at open (one fstat, about a microsecond) and refuses a changed file.
 * @internal
 */
import {
  closeSync, fstatSync, openSync, read, readSync, close, constants, type BigIntStats,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { LedgerflowError } from '../errors.js';
import type { ByteRange } from './ipc-ranges.js';

const readAsync = promisify(read);
// One read call moves at most this much: the system caps a read near 2 GiB.
const READ_CHUNK = 1 << 30;
// Pieces of an asynchronous load: small enough that a column's last piece is not queued
// behind the next column's, large enough that a thread-pool round trip per piece is cheap.
const PIECE = 1 << 24;

const closer = new FinalizationRegistry<number>((fd) => close(fd, () => undefined));

/** A file whose bytes are read into one buffer range by range, when first needed. */
export class LazyFile {
  /** The file's bytes at their own positions; zero where not read yet. */
  readonly bytes: Uint8Array;
  /** The file's base name, for messages. */
  readonly name: string;
  #fd: number | null;
  readonly #loaded = new Set<string>();
  #pending = 0;
  /** What identifies the file's content at open: size, modification time, inode. */
  readonly #identity: string;

  private constructor(fd: number, stat: BigIntStats, name: string) {
    this.#fd = fd;
    this.bytes = new Uint8Array(Number(stat.size));
    this.name = name;
    this.#identity = identity(stat);
    closer.register(this, fd, this);
  }

  /**
   * Opens a regular file. O_NONBLOCK: opening a named pipe without a writer would otherwise
   * wait forever. Anything but a regular file is refused.
   */
  static open(file: string): LazyFile {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = fstatSync(fd, { bigint: true });
      if (!stat.isFile()) {
        throw new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
          'it is not a regular file; point to the saved .arrow file itself',
          { file: path.basename(file) });
      }
      return new LazyFile(fd, stat, path.basename(file));
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Reads `length` bytes at `position` into the buffer now, and returns them. */
  readAt(position: number, length: number): Uint8Array {
    const end = Math.min(position + length, this.bytes.length);
    this.load([{ start: position, end }]);
    return this.bytes.subarray(position, end);
  }

  /** Counts ranges that some later {@link load} will read, so that the file stays open. */
  expect(count: number): void {
    this.#pending += count;
  }

  /** Marks `count` expected loads done (read or dropped); the last one closes the file. */
  settle(count: number): void {
    this.#pending -= count;
    if (this.#pending <= 0) this.close();
  }

  /** Reads every range not read yet, synchronously (for a first access in a getter). */
  load(ranges: ByteRange[]): void {
    const todo = this.#unread(ranges);
    if (todo.length > 0) this.#checkUnchanged();
    for (const range of todo) {
      let at = range.start;
      while (at < range.end) {
        const got = readSync(this.#open(), this.bytes, at, Math.min(range.end - at, READ_CHUNK),
          at);
        if (got === 0) throw this.#short(range);
        at += got;
      }
    }
  }

  /**
   * Reads every range not read yet, off the main thread (for the open itself), in pieces of
   * at most 16 MiB queued in order: ranges asked for first are done first, so the caller can
   * check one column while the next is still being read.
   */
  async loadAsync(ranges: ByteRange[]): Promise<void> {
    const reads: Promise<void>[] = [];
    const todo = this.#unread(ranges);
    if (todo.length > 0) this.#checkUnchanged();
    for (const range of todo) {
      for (let at = range.start; at < range.end; at += PIECE) {
        reads.push(this.#readPiece(at, Math.min(range.end, at + PIECE)));
      }
    }
    await Promise.all(reads);
  }

  async #readPiece(from: number, to: number): Promise<void> {
    let at = from;
    while (at < to) {
      const { bytesRead } = await readAsync(this.#open(), this.bytes, at, to - at, at);
      if (bytesRead === 0) throw this.#short({ start: from, end: to });
      at += bytesRead;
    }
  }

  /** Closes the file now; later loads of unread ranges fail. */
  close(): void {
    if (this.#fd === null) return;
    closer.unregister(this);
    const fd = this.#fd;
    this.#fd = null;
    closeSync(fd);
  }

  // Ranges are marked read before the read: a failed read leaves the whole open unusable.
  #unread(ranges: ByteRange[]): ByteRange[] {
    const todo: ByteRange[] = [];
    for (const range of ranges) {
      const key = `${range.start}:${range.end}`;
      if (range.end <= range.start || this.#loaded.has(key)) continue;
      if (range.start < 0 || range.end > this.bytes.length) throw this.#short(range);
      this.#loaded.add(key);
      todo.push(range);
    }
    return todo;
  }

  // Nanosecond times: a rewrite within the same second is still seen (as far as the file
  // system's clock ticks; an in-place rewrite of the same size within one tick is not).
  #checkUnchanged(): void {
    if (identity(fstatSync(this.#open(), { bigint: true })) === this.#identity) return;
    throw new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
      'the file changed since it was opened; open it again', { file: this.name });
  }

  #open(): number {
    if (this.#fd === null) {
      throw new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
        'its file was closed before this column was read; load the log again',
        { file: this.name });
    }
    return this.#fd;
  }

  #short(range: ByteRange): LedgerflowError {
    return new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
      `bytes ${range.start}–${range.end} lie past the end of the ${this.bytes.length}-byte ` +
      'file; compile the log again from its source', { file: this.name, byte: range.start });
  }
}

function identity(stat: BigIntStats): string {
  // Not the change time: a save that renames a new file over this one's name (or a delete)
  // changes it, and the open file is still whole and right.
  return `${stat.size}:${stat.mtimeNs}:${stat.ino}:${stat.dev}`;
}
