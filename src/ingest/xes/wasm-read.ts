/**
 * The WASM XES reading path. The prolog (XML declaration, `<log>`, extensions, globals,
 * classifiers, log attributes) is read by the JS scanner and XesReader, up to the first
 * `<trace`; from there the bytes go to the WASM body scanner, which reads the traces of the
 * common shape straight into columns, and the log builder takes them whole.
 *
 * Like the JS fast path it never reports a fault: at the first thing it does not read exactly
 * as XesReader would (or at any error) it answers null, and the caller reads the whole
 * document again with the JS readers, which give the exact reading or the exact error.
 */
import type { ByteSource, ImportOptions } from '../import-options.js';
import { resolveIngestLimits } from '../limits.js';
import { type ByteCounter, openBytes } from './byte-stream.js';
import { FastXesScanner } from './fast-scanner.js';
import { InflateRing } from './inflate-ring.js';
import { builderOfBody } from './wasm-columns.js';
import { XES_ROLE, XesBodyScanner } from './wasm-xes-scanner.js';
import { openSession, type XesSession } from './xes-session.js';
import type { XesKeys } from './xes-reader.js';

const PROGRESS_STEP = 1 << 20;
/** The prolog is a few KB; a document without a trace this far in is left to the JS path. */
const MAX_PROLOG = 16 << 20;
/** The longest token (with the blanks before it) the WASM scanner takes; see fast-scanner. */
const MAX_TOKEN = 1 << 20;
const TRACE_TAG = Buffer.from('<trace', 'latin1');
const NOWHERE = { line: 0, column: 0 };
/** Files from this size on are inflated by a worker (its start costs tens of ms). */
const RING_FROM = 4 << 20;

/** Whether the WASM path is on: `LEDGERFLOW_XES_WASM=0` turns it off, for comparisons. */
export function xesWasmEnabled(): boolean {
  return process.env.LEDGERFLOW_XES_WASM !== '0';
}

/**
 * Reads an XES document with the WASM body scanner; null when the JS path must read it. A
 * file of `ringFrom` bytes or more is read and inflated by a worker (inflate-ring.ts).
 */
export async function readXesWasm(
  source: ByteSource, options: ImportOptions, ringFrom = RING_FROM,
): Promise<XesSession | null> {
  const file = options.sourceName ?? source.name;
  try {
    const session = openSession(options, file, NOWHERE);
    const limits = resolveIngestLimits(options.limits);
    const scanner = new XesBodyScanner({
      roles: rolesOf(session.keys), maxTokenBytes: Math.min(MAX_TOKEN, limits.maxRowChars),
      naiveUtc: session.naiveUtc, readDate: session.parseTime,
    });
    const prolog = new PrologReader(session, limits.maxRowChars);
    const progress = progressOf(source, options);
    const read = source.path !== undefined && (source.size ?? 0) >= ringFrom
      ? await readByRing(scanner, prolog, new InflateRing(scanner, source.path, file, limits),
        progress, source.size as number)
      : await readInThread(scanner, prolog, openBytes(source, progress.counter, limits),
        progress);
    if (!read) return null;
    const builder = builderOfBody(scanner.end(progress.leftover), options.lifecycle ?? 'pair');
    if (builder === null) return null;
    progress.end();
    return { ...session, builder };
  } catch {
    // A miss, or a fault the JS readers report with their own message (or meet again).
    return null;
  }
}

/** Progress as compressed bytes read, every MB; and the bytes left unfinished at the end. */
function progressOf(source: ByteSource, options: ImportOptions) {
  const counter: ByteCounter = { compressed: 0, gzip: false };
  let next = PROGRESS_STEP;
  return {
    counter,
    /** Set by the ring: bytes it carried past the last slot. */
    leftover: undefined as number | undefined,
    tell(compressed: number) {
      counter.compressed = compressed;
      if (options.onProgress === undefined || compressed < next) return;
      next = compressed + PROGRESS_STEP;
      options.onProgress(compressed, source.size);
    },
    end() {
      options.onProgress?.(counter.compressed, source.size);
    },
  };
}
type Progress = ReturnType<typeof progressOf>;

/** Inflates on this thread, chunk by chunk; false when the prolog is not what it takes. */
async function readInThread(
  scanner: XesBodyScanner, prolog: PrologReader, chunks: AsyncIterable<Uint8Array>,
  progress: Progress,
): Promise<boolean> {
  let inBody = false;
  for await (const chunk of chunks) {
    if (inBody) {
      scanner.write(chunk);
    } else {
      const body = prolog.write(chunk);
      if (body !== null) {
        if (!prolog.done()) return false;
        scanner.write(body);
        inBody = true;
      }
    }
    progress.tell(progress.counter.compressed);
  }
  return inBody;
}

/** Reads the slots the worker fills; false when the prolog is not what it takes. */
async function readByRing(
  scanner: XesBodyScanner, prolog: PrologReader, ring: InflateRing, progress: Progress,
  size: number,
): Promise<boolean> {
  try {
    let inBody = false;
    let reserved = false;
    for (let slot = await ring.next(); slot !== null; slot = await ring.next()) {
      if (inBody) {
        ring.scan(slot);
      } else {
        const body = prolog.write(slot.bytes);
        if (body !== null) {
          if (!prolog.done()) return false;
          // The body's first bytes go back over the end of this slot's data, and are read.
          ring.carry(body);
          ring.scan({ at: slot.at + slot.bytes.length, bytes: new Uint8Array(0) });
          inBody = true;
        }
      }
      ring.release();
      progress.tell(ring.compressed);
      // The event loop gets a turn per slot (4 MB) even when the worker is always ahead.
      await new Promise((resolve) => setImmediate(resolve));
      // Once a quarter of the file is read, the case ids so far tell how many there are (the
      // worker reads a few MB ahead of the scanner: earlier, that would skew the guess).
      if (inBody && !reserved && ring.compressed * 4 >= size) {
        scanner.reserveCases(ring.compressed / size);
        reserved = true;
      }
    }
    progress.leftover = ring.leftover;
    return inBody;
  } finally {
    await ring.close();
  }
}

/**
 * Reads the prolog with the JS scanner into the session's reader, chunk by chunk (a document
 * that is no XES log fails in its first chunk), up to the first `<trace`.
 */
class PrologReader {
  readonly #session: XesSession;
  readonly #scanner: FastXesScanner;
  readonly #maxChars: number;
  // Strict UTF-8 (a BOM dropped), as the JS path decodes; a fault throws, and that path says.
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bytes not read yet: the end of the last chunk, which may begin `<trace`. */
  #pending: Buffer = Buffer.alloc(0);
  #chars = 0;

  constructor(session: XesSession, maxChars: number) {
    this.#session = session;
    this.#scanner = new FastXesScanner(session.reader);
    this.#maxChars = maxChars;
  }

  /** Reads the prolog part of `chunk`; the bytes from the first `<trace` on, once found. */
  write(chunk: Uint8Array): Buffer | null {
    const bytes = Buffer.concat([this.#pending, chunk]);
    const at = bytes.indexOf(TRACE_TAG);
    const end = at >= 0 ? at : Math.max(0, bytes.length - TRACE_TAG.length + 1);
    this.#read(bytes.subarray(0, end), at >= 0);
    if (at >= 0) return bytes.subarray(at);
    this.#pending = bytes.subarray(end);
    if (this.#chars > MAX_PROLOG) throw new Error('no trace this far in');
    return null;
  }

  #read(bytes: Uint8Array, last: boolean): void {
    const text = this.#decoder.decode(bytes, { stream: !last });
    this.#chars += text.length;
    this.#scanner.write(text);
  }

  /**
   * True when the prolog ends inside an unprefixed `<log>`, at its first level, with nothing
   * unfinished. The JS path bounds text between tags per chunk; a prolog longer than that
   * bound is left to it.
   */
  done(): boolean {
    return this.#chars <= this.#maxChars && this.#scanner.atRootLevel
      && this.#session.reader.atLogLevel;
  }
}

/** The keys the scanner must know, in XesReader's order of precedence for events. */
function rolesOf(keys: XesKeys): { key: string; role: number }[] {
  const roles = [
    { key: keys.case, role: XES_ROLE.caseKey },
    { key: keys.activity, role: XES_ROLE.activity },
    { key: keys.timestamp, role: XES_ROLE.time },
    { key: keys.lifecycle, role: XES_ROLE.lifecycle },
    { key: keys.resource, role: XES_ROLE.resource },
  ];
  if (keys.startTimestamp !== null) {
    roles.push({ key: keys.startTimestamp, role: XES_ROLE.start });
  }
  return roles;
}
