/**
 * Parquet importer: a flat event table (one row per event) read with hyparquet, one row group
 * at a time, into a {@link TabularSink}.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetScan, parquetSchema } from 'hyparquet';
import type {
  AsyncBuffer, CompressionCodec, Compressors, FileMetaData, ParquetParsers, SchemaElement,
} from 'hyparquet';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { LedgerflowError, quoteValue } from '../errors.js';
import type { CompiledLog } from '../log/compiled-log.js';
import type { ByteSource, ImportOptions } from './import-options.js';
import { hexHead, readAllBytes, startsWith } from './table-bytes.js';
import { bigintCell, floorDivide, naiveTimeCell, otherCell } from './table-cells.js';
import { TabularSink, type Cell } from './tabular-sink.js';

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1", at both ends of every Parquet file

// hyparquet's default parsers truncate toward zero, which moves pre-1970 instants with
// sub-millisecond digits one ms late; flooring keeps every unit consistent with ISO text.
const parsers: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => new Date(Number(v)),
  timestampFromMicroseconds: (v: bigint) => new Date(floorDivide(v, 1000n)),
  timestampFromNanoseconds: (v: bigint) => new Date(floorDivide(v, 1_000_000n)),
};

// hyparquet decodes Snappy itself; gzip and Brotli come from node's zlib. Node 20 has no
// Zstandard, so a zstd file (the polars default) is refused with a way out.
const compressors: Compressors = {
  GZIP: (input) => gunzipSync(input),
  BROTLI: (input) => brotliDecompressSync(input),
};
const READABLE_CODECS = new Set<CompressionCodec>(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI']);

/** Reads a Parquet file of events into a compiled log. */
export async function importParquet(
  source: ByteSource, options: ImportOptions,
): Promise<CompiledLog> {
  const file = await openParquet(source, options);
  const metadata = await readMetadata(file, source);
  checkCodecs(metadata, source);
  const columns = parquetSchema(metadata).children.map((c) => c.element);
  const header = columns.map((c) => c.name);
  const convert = columns.map((c) => cellConverter(c, options));
  const sink = new TabularSink(header, options, 'parquet');

  let scan;
  try {
    scan = await parquetScan({ file, metadata, parsers, compressors });
  } catch (err) {
    throw bad(source, 'its row groups cannot be planned', err);
  }
  const totalRows = Number(metadata.num_rows);
  const cells: Cell[] = new Array<Cell>(header.length);
  // One row group at a time: only its decoded columns are held, never the whole file as rows.
  for (const { rowStart, rowEnd } of scan.ranges) {
    let data: ArrayLike<unknown>[];
    try {
      data = await Promise.all(
        header.map((column) => scan.readColumn({ column, rowStart, rowEnd })));
    } catch (err) {
      throw bad(source, `rows ${rowStart + 1}–${rowEnd} cannot be decoded`, err);
    }
    for (let r = 0; r < rowEnd - rowStart; r++) {
      for (let c = 0; c < header.length; c++) cells[c] = convert[c](data[c][r]);
      sink.addRow(cells, rowStart + r + 1);
    }
    if (source.size !== null) {
      const done = Math.round(source.size * (rowEnd / Math.max(totalRows, 1)));
      options.onProgress?.(done, source.size);
    }
  }
  return sink.finish();
}

async function openParquet(source: ByteSource, options: ImportOptions): Promise<AsyncBuffer> {
  let file: AsyncBuffer;
  if (source.path !== undefined) {
    file = await asyncBufferFromFile(source.path);
  } else {
    const bytes = await readAllBytes(source, options);
    file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  if (file.byteLength === 0) {
    throw new LedgerflowError('LF_ERR_INGEST_EMPTY_FILE', 'a Parquet file needs at least a footer',
      { file: source.name });
  }
  const head = new Uint8Array(await file.slice(0, 4));
  if (!startsWith(head, MAGIC)) {
    const found = hexHead(head, 4);
    throw new LedgerflowError('LF_ERR_INGEST_BAD_PARQUET',
      `it does not start with the Parquet magic "PAR1" (found bytes ${found}); ` +
      'check that the file is Parquet or pass the right format', { file: source.name, byte: 0 });
  }
  return file;
}

async function readMetadata(file: AsyncBuffer, source: ByteSource): Promise<FileMetaData> {
  try {
    return await parquetMetadataAsync(file);
  } catch (err) {
    throw bad(source, 'its footer cannot be read (is the file truncated?)', err);
  }
}

function checkCodecs(metadata: FileMetaData, source: ByteSource): void {
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const codec = chunk.meta_data?.codec;
      if (codec === undefined || READABLE_CODECS.has(codec)) continue;
      throw new LedgerflowError('LF_ERR_INGEST_BAD_PARQUET',
        `column ${quoteValue(chunk.meta_data?.path_in_schema.join('.') ?? '?')} is compressed ` +
        `with ${codec}, which cannot be read here; re-export with Snappy, gzip or no ` +
        "compression (polars: compression='snappy')", { file: source.name });
    }
  }
}

/** How one column's decoded values become cells. */
function cellConverter(column: SchemaElement, options: ImportOptions): (v: unknown) => Cell {
  const logical = column.logical_type;
  const naive = (logical?.type === 'TIMESTAMP' && !logical.isAdjustedToUTC)
    || column.converted_type === 'DATE';
  if (naive) {
    return (v) => (v instanceof Date ? naiveTimeCell(v.getTime(), options) : otherCell(v));
  }
  return (v) => {
    if (typeof v === 'string' || typeof v === 'number') return v;
    if (v === null || v === undefined) return null;
    if (typeof v === 'bigint') return bigintCell(v);
    return otherCell(v);
  };
}

function bad(source: ByteSource, what: string, err: unknown): LedgerflowError {
  const reason = err instanceof Error ? err.message : String(err);
  return new LedgerflowError('LF_ERR_INGEST_BAD_PARQUET',
    `${what}: ${quoteValue(reason)}; re-export the file, or check that the copy is complete`,
    { file: source.name }, err);
}
