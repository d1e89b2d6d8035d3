/**
 * One entry point for every input format: sniffs the first bytes and hands the source to the
 * right importer. Compression is transport only: `.gz` inputs read like their plain form.
 */
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { LedgerflowError } from '../errors.js';
import type { CompiledLog } from '../log/compiled-log.js';
import { casesPathFor, loadCompiledLog } from '../log/log-file.js';
import { byteSourceFromFile, gunzipSource, peekBytes } from './byte-source.js';
import type { ByteSource, ImportOptions, LogFormat } from './import-options.js';

/** What the first bytes say a source is. */
export type SniffedFormat = LogFormat | 'gzip-xes' | 'gzip-csv' | 'compiled' | 'ocel-sqlite';

/** Imports a file (path) or a byte source into a compiled log, whatever its format. */
export async function importLog(
  input: string | ByteSource, options: ImportOptions = {},
): Promise<CompiledLog> {
  const source = typeof input === 'string'
    ? await byteSourceFromFile(input, options.sourceName) : input;
  const named: ImportOptions = { ...options, sourceName: options.sourceName ?? source.name };
  const format = options.format ?? await sniffFormat(source);

  // Importers load on first use: the CLI starts faster without Excel and Parquet code.
  switch (format) {
    case 'compiled':
      return openCompiled(source);
    case 'xes':
    case 'gzip-xes':
      return (await import('./xes/index.js')).importXes(source, named);
    case 'gzip-csv':
    case 'csv': {
      // An SAP VBFA table is a CSV of document links, not of events: it has its own importer.
      const sap = await import('./sap-vbfa/index.js');
      if (options.sapVbfa === true || await sap.looksLikeSapVbfa(source)) {
        return sap.importSapVbfa(source, named);
      }
      const { importCsv } = await import('./csv/index.js');
      const plain = format === 'gzip-csv' ? gunzipSource(source, options.limits) : source;
      return importCsv(plain, named);
    }
    case 'parquet':
      return (await import('./parquet.js')).importParquet(source, named);
    case 'arrow':
      return (await import('./arrow-table.js')).importArrowTable(source, named);
    case 'xlsx':
      return (await import('./xlsx.js')).importXlsx(source, named);
    case 'ocel-sqlite':
      return (await import('./ocel/index.js')).importOcelSqlite(source, named);
  }
}

/** Decides the format from the first bytes (never from the file name alone). */
export async function sniffFormat(source: ByteSource): Promise<SniffedFormat> {
  const head = await peekBytes(source, 64);
  if (head.length === 0) {
    throw new LedgerflowError('LF_ERR_INGEST_EMPTY_FILE',
      'there is nothing to import; export the log again', { file: source.name });
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    return looksLikeXml(await inflatedHead(source)) ? 'gzip-xes' : 'gzip-csv';
  }
  if (startsWith(head, 'PAR1')) return 'parquet';
  // Every SQLite database opens with this header; the OCEL importer checks the tables.
  if (startsWith(head, 'SQLite format 3\u0000')) return 'ocel-sqlite';
  if (startsWith(head, 'PK\u0003\u0004')) return 'xlsx';
  if (startsWith(head, 'ARROW1') || isArrowStream(head)) {
    return await isCompiledLog(source) ? 'compiled' : 'arrow';
  }
  if (looksLikeXml(head)) return 'xes';
  return 'csv';
}

function startsWith(bytes: Uint8Array, magic: string): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic.charCodeAt(i)) return false;
  return true;
}

// An Arrow IPC stream opens with a continuation marker 0xFFFFFFFF and a schema message.
function isArrowStream(head: Uint8Array): boolean {
  return head.length >= 8 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff &&
    head[3] === 0xff;
}

function looksLikeXml(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d ||
    head[i] === 0x09)) i++;
  return head[i] === 0x3c; // '<'
}

async function inflatedHead(source: ByteSource): Promise<Uint8Array> {
  const gunzip = createGunzip();
  const compressed = await peekBytes(source, 4096);
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    gunzip.on('data', (d: Buffer) => parts.push(d));
    // A short or cut head ends in an error; what was inflated so far is enough to sniff.
    const done = () => resolve(Buffer.concat(parts).subarray(0, 64));
    gunzip.on('error', done);
    gunzip.on('end', done);
    gunzip.end(compressed);
  });
}

async function isCompiledLog(source: ByteSource): Promise<boolean> {
  if (source.path === undefined) return false;
  // An Arrow IPC file ends in its footer (the schema, with our metadata keys in plain UTF-8),
  // then the footer's length (int32) and the magic "ARROW1": read just that tail.
  const { open } = await import('node:fs/promises');
  const handle = await open(source.path, 'r');
  try {
    const size = (await handle.stat()).size;
    if (size < 16) return false;
    const trailer = Buffer.alloc(10);
    await handle.read(trailer, 0, 10, size - 10);
    const footerLength = trailer.readInt32LE(0);
    if (trailer.toString('latin1', 4) !== 'ARROW1' || footerLength <= 0 ||
      footerLength > size - 10) {
      return false;
    }
    const footer = Buffer.alloc(footerLength);
    await handle.read(footer, 0, footerLength, size - 10 - footerLength);
    return footer.includes('ledgerflow.version');
  } finally {
    await handle.close();
  }
}

/**
 * A compiled log is two files, this one and its case table beside it; a lone events file (an
 * upload, a file copied alone) cannot be opened, and is refused naming the file the user gave.
 */
async function openCompiled(source: ByteSource): Promise<CompiledLog> {
  const eventsPath = source.path as string;
  const { access } = await import('node:fs/promises');
  const paired = await access(casesPathFor(eventsPath)).then(() => true, () => false);
  if (!paired) {
    throw new LedgerflowError('LF_ERR_LOG_BAD_COMPILED',
      'it is a compiled ledgerflow log, which is two files: this one and its case table ' +
      `(${path.basename(casesPathFor(source.name))}) beside it; import the source log ` +
      'instead, or open the compiled log where both files lie', { file: source.name });
  }
  return loadCompiledLog(eventsPath);
}
