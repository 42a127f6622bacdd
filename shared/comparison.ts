// The comparison contract `normscope.comparison/1`: the same texts through several models (or several finished corpus
// runs, one model each), lined up by relative depth. What `normscope compare` writes and the app's Compare view shows.
import type { DocumentResult, ModelInfo, Provenance, Settings } from './result.js';

export const COMPARISON_SCHEMA = 'normscope.comparison/1' as const;

/** 2 to 8 models per comparison (the app offers 2 to 4). */
export const COMPARE_MIN_MODELS = 2;
export const COMPARE_MAX_MODELS = 8;

/** One model of the comparison: its description and provenance, or the typed error that stopped it. */
export interface ComparedModel {
  /** What was asked for (a folder, a registry name, or a corpus results folder). */
  spec: string;
  status: 'ok' | 'error';
  model?: ModelInfo;
  provenance?: Provenance;
  error?: { code: string; message: string };
}

/** One document through one model: `result` is exactly what `normscope analyze` reports for it. */
export interface ComparedResult {
  /** Index into `models`. */
  model: number;
  /** This model's tokenizer's count for the document (null when it could not be tokenized); tokens are never aligned
   * across tokenizers. */
  n_tokens: number | null;
  result: DocumentResult;
}

export interface ComparedDocument {
  path: string;
  /** Only the models that ran (a failed model has its error in `models`). */
  results: ComparedResult[];
  /** Whether the models' tokenizers cut this document into different numbers of tokens. */
  token_counts_differ: boolean;
}

/** Per model, each layer's relative depth layer / (n_layer − 1) (0 for a one-layer model). */
export interface ModelDepth {
  model: number;
  layers: { layer: number; depth: number }[];
}

/** Per model: share of its layer fits with p < alpha for each lag, and its mean β per lag (index k−1 is lag k). */
export interface ModelSummary {
  model: number;
  /** Layer fits counted (documents × layers for texts; for corpus runs, documents × layers of each folder's summary). */
  n_fits: number;
  share_significant: number[];
  mean_beta: number[];
}

/** `--runs`: one finished corpus folder, its pooled β and the share significant per layer, from its own summary. */
export interface ComparedRun {
  model: number;
  folder: string;
  documents: { total: number; ok: number; failed: number };
  layers: {
    layer: number;
    depth: number;
    /** Pooled OLS β and p per lag (null where the folder's pooled fit is unavailable). */
    pooled_beta: (number | null)[];
    pooled_pvalues: (number | null)[];
    /** Share of the folder's documents whose lag-k β has p < alpha. */
    share_significant: number[];
  }[];
}

export interface ComparisonDocument {
  schema: typeof COMPARISON_SCHEMA;
  settings: Settings;
  alpha: number;
  models: ComparedModel[];
  documents: ComparedDocument[];
  /** Only in a comparison of corpus runs. */
  runs?: ComparedRun[];
  depth: ModelDepth[];
  summary: ModelSummary[];
  created: string;
}
