// The analysis pipeline's public face (text → tokens → taps → series → design → fit).
// CONTRACT STUB: signatures are fixed for the corpus manager and the app; bodies land with issue 4.
import type { Site } from '../../../shared/taps.js';
import type { AnalysisDocument, DocumentResult, LayerResult, ModelInfo, Provenance, Settings, TokenJSON } from '../../../shared/result.js';
import type { Gpt2Model } from '../model/types.js';

/** A document's text, decoded, with the sha256 of its bytes. Throws NormscopeError EMPTY | NOT_TEXT | BAD_ENCODING | READ_FAILED. */
export interface LoadedText {
  path: string;
  text: string;
  sha256: string;
}

/** Everything the model produced for one document that any refit needs: log norms of every site, every layer. */
export interface DocumentTaps {
  tokens: TokenJSON[];
  /** site → per layer, ln‖tap[t]‖₂ for t = 0..T-1. */
  logNorms: Record<Site, Float64Array[]>;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called after each forward window (long documents run in several). */
  onProgress?: (p: { tokensDone: number; tokensTotal: number }) => void;
}

export declare function readText(path: string): Promise<LoadedText>;
/** Tokenize and run the model (overlapping windows past n_positions); throws NormscopeError on model failure or abort. */
export declare function computeTaps(model: Gpt2Model, text: string, options?: RunOptions): Promise<DocumentTaps>;
/** Fit every layer of one site from stored taps: no model needed. Throws TOO_FEW_TOKENS / NONFINITE. */
export declare function fitLayers(taps: DocumentTaps, settings: Settings): LayerResult[];
/** read → taps → fits for one file; never throws for a document's own problems (returns status 'error'). */
export declare function analyzeFile(model: Gpt2Model, path: string, settings: Settings, options?: RunOptions): Promise<{ result: DocumentResult; taps?: DocumentTaps }>;
export declare function modelInfo(model: Gpt2Model, name: string, source: string): ModelInfo;
export declare function provenance(model: Gpt2Model, revision: string | null): Promise<Provenance>;
export declare function analysisDocument(model: ModelInfo, settings: Settings, provenance: Provenance, documents: DocumentResult[]): AnalysisDocument;
