/**
 * The XES / XES.gz importer: bytes -> (gunzip) -> strict UTF-8 -> XML element events ->
 * compiled log.
 *
 * The document is streamed chunk by chunk: neither a tree nor the whole text is ever held, so
 * memory follows the compiled columns, not the file. A WASM scanner reads the traces of the
 * common shape from the bytes into columns (wasm-read.ts); a document it declines goes to a
 * fast JS scanner for the shapes XES writers emit; any other document (or any fault) is read
 * again from the start by saxes.
 */
import type { CompiledLog } from '../../log/compiled-log.js';
import type { ByteSource, ImportOptions } from '../import-options.js';
import { readXesFast } from './fast-read.js';
import { readXesSaxes } from './saxes-read.js';
import { readXesWasm, xesWasmEnabled } from './wasm-read.js';
import type { XesCounts, xesKeys } from './xes-reader.js';

/** Which reading paths an import may take (tests turn the WASM one off to compare). */
export interface XesSettings {
  /** The WASM body scanner; default on unless `LEDGERFLOW_XES_WASM=0`. */
  wasm?: boolean;
  /** Files from this many bytes on are inflated by a worker (tests set 0 to use it always). */
  ringFrom?: number;
}

/** Imports an XES log, plain or gzip-compressed (sniffed from the bytes 1F 8B). */
export async function importXes(
  source: ByteSource, options: ImportOptions = {}, settings: XesSettings = {},
): Promise<CompiledLog> {
  const file = options.sourceName ?? source.name;
  const wasm = settings.wasm ?? xesWasmEnabled();
  const session = (wasm ? await readXesWasm(source, options, settings.ringFrom) : null)
    ?? await readXesFast(source, options) ?? await readXesSaxes(source, options);
  tellCounts(session.reader.counts, options.onNote);
  return session.builder.finish({
    source: file,
    format: 'xes',
    mapping: mappingOf(session.keys),
    skippedRows: session.reader.counts.skipped,
  });
}

function mappingOf(keys: ReturnType<typeof xesKeys>): Record<string, string> {
  const mapping: Record<string, string> = {
    case: keys.case, activity: keys.activity, timestamp: keys.timestamp,
    lifecycle: keys.lifecycle, resource: keys.resource,
  };
  if (keys.startTimestamp !== null) mapping.startTimestamp = keys.startTimestamp;
  return mapping;
}

function tellCounts(counts: XesCounts, onNote: ((note: string) => void) | undefined): void {
  if (onNote === undefined) return;
  if (counts.unnamedTraces > 0) {
    onNote(`${counts.unnamedTraces} traces have no case id; they were named trace-N after ` +
      'their position in the file');
  }
  if (counts.renamedTraces > 0) {
    onNote(`${counts.renamedTraces} traces repeat an earlier trace's case id; each was kept ` +
      'as its own case with a #2, #3… suffix');
  }
  if (counts.collections > 0) {
    onNote(`${counts.collections} list or container attributes were skipped (a column holds ` +
      'one value per event or case)');
  }
  if (counts.eventsOutsideTraces > 0) {
    onNote(`${counts.eventsOutsideTraces} events outside any trace were skipped`);
  }
  if (counts.foreignElements > 0) {
    onNote(`${counts.foreignElements} elements of other XML namespaces were skipped`);
  }
  for (const [reason, n] of Object.entries(counts.skipped)) {
    onNote(`${n} events skipped (${reason})`);
  }
}
