// The document view's channels' shapes: the model's status, one opened document, its refit and its figures
// (shared/ipc.ts re-exports them).
import type { LayerResult, ModelInfo, Provenance, Settings, TokenJSON } from '../result.js';
import type { FigureName, ThemeName } from '../figures/types.js';
import type { ProviderChoice } from '../providers.js';
import type { ExportFormat, FigureExportOptions, FileHandle, IpcError, PngResolution } from './common.js';

/** The figures of the document view, by their `data-figure` id (shared/figures). */
export const DOCUMENT_FIGURES = [
  'attention-norm-strip',
  'attention-norm-histograms',
  'beta-across-layers',
  'log-norm-heatmap',
] as const satisfies readonly FigureName[];
export type DocumentFigure = (typeof DOCUMENT_FIGURES)[number];

export type ModelState = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelStatus {
  state: ModelState;
  /** What is happening now, in words ("Reading weights…"). */
  detail?: string;
  model?: ModelInfo & {
    demo: boolean;
    revision: string | null;
    /** what was asked for, why the provider in use is the one, and why each one preferred over it was passed over */
    providerChoice: ProviderChoice;
    providerReason: string;
    providerNotes: string[];
  };
  loadMs?: number;
  error?: IpcError;
}

/** One opened document with everything the document view shows. The renderer computes nothing from it but layout. */
export interface DocumentView {
  docId: string;
  file: FileHandle;
  sha256: string;
  tokens: TokenJSON[];
  settings: Settings;
  /** One per layer of settings.component: log norms of every token and the fit. */
  layers: LayerResult[];
  model: ModelInfo & { demo: boolean };
  provenance: Provenance;
  /** The saved result file (display form); written before this reply was sent. */
  savedTo: string;
  timings: { readMs: number; modelMs: number; fitMs: number; saveMs: number };
}

export interface RefitView {
  docId: string;
  settings: Settings;
  layers: LayerResult[];
  savedTo: string;
  fitMs: number;
}
export interface FigureSaveRequest extends FigureExportOptions {
  docId: string;
  figure: DocumentFigure;
}

export interface FigureSaveAllRequest {
  docId: string;
  formats: ExportFormat[];
  resolution?: PngResolution;
  theme: ThemeName;
}

export type DocumentPhase = 'reading' | 'loading-model' | 'running' | 'fitting' | 'saving' | 'done';

export interface DocumentProgress {
  docId: string;
  name: string;
  phase: DocumentPhase;
  tokensDone: number;
  tokensTotal: number;
}
