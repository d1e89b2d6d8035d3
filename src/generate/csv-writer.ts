/**
 * Streams rows to a CSV file: RFC 4180 quoting where a field needs it, CRLF line ends, and a
 * write stream whose backpressure is honoured so memory stays flat however many rows come.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { LedgerflowError } from '../errors.js';

// Text is handed to the stream in chunks of about this many characters: large enough that
// per-write overhead vanishes, small enough to keep memory flat.
const CHUNK_CHARS = 1 << 18;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted (with doubled quotes) only when it holds a comma, quote or line break. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, with its CRLF line end. */
export function csvLine(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvField(cells[i]);
  }
  return `${line}\r\n`;
}

/** A text file written in chunks, waiting for the disk when the stream's buffer is full. */
export class ChunkedTextFile {
  readonly path: string;
  readonly #stream: WriteStream;
  #pending = '';
  #failure: Error | null = null;
  #bytes = 0;

  constructor(path: string) {
    this.path = path;
    this.#stream = createWriteStream(path);
    // Recorded here and rethrown by the next write, so an error is never an unhandled event.
    this.#stream.on('error', (err) => { this.#failure = err; });
  }

  /**
   * Appends text. Returns null when the caller may go on at once, else a promise to await
   * (a chunk went to the stream): skipping the await per row keeps small writes cheap.
   */
  write(text: string): Promise<void> | null {
    this.#pending += text;
    return this.#pending.length >= CHUNK_CHARS ? this.#flush() : null;
  }

  /** Writes what is left and closes the file; resolves with the bytes written. */
  async close(): Promise<number> {
    await this.#flush();
    if (!this.#stream.closed) {
      await new Promise<void>((resolve) => {
        this.#stream.once('close', resolve);
        this.#stream.end();
      });
    }
    this.#check();
    return this.#bytes;
  }

  /** Closes the file after a failure elsewhere, without waiting for pending data. */
  destroy(): void {
    this.#stream.destroy();
  }

  async #flush(): Promise<void> {
    this.#check();
    if (this.#pending.length === 0) return;
    const chunk = this.#pending;
    this.#pending = '';
    this.#bytes += Buffer.byteLength(chunk);
    if (!this.#stream.write(chunk)) await drained(this.#stream);
    this.#check();
  }

  #check(): void {
    if (this.#failure !== null) {
      throw new LedgerflowError('LF_ERR_OUTPUT_WRITE_FAILED',
        `${this.#failure.message}; check that the folder exists and is writable`,
        { file: this.path }, this.#failure);
    }
  }
}

/** Resolves when the stream drains or closes (an error closes it too, and is recorded). */
function drained(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
