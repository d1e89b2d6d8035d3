/**
 * The synthetic receivables log generator and the data template.
 */
export {
  ACTIVITIES, COL, TEMPLATE_COLUMNS, formatAmount, formatDate, formatTimestamp, rowToText,
  type Activity, type EventRow,
} from './columns.js';
export { csvField, csvLine } from './csv-writer.js';
export {
  DEFAULT_CUTOFF, LogGenerator, generateRows, type GenerateOptions, type GenerateSummary,
} from './generator.js';
export {
  generateToFile, writeCsv, type GenerateFileOptions, type GeneratedFormat,
} from './generate-to-file.js';
export { writeParquet } from './parquet-writer.js';
export {
  PLANTED_RATES, PROMISE_GRACE_DAYS, RATE_DEFINITIONS, RATE_IDS, REGIONS, SEGMENTS, describe,
  plantedRates, type PlantedRate, type RateId, type Region, type Segment,
} from './profiles.js';
export {
  COLUMN_INSTRUCTIONS, TEMPLATE_FILES, templateCsv, templateRows, templateToFiles,
  templateXlsxBuffer,
} from './template.js';
export { addRowsToBuilder, generateLog, generateLogWithSummary } from './to-log.js';
