/**
 * Options shared by every importer, and the byte source they read from.
 */
import type { LifecycleMode } from '../log/log-builder.js';
import type { IngestLimits } from './limits.js';

/** Which source field plays which role. Unset roles are auto-detected. */
export interface ColumnMapping {
  case?: string;
  activity?: string;
  timestamp?: string;
  startTimestamp?: string;
  resource?: string;
  lifecycle?: string;
}

/** The formats ledgerflow reads. */
export type LogFormat = 'csv' | 'xes' | 'parquet' | 'arrow' | 'xlsx';

/** Options of an import; every field is optional. */
export interface ImportOptions {
  /** Forces a format instead of sniffing the first bytes. */
  format?: LogFormat;
  mapping?: ColumnMapping;
  /**
   * Forces how ambiguous dates read: 'day-first' (31/12/2024), 'month-first' (12/31/2024),
   * or 'iso'. Unset, the form is decided once per column from its values, never per row.
   */
  dateFormat?: 'day-first' | 'month-first' | 'iso';
  /** IANA zone for times written without an offset; default 'UTC'. */
  timezone?: string;
  /** CSV delimiter; detected among `,` `;` tab `|` when unset. */
  delimiter?: string;
  /** Skip rows that cannot be read (counted by reason) instead of failing the import. */
  skipBadRows?: boolean;
  lifecycle?: LifecycleMode;
  /** Name used in messages and in the log's info (never a server path). */
  sourceName?: string;
  /** Called now and then with bytes read so far and the total when known. */
  onProgress?: (bytesRead: number, totalBytes: number | null) => void;
  /**
   * OCEL 2.0 logs: the object type whose objects become cases (default: the type related to
   * the most events).
   */
  objectType?: string;
  /** Read a CSV as an SAP VBFA document-flow table (also detected from its header). */
  sapVbfa?: boolean;
  /** Called once per note worth telling the user (the mapping chosen, rows skipped). */
  onNote?: (note: string) => void;
  /** Size limits (gzip inflation, CSV field and row); unset ones come from env or defaults. */
  limits?: Partial<IngestLimits>;
}

/** Bytes of an input, readable once as a stream, with a size when known. */
export interface ByteSource {
  /** File name for messages. */
  name: string;
  size: number | null;
  /**
   * Local file path when the bytes are a file on disk: lets readers that need random access
   * (Parquet footers, Arrow IPC files) seek instead of holding the whole file in memory.
   */
  path?: string;
  /** A fresh stream of the bytes each call (a file may be read twice; a request may not). */
  open(): AsyncIterable<Uint8Array>;
}
