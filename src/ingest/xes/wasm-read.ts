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

/** Whether the WASM path is on: `LEDGERFLOW_XES_WASM=0` turns it off, for comparisons. */
export function xesWasmEnabled(): boolean {
  return process.env.LEDGERFLOW_XES_WASM !== '0';
}

/** Reads an XES document with the WASM body scanner; null when the JS path must read it. */
export async function readXesWasm(
  source: ByteSource, options: ImportOptions,
): Promise<XesSession | null> {
  const file = options.sourceName ?? source.name;
  try {
    const session = openSession(options, file, NOWHERE);
    const maxRowChars = resolveIngestLimits(options.limits).maxRowChars;
    const counter: ByteCounter = { compressed: 0, gzip: false };
    let nextProgress = PROGRESS_STEP;
    let scanner: XesBodyScanner | null = null;
    const prolog = new PrologReader(session, maxRowChars);
    for await (const chunk of openBytes(source, counter, options.limits)) {
      if (scanner !== null) {
        scanner.write(chunk);
      } else {
        const body = prolog.write(chunk);
        if (body !== null) {
          if (!prolog.done()) return null;
          scanner = new XesBodyScanner({
            roles: rolesOf(session.keys), maxTokenBytes: Math.min(MAX_TOKEN, maxRowChars),
            naiveUtc: session.naiveUtc, readDate: session.parseTime,
          });
          scanner.write(body);
        }
      }
      if (options.onProgress !== undefined && counter.compressed >= nextProgress) {
        nextProgress = counter.compressed + PROGRESS_STEP;
        options.onProgress(counter.compressed, source.size);
      }
    }
    if (scanner === null) return null;
    const builder = builderOfBody(scanner.end(), options.lifecycle ?? 'pair');
    if (builder === null) return null;
    options.onProgress?.(counter.compressed, source.size);
    return { ...session, builder };
  } catch {
    // A miss, or a fault the JS readers report with their own message (or meet again).
    return null;
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
