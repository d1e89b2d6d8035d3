/**
 * The SAP VBFA (sales document flow) importer and its parts.
 */
export { importSapVbfa, sapTime } from './import-sap-vbfa.js';
export { categoryName } from './vbfa-categories.js';
export { looksLikeSapVbfa, VBFA_COLUMNS } from './vbfa-header.js';
