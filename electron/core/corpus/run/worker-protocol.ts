// The messages between the main process (the corpus queue, the document view, the Compare view) and its inference
// worker process.
import type { DocumentErrorCode, DocumentResult, Settings } from '../../../../shared/result.js';
import type { DocumentTaps } from '../../analysis/index.js';
import type { ArchitectureDescription, ExecutionProvider, LoadOptions } from '../../model/index.js';
import type { StoredFit } from '../store/index.js';

export interface WorkerInit {
  modelDir: string;
  loadOptions: LoadOptions;
  /** Largest document the worker reads (the queue checked it already; a file that grew since is refused). */
  maxBytes?: number | undefined;
}

export type ToWorker =
  /** Read, tokenize, run the model, fit: one document (`sha256`: its content hash as the main thread read it). */
  | { type: 'analyze'; id: number; path: string; sha256: string; settings: Settings }
  /** The same for several short documents at once, their forward passes batched: one outcome each, in order. */
  | { type: 'analyze-many'; id: number; documents: { path: string; sha256: string }[]; settings: Settings }
  /** Fit stored taps (their taps.bin frame) with (new) settings: no model run. */
  | { type: 'fit'; id: number; tapsFrame: Uint8Array; settings: Settings }
  /** The document view: tokenize a text the main process read and run the model; its taps come back (fits stay in main). */
  | { type: 'taps'; id: number; text: string }
  /** The Compare view: one file read, run and fitted as `normscope analyze` does (analyzeFile); its result comes back. */
  | { type: 'result'; id: number; path: string; settings: Settings }
  | { type: 'abort'; id: number }
  /** Finish what is in flight, release the model, end the thread (terminating a thread inside onnxruntime can crash the process). */
  | { type: 'stop' };

export interface WorkerModel {
  config: ArchitectureDescription;
  executionProvider: ExecutionProvider;
  providerNotes: string[];
  hashes: { model: string; tokenizer: string };
  /** What a result's model description and provenance need besides (modelInfo, provenance). */
  providerReason: string;
  context: number;
  dtype: 'F32' | 'F16' | 'BF16';
  addedSpecialTokens: string[];
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
  | { type: 'done-many'; id: number; outcomes: JobOutcome[] }
  | { type: 'taps'; id: number; taps: DocumentTaps }
  | { type: 'result'; id: number; result: DocumentResult }
  /** A taps or result job that failed as a whole (a cancel, a model failure, settings no document can meet). */
  | { type: 'failed'; id: number; error: { code: string; message: string } };

