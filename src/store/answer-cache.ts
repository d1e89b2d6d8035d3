/**
 * A memory-bounded cache of answers, keyed per log and question. Answers are kept as the JSON
 * text sent to clients, so a hit costs no mining and no serialisation, and its size is known.
 */

/** Default bound of the cache: 64 MiB of answer text. */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

interface Entry {
  logId: string;
  text: string;
  bytes: number;
}

/** Least-recently-used answers, evicted once their total size passes `maxBytes`. */
export class AnswerCache {
  readonly maxBytes: number;
  #bytes = 0;
  // A Map iterates in insertion order; re-inserting on a hit makes its first key the LRU one.
  readonly #entries = new Map<string, Entry>();

  constructor(maxBytes = DEFAULT_CACHE_BYTES) {
    this.maxBytes = maxBytes;
  }

  /** Bytes held now (two per UTF-16 code unit, a fair bound of the string's heap size). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Number of answers held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached answer text, or undefined. */
  get(logId: string, question: string): string | undefined {
    const key = cacheKey(logId, question);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.text;
  }

  /** Stores an answer; one larger than the whole bound is not kept. */
  set(logId: string, question: string, text: string): void {
    const key = cacheKey(logId, question);
    const bytes = text.length * 2 + key.length * 2;
    this.#remove(key);
    if (bytes > this.maxBytes) return;
    this.#entries.set(key, { logId, text, bytes });
    this.#bytes += bytes;
    for (const [oldest] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#remove(oldest);
    }
  }

  /** Forgets every answer about one log (it was deleted). */
  dropLog(logId: string): void {
    for (const [key, entry] of this.#entries) {
      if (entry.logId === logId) this.#remove(key);
    }
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}

// A NUL cannot occur in a log id, so the key splits back unambiguously.
function cacheKey(logId: string, question: string): string {
  return `${logId}\u0000${question}`;
}
