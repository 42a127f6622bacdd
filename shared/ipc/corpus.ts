// The corpus view's shapes: a batch's status and rows, the corpus summary and its figures
// (shared/ipc.ts re-exports them).
import type { Settings } from '../result.js';
import type { BetaDistributionsData, FigureName, ShareSignificantData } from '../figures/types.js';
import type { FigureExportOptions, FileHandle, IpcError } from './common.js';

/** While a batch runs, the corpus summary (corpus:results) is refreshed at most this often (ms). */
export const CORPUS_LIVE_REFRESH_MS = 2000;

/** The formats of corpus:exportTables (tokens.* and fits.*). */
export const CORPUS_TABLE_FORMATS = ['parquet', 'csv'] as const;
export type CorpusTableFormat = (typeof CORPUS_TABLE_FORMATS)[number];

export type CorpusState = 'idle' | 'running' | 'paused' | 'cancelled' | 'done' | 'error';
/** What a running job is busy with. */
export type CorpusPhase = 'scanning' | 'loading' | 'analyzing' | 'finishing';

/** The corpus figures, by their `data-figure` id (shared/figures). */
export const CORPUS_FIGURES = ['beta-distributions', 'share-significant'] as const satisfies readonly FigureName[];
export type CorpusFigure = (typeof CORPUS_FIGURES)[number];

export interface CorpusStartRequest {
  /** Handle ids from file:chooseFolder. */
  folder: string;
  resultsFolder: string;
  settings: Settings;
  /** Further files or folders by handle (a reopened results folder's recorded inputs beyond the first). */
  inputs?: string[];
}

/** How far a corpus job has come: what the core's run reports (electron/core/corpus CorpusRunStatus extends it) and
 * what the corpus view shows (CorpusStatus extends it). */
export interface CorpusJobProgress {
  state: CorpusState;
  /** null when idle or ended. */
  phase: CorpusPhase | null;
  /** Pause asked for; the document in flight finishes first. */
  pausing: boolean;
  documentsTotal: number;
  /** Finished in any way: analyzed, refit, skipped or failed. */
  documentsDone: number;
  documentsFailed: number;
  /** Already in the results folder for this model and settings. */
  documentsSkipped: number;
  /** Fitted from stored taps, without the model. */
  documentsRefit: number;
  /** Tokens that went through the model in this run. */
  tokensDone: number;
  /** Model tokens per second of analysis time (0 until the first document is analyzed). */
  tokensPerSecond: number;
  /** Seconds left, from the bytes still to analyze at the rate so far; null until there is a rate. */
  etaSeconds: number | null;
  /** The document in flight (the core's run: its path as given; the corpus view: its path within the chosen folder). */
  currentFile: string | null;
  /** Within the current document (long ones run in several windows). */
  currentTokens: { done: number; total: number } | null;
  /** Seconds running, pauses excluded. */
  elapsedSeconds: number;
  error?: IpcError;
}

/** The corpus view's picture of a job (the core's run reports a CorpusRunStatus; app/corpus-bindings.ts turns it into this). */
export interface CorpusStatus extends CorpusJobProgress {
  jobId: string;
  /** The texts: the chosen folder first, then any further recorded inputs (empty when a reopened folder's inputs are gone). */
  inputs: FileHandle[];
  results: FileHandle;
  settings: Settings;
  /** The model the results come from (null until a run has loaded it). */
  model: { name: string; execution_provider: string; demo: boolean } | null;
  /** Shown from a results folder's files (corpus:open), not from a run of this session. */
  reopened: boolean;
  /** Set when the inference process died on a job and a fresh one ran it again alone: which document, and why. */
  restart?: string;
}

export type CorpusRowStatus = 'pending' | 'running' | 'ok' | 'error';

export interface CorpusDocumentRow {
  /** Position in the batch (input order). */
  index: number;
  file: FileHandle;
  /** The path within the chosen folder, for display. */
  name: string;
  status: CorpusRowStatus;
  /** How the result came about: computed by the model, refit from stored taps, or found stored. */
  source: 'computed' | 'refit' | 'stored' | null;
  tokens: number | null;
  errorCode?: string;
  errorMessage?: string;
  /** Per layer (empty until the document has a result). */
  rsquared: number[];
  /** Per layer, per lag k (index k-1). */
  betas: number[][];
  /** Per layer, per lag k (index k-1). */
  pvalues: number[][];
}

/** A number the core may leave undefined (no finite estimate): null then. */
export type Maybe = number | null;

export interface CorpusCoefficientSummary {
  /** 0 is the intercept, k is lag k. */
  index: number;
  /** The term's name: const, lag1, lag2, … (analysis/table.ts termName). */
  term: string;
  /** Documents with a finite estimate. */
  n: number;
  mean: Maybe;
  sd: Maybe;
  quantiles: { min: Maybe; q25: Maybe; median: Maybe; q75: Maybe; max: Maybe };
  /** Share of the documents whose p < alpha. */
  shareSignificant: Maybe;
  nSignificant: number;
  /** Inverse-variance-weighted (fixed-effect) mean across documents, its standard error and confidence interval. */
  weightedMean: Maybe;
  weightedMeanSe: Maybe;
  weightedMeanConfInt: [number, number] | null;
  /** Cochran's Q test of the documents' spread beyond their standard errors, and I². */
  heterogeneity: { q: number; df: number; pvalue: Maybe; i2: number } | null;
}

/** A pooled OLS coefficient (common intercept, or one intercept per document). */
export interface CorpusPooledCoefficient {
  index: number;
  estimate: number;
  bse: number;
  pvalue: number;
  confInt: [number, number];
}

export interface CorpusPooledFit {
  nobs: number;
  /** R² (common intercept) or within-document R² (fixed effects). */
  rsquared: number;
  coefficients: CorpusPooledCoefficient[];
}

export interface CorpusLayerSummary {
  layer: number;
  tap: string;
  nDocuments: number;
  coefficients: CorpusCoefficientSummary[];
  /** OLS over every document's design stacked, one common intercept; or why it could not be fitted. */
  pooled: CorpusPooledFit | { error: IpcError } | null;
  /** The same with one intercept per document (the lag coefficients only). */
  fixedEffects: CorpusPooledFit | { error: IpcError } | null;
}

export interface CorpusResults {
  jobId: string;
  settings: Settings;
  alpha: number;
  /** Distinct document contents summarized. */
  counts: { total: number; ok: number; failed: number };
  layers: CorpusLayerSummary[];
  /** The corpus figures' inputs, picked from the summary (null without any fitted document). */
  figures: { 'beta-distributions': BetaDistributionsData; 'share-significant': ShareSignificantData } | null;
}

export interface CorpusFigureSaveRequest extends FigureExportOptions {
  jobId: string;
  figure: CorpusFigure;
}

export type CorpusProgress = CorpusStatus;

export interface CorpusDocumentEvent {
  jobId: string;
  row: CorpusDocumentRow;
}
