/**
 * The defences of the XES reader against hostile XML.
 *
 * The parser (saxes) never reads a DTD or opens a file or URL; it knows only the five XML
 * entities and character references, and fails on any other reference. On top of that, a
 * DOCTYPE that declares entities is refused outright (no billion-laughs expansion, no
 * external entity), and element nesting is bounded so a very deep document fails early
 * instead of growing the parser's tag stack without end.
 */
import { LedgerflowError } from '../../errors.js';

/** Deepest element nesting accepted; real XES logs nest lists a few levels at most. */
export const MAX_DEPTH = 1000;

/** A place in the XML text, as the parser tracks it. */
export interface XmlPosition {
  readonly line: number;
  readonly column: number;
}

/** Rejects a DOCTYPE that declares any entity (general or parameter). */
export function checkDoctype(doctype: string, file: string, at: XmlPosition): void {
  if (!/<!ENTITY/i.test(doctype)) return;
  // The declaration itself is not quoted: it may name local files or hold a payload.
  throw new LedgerflowError('LF_ERR_INGEST_BAD_XML',
    `column ${at.column}: the DOCTYPE declares an entity; ledgerflow never expands DTD ` +
    'entities (they can read local files or explode in size). Remove the DOCTYPE: XES needs none',
    { file, line: at.line });
}

/** Throws when an element at `depth` is nested deeper than {@link MAX_DEPTH}. */
export function checkDepth(depth: number, file: string, at: XmlPosition): void {
  if (depth <= MAX_DEPTH) return;
  throw new LedgerflowError('LF_ERR_INGEST_TOO_LARGE',
    `column ${at.column}: elements nest deeper than ${MAX_DEPTH} levels; an XES log nests a ` +
    'few levels, so this document is damaged or hostile', { file, line: at.line });
}

/** Turns an error of the XML parser into `LF_ERR_INGEST_BAD_XML` with line and column. */
export function badXml(err: unknown, file: string, at: XmlPosition): LedgerflowError {
  // saxes prefixes "line:column: "; the place goes into the location instead.
  const text = err instanceof Error ? err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '') : '';
  return new LedgerflowError('LF_ERR_INGEST_BAD_XML',
    `column ${at.column}: ${text || 'parse error'} Fix the XML (only the five XML entities ` +
    'and character references are allowed) and import again', { file, line: at.line }, err);
}
