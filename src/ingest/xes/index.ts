/**
 * The XES importer: {@link importXes} reads `.xes` and `.xes.gz` event logs.
 */
export { importXes } from './import-xes.js';
export { MAX_DEPTH } from './xml-guard.js';
