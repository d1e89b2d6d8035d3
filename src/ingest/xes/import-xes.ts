/**
 * The XES / XES.gz importer: bytes → (gunzip) → strict UTF-8 → SAX events → compiled log.
 *
 * The document is streamed chunk by chunk: neither a tree nor the whole text is ever held, so
 * memory follows the compiled columns, not the file.
 */
import { SaxesParser } from 'saxes';
import { isLedgerflowError, LedgerflowError } from '../../errors.js';
import type { CompiledLog } from '../../log/compiled-log.js';
import { LogBuilder } from '../../log/log-builder.js';
import type { ByteSource, ImportOptions } from '../import-options.js';
import { resolveIngestLimits } from '../limits.js';
import { ZoneClock } from '../time-zone.js';
import { type ByteCounter, openBytes } from './byte-stream.js';
import { decodeUtf8 } from './utf8-text.js';
import { type XesCounts, XesReader, xesKeys } from './xes-reader.js';
import { parseXesDate } from './xes-time.js';
import { badXml, checkDoctype } from './xml-guard.js';

// Progress is reported at most once per this many compressed bytes (and once at the end).
const PROGRESS_STEP = 1 << 20;

/** Imports an XES log, plain or gzip-compressed (sniffed from the bytes 1F 8B). */
export async function importXes(
  source: ByteSource, options: ImportOptions = {},
): Promise<CompiledLog> {
  const file = options.sourceName ?? source.name;
  const keys = xesKeys(options);
  const builder = new LogBuilder({ lifecycle: options.lifecycle ?? 'pair', parseTime: null });
  const parser = new SaxesParser({ xmlns: false, position: true });
  // Naive times are read in the import's zone; the clock validates the zone name first.
  const clock = options.timezone === undefined ? null : new ZoneClock(options.timezone);
  const parseTime = clock === null || clock.isUtc
    ? (text: string) => parseXesDate(text)
    : (text: string) => parseXesDate(text, clock);
  const reader = new XesReader(builder, keys, file, parser, parseTime,
    options.skipBadRows === true);

  let declared: string | null = null;
  parser.on('xmldecl', (decl) => { declared = decl.encoding ?? null; });
  parser.on('doctype', (doctype) => checkDoctype(doctype, file, parser));
  // The parser holds an open tag's attributes, or text, until the tag ends: a 100 MB attribute
  // value would sit in memory whole. Text between two tag events is bounded instead.
  const maxBetweenTags = resolveIngestLimits(options.limits).maxRowChars;
  let sinceTag = 0;
  parser.on('opentag', (tag) => {
    sinceTag = 0;
    reader.openTag(tag.name, tag.attributes as Record<string, string>);
  });
  parser.on('closetag', () => {
    sinceTag = 0;
    reader.closeTag();
  });

  const counter: ByteCounter = { compressed: 0, gzip: false };
  let nextProgress = PROGRESS_STEP;
  let sawText = false;
  const bytes = openBytes(source, counter, options.limits);
  for await (const text of decodeUtf8(bytes, file, () => declared)) {
    sawText = true;
    write(parser, text, file);
    sinceTag += text.length;
    if (sinceTag > maxBetweenTags) throw tagTooLong(maxBetweenTags, file, parser);
    if (options.onProgress !== undefined && counter.compressed >= nextProgress) {
      nextProgress = counter.compressed + PROGRESS_STEP;
      options.onProgress(counter.compressed, source.size);
    }
  }
  if (!sawText) {
    throw new LedgerflowError('LF_ERR_INGEST_EMPTY_FILE',
      'there is no XML to read; choose the exported .xes or .xes.gz file', { file });
  }
  write(parser, null, file);
  options.onProgress?.(counter.compressed, source.size);

  tellCounts(reader.counts, options.onNote);
  return builder.finish({
    source: file,
    format: 'xes',
    mapping: mappingOf(keys),
    skippedRows: reader.counts.skipped,
  });
}

function tagTooLong(limit: number, file: string, at: SaxesParser): LedgerflowError {
  return new LedgerflowError('LF_ERR_INGEST_TOO_LARGE',
    `column ${at.column}: more than ${limit} characters of text or attributes without a tag ` +
    'ending (limit maxRowChars, LEDGERFLOW_MAX_ROW_CHARS); an XES value is short, so the file ' +
    'is damaged or hostile', { file, line: at.line });
}

/** Feeds text to the parser (null closes it), turning its failures into BAD_XML. */
function write(parser: SaxesParser, text: string | null, file: string): void {
  try {
    if (text === null) parser.close();
    else parser.write(text);
  } catch (err) {
    if (isLedgerflowError(err)) throw err;
    throw badXml(err, file, parser);
  }
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
