// The corpus manager's public face: folders in, a durable resumable results store out, corpus statistics on top.
export { startCorpusRun, CorpusRun } from './run/corpus-run.js';
export { runStoreBatch, formatStatus, filesOfShard, type StoreBatchOptions } from './run/batch.js';
export * from './store/index.js';
export { PooledLayer } from './summary/pooled-layer.js';
export { summarizeStore, SUMMARY_SCHEMA, type CorpusSummary, type SummaryOptions } from './summary/summarize-store.js';
export {
  corpusStatistics,
  coefficientSummary,
  inverseVarianceMean,
  FitCollector,
  pooledLayers,
  pooledOls,
  pooledFixedEffects,
  type DocumentFits,
  type CoefficientSummary,
  type LayerSummary,
  type WeightedMean,
  type FixedEffectsFit,
  type Quantiles,
  type Unavailable,
} from './summary/statistics.js';
export { writeSummaryFiles, writeStoreSummary, layersCsv, documentsCsv, SUMMARY_FILES, LAYER_COLUMNS } from './summary/summary-files.js';
export { exportTables, TOKENS_TABLE, FITS_TABLE, TABLE_FORMATS, type TableFormat, type ExportedTable, type ExportOptions } from './exports/table-export.js';
export { hashFile } from './run/hash-file.js';
export type { CorpusState, CorpusPhase, CorpusRunStatus, DocumentRow, DocumentSource, CorpusEvents, CorpusRunOptions, CorpusOutcome } from './run/types.js';
export { shardOf, type Shard } from './cluster/shard.js';
export { parseShard, resolveShard, SHARDS_ENV } from './cluster/shard-spec.js';
export { mergeShards, checkShards, describeCheck, type MergeOptions, type MergeReport, type ShardCheck, type ShardStatus } from './cluster/merge.js';
