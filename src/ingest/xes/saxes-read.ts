/**
 * The complete XES reading path: strict UTF-8 text through the saxes XML parser.
 *
 * Every document the fast scanner does not take is read here, and every error a user sees
 * about XML comes from here, with saxes's line and column.
 */
import { SaxesParser } from 'saxes';
import { isLedgerflowError, LedgerflowError } from '../../errors.js';
import type { ByteSource, ImportOptions } from '../import-options.js';
import { resolveIngestLimits } from '../limits.js';
import { type ByteCounter, openBytes } from './byte-stream.js';
import { decodeUtf8 } from './utf8-text.js';
import { openSession, type XesSession } from './xes-session.js';
import { badXml, checkDoctype } from './xml-guard.js';

// Progress is reported at most once per this many compressed bytes (and once at the end).
const PROGRESS_STEP = 1 << 20;

/** Reads an XES document with saxes into a new session; throws on any fault. */
export async function readXesSaxes(
  source: ByteSource, options: ImportOptions,
): Promise<XesSession> {
  const file = options.sourceName ?? source.name;
  const parser = new SaxesParser({ xmlns: false, position: true });
  const session = openSession(options, file, parser);
  const { reader } = session;

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
  return session;
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
