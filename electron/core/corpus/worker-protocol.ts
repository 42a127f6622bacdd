// The messages between the corpus queue (main thread) and its inference worker thread.
import type { DocumentErrorCode, Settings } from '../../../shared/result.js';
import type { DocumentTaps } from '../analysis/index.js';
import type { ExecutionProvider, Gpt2Config, LoadOptions } from '../model/types.js';
import type { StoredFit } from './store.js';

export interface WorkerInit {
  modelDir: string;
  loadOptions: LoadOptions;
}

export type ToWorker =
  /** Read, tokenize, run the model, fit: one document. */
  | { type: 'analyze'; id: number; path: string; settings: Settings }
  /** Fit stored taps with (new) settings: no model run. */
  | { type: 'fit'; id: number; taps: DocumentTaps; settings: Settings }
  | { type: 'abort'; id: number };

export interface WorkerModel {
  config: Gpt2Config;
  executionProvider: ExecutionProvider;
  providerNotes: string[];
  hashes: { model: string; tokenizer: string };
}

export interface JobError {
  code: DocumentErrorCode;
  message: string;
}

export interface JobOutcome {
  /** sha256 of the bytes the worker read (analyze jobs that got that far). */
  sha256?: string;
  /** Taps the model produced (analyze jobs), kept even when the fit then failed: other settings may fit them. */
  taps?: DocumentTaps;
  layers?: StoredFit[];
  error?: JobError;
  /** Tokens of the document, when tokenized. */
  tokens?: number;
}

export type FromWorker =
  | { type: 'ready'; model: WorkerModel }
  | { type: 'fatal'; error: { code: string; message: string } }
  | { type: 'progress'; id: number; tokensDone: number; tokensTotal: number }
  | { type: 'done'; id: number; outcome: JobOutcome };

/** Each log-norm array's own buffer, once: handed over between threads instead of copied. */
export function tapsTransferList(taps: DocumentTaps): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const layers of Object.values(taps.logNorms)) for (const a of layers) buffers.add(a.buffer as ArrayBuffer);
  return [...buffers];
}
