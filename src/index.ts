/**
 * ledgerflow as a library: open (import or load) a log, mine it, summarize it, close.
 *
 * ```ts
 * import { openLog, mine, summarizeLog, close } from 'ledgerflow';
 * const log = await openLog('invoices.csv');
 * const result = await mine(log);
 * console.log(summarizeLog(log, result).variants[0]);
 * await close();
 * ```
 */
import { closeDefaultEngine } from './engine/default-engine.js';
import { importLog } from './ingest/import-log.js';

/** Imports a log file of any supported format, or loads a compiled `.arrow` log. */
export const openLog = importLog;

/** Closes the default engine's worker pool (call before a process should exit). */
export const close = closeDefaultEngine;

export { mineLog as mine } from './engine/mine-log.js';
export { mineReference } from './engine/reference.js';
export { createEngine, Engine, type EngineOptions, type LogHandle } from './engine/engine.js';
export { closeDefaultEngine } from './engine/default-engine.js';
export {
  END, START, type DfgEdge, type DurationSummary, type MineOptions, type MineResult,
  type Variant, VariantTable,
} from './engine/mine-result.js';
export { histogramQuantile, type LogLinearHistogram } from './engine/histogram.js';
export { importLog, sniffFormat } from './ingest/import-log.js';
export { byteSourceFromBytes, byteSourceFromFile } from './ingest/byte-source.js';
export type {
  ByteSource, ColumnMapping, ImportOptions, LogFormat,
} from './ingest/import-options.js';
export { LogBuilder, type LifecycleMode, type LogBuilderOptions } from './log/log-builder.js';
export { loadCompiledLog, saveCompiledLog } from './log/log-file.js';
export {
  attributeValue, type AttributeColumn, type AttributeKind, type CompiledLog, type LogInfo,
} from './log/compiled-log.js';
export { summarizeLog, type LogSummary } from './analysis/log-summary.js';
export { generateLog, generateToFile, plantedRates } from './generate/index.js';
export {
  errorRegistry, isLedgerflowError, LedgerflowError, type ErrorCode,
} from './errors.js';
