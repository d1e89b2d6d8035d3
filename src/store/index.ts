/**
 * The persisted store of compiled logs and the answer cache.
 */
export { AnswerCache, DEFAULT_CACHE_BYTES } from './answer-cache.js';
export { ImportSlots, type ImportTicket } from './import-slots.js';
export { isLogId, newLogId } from './log-id.js';
export { labelFromName, type LogRecord, type LogStatus } from './log-record.js';
export { LogStore, errorBody, type LogStoreOptions, type UploadedFile } from './log-store.js';
export { MANIFEST_FILE, type LogManifest } from './manifest.js';
