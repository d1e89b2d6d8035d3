/**
 * The mining engine's public face: the contract types, the reference, the WASM engine and the
 * convenience `mine()` on a default engine.
 */
export {
  END, START, compareEdges, compareVariants, makeDurationSummary,
  type DfgEdge, type DurationSummary, type MineOptions, type MineResult, type Variant,
  VariantTable,
} from './mine-result.js';
export {
  bucketEstimate, bucketKey, bucketLow, histogramQuantile, histogramTotal, mergeHistograms,
  type LogLinearHistogram,
} from './histogram.js';
export { mineReference } from './reference.js';
export { createEngine, Engine, type EngineOptions, type LogHandle } from './engine.js';
export { closeDefaultEngine, mine } from './default-engine.js';
