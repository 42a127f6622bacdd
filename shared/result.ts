// The headless contract `normscope.analysis/1` (DESIGN.md) as types: what the CLI writes, what the
// app shows and saves, what the corpus store keeps. Field names are statsmodels' own.
import type { Site } from './taps.js';

export const SCHEMA = 'normscope.analysis/1' as const;

export const COV_TYPES = ['nonrobust', 'HC0', 'HC1', 'HC2', 'HC3', 'HAC'] as const;
export type CovType = (typeof COV_TYPES)[number];

/** One OLS fit, as `statsmodels.OLS(y, X).fit()` reports it. */
export interface FitJSON {
  nobs: number;
  df_model: number;
  df_resid: number;
  params: number[];
  bse: number[];
  tvalues: number[];
  pvalues: number[];
  conf_int: [number, number][];
  rsquared: number;
  rsquared_adj: number;
  fvalue: number;
  f_pvalue: number;
  llf: number;
  aic: number;
  bic: number;
  ssr: number;
  ess: number;
  centered_tss: number;
  mse_model: number;
  mse_resid: number;
  condition_number: number;
  durbin_watson: number;
  omnibus: number;
  omnibus_pvalue: number;
  jarque_bera: number;
  jarque_bera_pvalue: number;
  skew: number;
  kurtosis: number;
  cov_type?: CovType;
}

export interface TokenJSON {
  id: number;
  text: string;
}

export interface LayerResult {
  layer: number;
  tap: string;
  /** ln ‖tap[t]‖₂, one per token. */
  log_norms: number[];
  fit: FitJSON;
}

/** Stable codes for everything that can go wrong with one document. */
export const DOCUMENT_ERROR_CODES = [
  'EMPTY',
  'NOT_TEXT',
  'BAD_ENCODING',
  'TOO_FEW_TOKENS',
  'NONFINITE',
  'READ_FAILED',
  'MODEL_FAILED',
  'CANCELLED',
  'TOO_LARGE',
  'NOT_A_FILE',
] as const;
export type DocumentErrorCode = (typeof DOCUMENT_ERROR_CODES)[number];

export interface DocumentOk {
  path: string;
  status: 'ok';
  /** sha256 of the document's bytes, so a result can be matched to its source. */
  sha256?: string;
  tokens: TokenJSON[];
  layers: LayerResult[];
}

export interface DocumentError {
  path: string;
  status: 'error';
  error: { code: DocumentErrorCode; message: string };
}

export type DocumentResult = DocumentOk | DocumentError;

export interface ModelInfo {
  name: string;
  source: string;
  n_layer: number;
  n_head: number;
  n_embd: number;
  n_positions: number;
  execution_provider: string;
  /** The family (config.json's architecture: gpt2, llama, mistral, qwen2, qwen3, gpt_neox, gemma2, gemma3_text). */
  family?: string;
  /** Key/value heads (grouped-query attention; n_head when none) and the size of each head. */
  n_kv_head?: number;
  head_dim?: number;
  /** The longest window of tokens one forward pass took: the model's context, capped at 4,096 unless asked otherwise. */
  context?: number;
  /** The weights' stored type (computed in float32 whatever it is). */
  dtype?: 'F32' | 'F16' | 'BF16';
  /** Parameters of the model without a separate LM head. */
  params?: number;
}

export interface Settings {
  component: Site;
  lags: number;
  start: number;
  cov: CovType;
  maxlags?: number;
}

export const DEFAULT_SETTINGS: Settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' };

export interface Provenance {
  normscope: string;
  model_sha256: string;
  model_revision: string | null;
  tokenizer_sha256: string;
  execution_provider: string;
  /** Why that provider (one sentence), and why each one preferred over it was passed over. */
  provider_reason?: string;
  provider_notes?: string[];
  /** Special tokens the tokenizer's post-processor added to every document (`<|begin_of_text|>`, `<bos>`); none for GPT-2. */
  special_tokens_added?: string[];
  created: string;
}

export interface AnalysisDocument {
  schema: typeof SCHEMA;
  model: ModelInfo;
  settings: Settings;
  provenance: Provenance;
  documents: DocumentResult[];
}
