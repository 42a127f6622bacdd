// The results store's public face: a folder of checksummed logs, its manifest, its lock and its shard.json.
export { CorpusStore, type OpenOptions } from './corpus-store.js';
export {
  RETRYABLE_CODES,
  STORE_SCHEMA,
  STORE_SCHEMA_V1,
  TAPS_FILE,
  TAPS_FILE_V1,
  RESULTS_FILE,
  MANIFEST_FILE,
  LOCK_FILE,
  type ModelIdentity,
  type StoreModelEntry,
  type Manifest,
  type RunEntry,
  type ResultRecord,
  type ResultEntry,
  type TapsRecord,
  type StoredFit,
} from './records.js';
export { readStoreManifest } from './manifest.js';
export { tapsFrame, parseTapsFrame, tapsLine, parseTapsLine } from './taps-lines.js';
export { releaseRequeuedLock } from './store-lock.js';
export { SHARD_FILE, SHARD_SCHEMA, readShardRecord, writeShardRecord, type ShardRecord } from './shard-record.js';
export { normalizeSettings, settingsKey } from './settings-key.js';
