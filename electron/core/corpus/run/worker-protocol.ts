// The messages between the corpus queue (main thread) and its inference worker thread.
import type { DocumentErrorCode, Settings } from '../../../../shared/result.js';
import type { ExecutionProvider, Gpt2Config, LoadOptions } from '../../model/index.js';
import type { StoredFit } from '../store/index.js';

export interface WorkerInit {
  modelDir: string;
  loadOptions: LoadOptions;
}

export type ToWorker =
  /** Read, tokenize, run the model, fit: one document (`sha256`: its content hash as the main thread read it). */
  | { type: 'analyze'; id: number; path: string; sha256: string; settings: Settings }
  /** The same for several short documents at once, their forward passes batched: one outcome each, in order. */
  | { type: 'analyze-many'; id: number; documents: { path: string; sha256: string }[]; settings: Settings }
  /** Fit stored taps (their taps.bin frame) with (new) settings: no model run. */
  | { type: 'fit'; id: number; tapsFrame: Uint8Array; settings: Settings }
  | { type: 'abort'; id: number }
  /** Finish what is in flight, release the model, end the thread (terminating a thread inside onnxruntime can crash the process). */
  | { type: 'stop' };

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
  /** The taps the model produced as their taps.bin frame (encoded and checksummed here, so the main thread only writes
   * it), kept even when the fit then failed: other settings may fit them. */
  tapsFrame?: Uint8Array;
  layers?: StoredFit[];
  /** Per layer, the document's sufficient statistics for the pooled corpus fits (encodeFactors). */
  factors?: string[];
  error?: JobError;
  /** Tokens of the document, when tokenized. */
  tokens?: number;
}

export type FromWorker =
  | { type: 'ready'; model: WorkerModel }
  | { type: 'fatal'; error: { code: string; message: string } }
  | { type: 'progress'; id: number; tokensDone: number; tokensTotal: number }
  | { type: 'done'; id: number; outcome: JobOutcome }
  | { type: 'done-many'; id: number; outcomes: JobOutcome[] };

