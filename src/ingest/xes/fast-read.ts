/**
 * The fast XES reading path: strict UTF-8 text through {@link FastXesScanner}.
 *
 * It gives up (answers null) at the first thing it does not read exactly as saxes would, and
 * also at any error at all: the caller then reads the whole document again with saxes, which
 * rejects what is wrong with its own message and position. So a fault is never reported from
 * here, and a document is never half-read.
 */
import type { ByteSource, ImportOptions } from '../import-options.js';
import { isHeapBudgetError } from '../heap-budget.js';
import { resolveIngestLimits } from '../limits.js';
import { type ByteCounter, openBytes } from './byte-stream.js';
import { FastXesScanner } from './fast-scanner.js';
import { decodeUtf8 } from './utf8-text.js';
import { openSession, type XesSession } from './xes-session.js';

const PROGRESS_STEP = 1 << 20;

// The reader names an event's line only in errors, and errors are left to saxes.
const NOWHERE = { line: 0, column: 0 };

/** Reads an XES document with the fast scanner; null when saxes must read it instead. */
export async function readXesFast(
  source: ByteSource, options: ImportOptions,
): Promise<XesSession | null> {
  const file = options.sourceName ?? source.name;
  try {
    const session = openSession(options, file, NOWHERE);
    const scanner = new FastXesScanner(session.reader);
    // The same bound, counted the same way, as the saxes path puts on text between tags.
    const maxBetweenTags = resolveIngestLimits(options.limits).maxRowChars;
    let sinceTag = 0;
    const counter: ByteCounter = { compressed: 0, gzip: false };
    let nextProgress = PROGRESS_STEP;
    const bytes = openBytes(source, counter, options.limits);
    for await (const text of decodeUtf8(bytes, file, () => null)) {
      const before = scanner.tagEvents;
      scanner.write(text);
      if (scanner.tagEvents !== before) sinceTag = 0;
      sinceTag += text.length;
      if (sinceTag > maxBetweenTags) return null;
      if (options.onProgress !== undefined && counter.compressed >= nextProgress) {
        nextProgress = counter.compressed + PROGRESS_STEP;
        options.onProgress(counter.compressed, source.size);
      }
    }
    scanner.close();
    options.onProgress?.(counter.compressed, source.size);
    return session;
  } catch (err) {
    // Texts past the heap's budget: saxes would read them all again only to meet the same
    // budget, holding more meanwhile. The error is given as it is, without a line (this
    // reader knows none).
    if (isHeapBudgetError(err)) throw err;
    // A miss, or a fault saxes will report with its own position (or meet again).
    return null;
  }
}
