/**
 * The one registry of ledgerflow's typed errors.
 *
 * Every error a user can meet has a stable code (`LF_ERR_<AREA>_<PROBLEM>`), an HTTP status for
 * the server, and a message template. Messages say what was expected, what was found, where
 * (file, line or byte, field) and what to do. Codes are never reused for another meaning.
 */

/** Where in an input a problem was found. Every field is optional; give what is known. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  byte?: number;
  field?: string;
  value?: string;
}

interface ErrorSpec {
  status: number;
  message: string;
}

/** Code → status and a one-line default message (the thrower adds the specifics). */
export const errorRegistry = {
  LF_ERR_INGEST_EMPTY_FILE: { status: 400, message: 'the file is empty' },
  LF_ERR_INGEST_NOT_FOUND: { status: 404, message: 'the input file cannot be opened' },
  LF_ERR_INGEST_UNKNOWN_FORMAT: { status: 415, message: 'the file format is not recognised' },
  LF_ERR_INGEST_MISSING_COLUMN: { status: 400, message: 'a mapped column is missing' },
  LF_ERR_INGEST_BAD_ROW: { status: 400, message: 'a row is malformed' },
  LF_ERR_INGEST_BAD_TIMESTAMP: { status: 400, message: 'a timestamp cannot be read' },
  LF_ERR_INGEST_BAD_ENCODING: { status: 400, message: 'the text is not valid UTF-8' },
  LF_ERR_INGEST_BAD_XML: { status: 400, message: 'the XML is not well-formed' },
  LF_ERR_INGEST_NOT_XES: { status: 400, message: 'the XML document is not an XES log' },
  LF_ERR_INGEST_BAD_GZIP: { status: 400, message: 'the gzip stream is corrupt or truncated' },
  LF_ERR_INGEST_BAD_PARQUET: { status: 400, message: 'the Parquet file cannot be read' },
  LF_ERR_INGEST_BAD_ARROW: { status: 400, message: 'the Arrow IPC file cannot be read' },
  LF_ERR_INGEST_BAD_XLSX: { status: 400, message: 'the Excel workbook cannot be read' },
  LF_ERR_INGEST_TOO_LARGE: { status: 413, message: 'the input exceeds a configured limit' },
  LF_ERR_INGEST_BAD_SQLITE: { status: 400, message: 'the SQLite database cannot be read' },
  LF_ERR_INGEST_NOT_OCEL: { status: 400, message: 'the SQLite database is not an OCEL 2.0 log' },
  LF_ERR_LOG_BAD_COMPILED: { status: 400, message: 'the compiled log is inconsistent' },
  LF_ERR_OPTION_INVALID: { status: 400, message: 'an option has an invalid value' },
  LF_ERR_ENGINE_WORKER_FAILED: { status: 500, message: 'a worker failed while mining' },
  LF_ERR_ENGINE_CLOSED: { status: 503, message: 'the engine is closed' },
  LF_ERR_ANALYSIS_BAD_ROLES: { status: 400, message: 'the role mapping is invalid' },
  LF_ERR_OUTPUT_WRITE_FAILED: { status: 500, message: 'an output file cannot be written' },
  LF_ERR_HTTP_NOT_FOUND: { status: 404, message: 'no such resource' },
  LF_ERR_HTTP_UNAUTHORIZED: { status: 401, message: 'a valid API key is required' },
  LF_ERR_HTTP_PAYLOAD_TOO_LARGE: { status: 413, message: 'the upload exceeds the size limit' },
  LF_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE: {
    status: 415, message: 'the request body type is not accepted',
  },
  LF_ERR_HTTP_TOO_MANY_REQUESTS: { status: 429, message: 'too many imports are waiting' },
  LF_ERR_HTTP_BAD_QUERY: { status: 400, message: 'the request is invalid' },
  LF_ERR_HTTP_NOT_READY: { status: 409, message: 'the log is not ready' },
  LF_ERR_HTTP_INTERNAL: { status: 500, message: 'the server failed' },
  LF_ERR_HTTP_SHUTTING_DOWN: { status: 503, message: 'the server is shutting down' },
  LF_ERR_HTTP_HEADERS_TOO_LARGE: {
    status: 431, message: 'the request line and headers are too large',
  },
  LF_ERR_HTTP_TIMEOUT: { status: 408, message: 'the request timed out' },
} as const satisfies Record<string, ErrorSpec>;

/** A stable error code of ledgerflow. */
export type ErrorCode = keyof typeof errorRegistry;

/** The error every ledgerflow module throws for a problem a user can act on. */
export class LedgerflowError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly location: ErrorLocation;

  constructor(code: ErrorCode, detail: string, location: ErrorLocation = {}, cause?: unknown) {
    super(formatMessage(code, detail, location), cause === undefined ? undefined : { cause });
    this.name = 'LedgerflowError';
    this.code = code;
    this.status = errorRegistry[code].status;
    this.location = location;
  }
}

/** True when `err` is a {@link LedgerflowError}, optionally of one code. */
export function isLedgerflowError(err: unknown, code?: ErrorCode): err is LedgerflowError {
  return err instanceof LedgerflowError && (code === undefined || err.code === code);
}

// Values from a ledger may be long or sensitive: quote at most this many characters.
const MAX_QUOTED_VALUE = 80;
// A non-string value is previewed this many levels deep and this many items wide, so that a
// hostile value (nested 100,000 deep, or a million items) costs no more than a short one.
const PREVIEW_DEPTH = 2;
const PREVIEW_ITEMS = 4;

/**
 * Quotes a failing value for a message, cut short so no message echoes a whole field. Any
 * value is accepted: a non-string is shown as a short JSON-like preview, built without ever
 * walking or stringifying the whole value.
 */
export function quoteValue(value: unknown): string {
  const text = typeof value === 'string' ? value : previewValue(value, PREVIEW_DEPTH);
  const cut = text.length > MAX_QUOTED_VALUE ? `${text.slice(0, MAX_QUOTED_VALUE)}…` : text;
  return JSON.stringify(cut);
}

/** A short preview of any value: at most `depth` levels and a few items per level. */
function previewValue(value: unknown, depth: number): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > MAX_QUOTED_VALUE ? value.slice(0, MAX_QUOTED_VALUE)
      : value);
  }
  if (typeof value !== 'object' || value === null) return String(value);
  const isList = Array.isArray(value);
  const [open, close] = isList ? ['[', ']'] : ['{', '}'];
  if (depth === 0) return `${open}…${close}`;
  const parts: string[] = [];
  if (isList) {
    const list = value as unknown[];
    for (let i = 0; i < Math.min(list.length, PREVIEW_ITEMS); i++) {
      parts.push(previewValue(list[i], depth - 1));
    }
    if (list.length > PREVIEW_ITEMS) parts.push('…');
  } else {
    let count = 0;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (++count > PREVIEW_ITEMS) {
        parts.push('…');
        break;
      }
      const item = previewValue((value as Record<string, unknown>)[key], depth - 1);
      parts.push(`${JSON.stringify(key.slice(0, MAX_QUOTED_VALUE))}: ${item}`);
    }
  }
  return `${open}${parts.join(', ')}${close}`;
}

function formatMessage(code: ErrorCode, detail: string, where: ErrorLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.file);
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.byte !== undefined) parts.push(`byte ${where.byte}`);
  if (where.field !== undefined) parts.push(`field ${quoteValue(where.field)}`);
  const place = parts.length > 0 ? `${parts.join(', ')}: ` : '';
  const value = where.value !== undefined ? ` (value ${quoteValue(where.value)})` : '';
  return `${place}${errorRegistry[code].message}: ${detail}${value}`;
}
