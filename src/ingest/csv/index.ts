/**
 * The CSV importer and its parts.
 */
export { importCsv } from './import-csv.js';
export { CsvTokenizer, type CsvRowHandler } from './csv-tokenizer.js';
export { detectDelimiter, DELIMITER_CANDIDATES } from './delimiter.js';
export { decodeUtf8, firstInvalidUtf8 } from './utf8-stream.js';
