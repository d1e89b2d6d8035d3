/**
 * Opens an SQLite file with sql.js (SQLite compiled to WebAssembly: no native build).
 *
 * Limit: sql.js works on a database held in memory, so the whole file is read into a buffer and
 * copied into the WebAssembly heap, about twice its size in memory. Files over
 * {@link MAX_SQLITE_BYTES} are refused rather than risking the heap's 2 GiB ceiling.
 */
import { readFile } from 'node:fs/promises';
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import { LedgerflowError } from '../../errors.js';
import type { ByteSource } from '../import-options.js';

/** The largest SQLite file read (512 MiB): the file and its copy must fit the wasm heap. */
export const MAX_SQLITE_BYTES = 512 * 1024 * 1024;

// The WebAssembly module is compiled once per process, on first use.
let sqlJs: Promise<SqlJsStatic> | null = null;

/** Reads `source` whole and opens it as an SQLite database; the caller closes it. */
export async function openSqlite(source: ByteSource, file: string): Promise<Database> {
  const bytes = await readWhole(source, file);
  sqlJs ??= initSqlJs();
  const SQL = await sqlJs;
  let db: Database;
  try {
    db = new SQL.Database(bytes);
    // sql.js opens lazily: the first query is what finds a corrupt file.
    db.exec('SELECT name FROM sqlite_master LIMIT 1');
  } catch (err) {
    throw new LedgerflowError('LF_ERR_INGEST_BAD_SQLITE',
      `SQLite says ${JSON.stringify(String((err as Error).message ?? err))}; the file may be ` +
      'cut short or not a database: copy or export it again', { file }, err);
  }
  return db;
}

/** All rows of a query, as arrays of values. */
export function queryRows(db: Database, sql: string, params: SqlValue[] = []): SqlValue[][] {
  const statement = db.prepare(sql, params);
  const rows: SqlValue[][] = [];
  try {
    while (statement.step()) rows.push(statement.get());
  } finally {
    statement.free();
  }
  return rows;
}

/** The column names of a table, in declared order (empty when there is no such table). */
export function tableColumns(db: Database, table: string): string[] {
  return queryRows(db, `PRAGMA table_info(${quoteName(table)})`).map((r) => String(r[1]));
}

/** An SQL identifier in double quotes (table names come from the file itself). */
export function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function readWhole(source: ByteSource, file: string): Promise<Uint8Array> {
  if (source.size !== null && source.size > MAX_SQLITE_BYTES) throw tooLarge(file, source.size);
  if (source.path !== undefined) return readFile(source.path);
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source.open()) {
    size += chunk.length;
    if (size > MAX_SQLITE_BYTES) throw tooLarge(file, size);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

function tooLarge(file: string, size: number): LedgerflowError {
  return new LedgerflowError('LF_ERR_INGEST_TOO_LARGE',
    `the SQLite file has ${size} bytes or more, over the ${MAX_SQLITE_BYTES}-byte limit of ` +
    'the in-memory SQLite reader; export the object type you need into a smaller file ' +
    '(or a flat CSV log)', { file });
}
