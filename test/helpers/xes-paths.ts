/**
 * The XES import read both ways, the WASM body scanner on and off, for tests that hold the
 * two against each other: each answer is the compiled log with the notes, or the error's
 * code, message and details.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ByteSource, ImportOptions } from '../../src/ingest/import-options.js';
import { importXes } from '../../src/ingest/xes/index.js';

export type XesAnswer =
  | { log: Awaited<ReturnType<typeof importXes>>; notes: string[] }
  | { code: unknown; message: string; details: unknown };

/** importXes with the WASM path on or off (files from `ringFrom` bytes on by the worker). */
export async function importBy(
  source: ByteSource, options: ImportOptions, wasm: boolean, ringFrom?: number,
): Promise<XesAnswer> {
  const notes: string[] = [];
  try {
    const log = await importXes(source, { ...options, onNote: (n) => notes.push(n) },
      { wasm, ringFrom });
    return { log, notes };
  } catch (err) {
    const e = err as { code?: unknown; message: string; details?: unknown };
    return { code: e.code, message: e.message, details: e.details };
  }
}

/**
 * The fields in which two answers differ (none when they are the same). Node's deep equality
 * compares typed arrays natively: a log of a million events compares in well under a second.
 */
export function differences(a: XesAnswer, b: XesAnswer): string[] {
  if ('log' in a && 'log' in b) {
    const fields = Object.keys(a.log).filter((k) =>
      !isDeepStrictEqual(a.log[k as keyof typeof a.log], b.log[k as keyof typeof b.log]));
    if (!isDeepStrictEqual(a.notes, b.notes)) fields.push('notes');
    return fields;
  }
  return isDeepStrictEqual(a, b) ? [] : ['answer'];
}

/** `bytes` as a source handing them over in pieces of the given sizes (cycled). */
export function chunkedSource(bytes: Uint8Array, sizes: number[], name = 't.xes'): ByteSource {
  return {
    name, size: bytes.length,
    async *open() {
      let k = 0;
      for (let from = 0; from < bytes.length; k++) {
        const n = Math.max(1, sizes[k % sizes.length]);
        yield bytes.slice(from, from + n);
        from += n;
      }
    },
  };
}
