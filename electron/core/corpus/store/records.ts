// What a results store holds: its file names and schemas, and the shapes of its records, manifest and index entries.
import type { DocumentErrorCode, FitJSON, ModelInfo, Settings } from '../../../../shared/result.js';
import type { RecordSpan } from './record-log.js';
import type { EncodedTaps } from './taps-codec.js';

export const STORE_SCHEMA = 'normscope.corpus/2' as const;
/** The first version's schema, read and upgraded. */
export const STORE_SCHEMA_V1 = 'normscope.corpus/1' as const;
export const TAPS_FILE = 'taps.bin';
/** Where a normscope.corpus/1 store keeps its taps (JSON Lines). */
export const TAPS_FILE_V1 = 'taps.jsonl';
export const RESULTS_FILE = 'results.jsonl';
export const MANIFEST_FILE = 'manifest.json';
export const LOCK_FILE = '.lock';

/** Which weights and tokenizer made a result: two results compare only when both match. */
export interface ModelIdentity {
  model_sha256: string;
  tokenizer_sha256: string;
}

/** Errors that say nothing lasting about the document, so a rerun tries it again. */
export const RETRYABLE_CODES: ReadonlySet<DocumentErrorCode> = new Set<DocumentErrorCode>(['READ_FAILED', 'MODEL_FAILED', 'CANCELLED']);

export interface StoredFit {
  layer: number;
  tap: string;
  fit: FitJSON;
}

/** A taps record of a normscope.corpus/1 store (taps.jsonl). */
export interface TapsRecord extends ModelIdentity, EncodedTaps {
  kind: 'taps';
  sha256: string;
  n_layer: number;
  created: string;
}

export interface ResultRecord extends ModelIdentity {
  kind: 'result';
  /** Content sha256; null when the file could not be read. */
  sha256: string | null;
  path: string;
  settings: Settings;
  status: 'ok' | 'error';
  error?: { code: DocumentErrorCode; message: string };
  n_tokens?: number;
  /** Fits of `settings.component`, one per layer (log norms live in taps.bin). */
  layers?: StoredFit[];
  /** Per layer, the document's sufficient statistics for the pooled corpus fits (summary/document-factors.ts encodeFactors);
   * absent in results written before normscope.corpus/2, whose summaries read the series instead. */
  factors?: string[];
  /** 'computed' by the model, or 'refit' from stored taps. */
  source: 'computed' | 'refit';
  created: string;
}

/** What the store keeps in memory about a result record (the fits stay on disk until read). */
export interface ResultEntry extends ModelIdentity {
  sha256: string | null;
  path: string;
  settingsKey: string;
  status: 'ok' | 'error';
  code?: DocumentErrorCode;
  n_tokens?: number;
  span: RecordSpan;
}

/** A model in the store's manifest (not the model manager's ModelEntry of shared/ipc.ts). */
export interface StoreModelEntry extends ModelInfo, ModelIdentity {
  revision: string | null;
}

export interface RunEntry {
  started: string;
  finished: string | null;
  state: string;
  inputs: string[];
  settings: Settings;
  model_sha256: string;
  counts: Record<string, number>;
}

export interface Manifest {
  schema: typeof STORE_SCHEMA | typeof STORE_SCHEMA_V1;
  normscope: string;
  created: string;
  updated: string;
  files: { taps: string; results: string };
  format: string;
  /** Set when a normscope.corpus/1 store was upgraded in place. */
  upgraded?: { from: string; at: string; taps_records: number; taps_skipped: number };
  models: StoreModelEntry[];
  runs: RunEntry[];
}
