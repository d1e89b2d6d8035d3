/**
 * The OCEL 2.0 SQLite importer and its parts.
 */
export { importOcelSqlite } from './import-ocel.js';
export { chooseObjectType, objectTypeEventCounts } from './object-type.js';
export { MAX_SQLITE_BYTES } from './sqlite-file.js';
export { summarizeOcelSqlite, type OcelSummary } from './ocel-summary.js';
