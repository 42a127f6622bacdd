// What a corpus run tells its caller (app, CLI, tests): snapshots and events, plain data that crosses IPC as is.
import type { CorpusJobProgress } from '../../../../shared/ipc.js';
import type { DocumentErrorCode, Settings } from '../../../../shared/result.js';
import type { LoadOptions } from '../../model/index.js';
import type { ResolvedModel } from '../../models/index.js';
import type { CorpusStore } from '../store/index.js';

export type { CorpusPhase, CorpusState } from '../../../../shared/ipc.js';

/** A run's own status: the job's progress (the app's corpus view shows it as shared/ipc.ts CorpusStatus), with the
 * results folder and the model as the run knows them. */
export interface CorpusRunStatus extends CorpusJobProgress {
  outDir: string;
  /** provider_notes: why each provider preferred to the one in use was passed over (the worker's provider choice) */
  model: { name: string; model_sha256: string; tokenizer_sha256: string; execution_provider: string; provider_notes?: string[] } | null;
}

export type DocumentSource = 'computed' | 'refit' | 'stored';

/** One row of the per-document table. */
export interface DocumentRow {
  path: string;
  sha256: string | null;
  status: 'pending' | 'running' | 'ok' | 'error';
  /** How the result came about, once there is one. */
  source?: DocumentSource;
  tokens?: number;
  error?: { code: DocumentErrorCode; message: string };
  /** Per layer. */
  rsquared?: number[];
  /** Per layer, every coefficient (index 0 the intercept, k lag k). */
  params?: number[][];
  /** Per layer, p-value of every coefficient. */
  pvalues?: number[][];
}

export interface CorpusEvents {
  /** After every state change, document start and end, and at most every 100 ms within a document. */
  status: CorpusRunStatus;
  /** A document's row once its result is on disk (or it failed). */
  document: DocumentRow & { index: number };
  /** The inference process died on a job (a native crash, a kill); a fresh one runs the job again alone. */
  restart: { path: string; message: string };
}

export interface CorpusRunOptions {
  /** Files and folders (folders searched recursively for text files, hidden entries skipped). */
  paths: string[];
  /** The results folder (created if missing). */
  outDir: string;
  /** The model to run (models' resolveModel gives one). */
  model: Pick<ResolvedModel, 'dir' | 'name' | 'source' | 'revision'>;
  settings: Settings;
  loadOptions?: LoadOptions;
  /** Largest document read, in bytes (default DEFAULT_MAX_BYTES); a larger one is TOO_LARGE before it is opened. */
  maxBytes?: number;
  signal?: AbortSignal;
  /** How short documents are packed for batched forward passes (corpus-run's PACK_LIMITS); `{ documents: 1 }` runs
   * every document alone. */
  pack?: Partial<{ documents: number; bytes: number; documentBytes: number }>;
  /** A store the caller opened on `outDir` (the CLI's batch): the run uses it and leaves it open; else the run opens
   * and closes its own. */
  store?: CorpusStore;
  /** Content sha256 of files the caller hashed already, by path as given (the run hashes only the others). */
  hashes?: ReadonlyMap<string, string>;
}

export interface CorpusOutcome {
  state: 'done' | 'cancelled' | 'error';
  status: CorpusRunStatus;
  rows: DocumentRow[];
}
