// The Compare view's shapes: runs to compare, progress per model and the finished comparison
// (shared/ipc.ts re-exports them).
import type { CompareBetaData, CompareLogNormData, CompareShareData, FigureName } from '../figures/types.js';
import type { ComparisonDocument } from '../comparison.js';
import type { FigureExportOptions, FileHandle, IpcError } from './common.js';

/** The Compare view's figures, by their `data-figure` id. */
export const COMPARE_VIEW_FIGURES = ['compare-beta-depth', 'compare-share-significant', 'compare-log-norms-depth'] as const satisfies readonly FigureName[];
export type CompareFigure = (typeof COMPARE_VIEW_FIGURES)[number];

/** The app compares 2 to 4 models (the CLI up to 8). */
export const COMPARE_APP_MODELS = { min: 2, max: 4 } as const;

/** A finished corpus run beside the open one (a sibling results folder), one model each. */
export interface CompareRunChoice {
  /** Folder handle (file:chooseFolder's kind) to pass to compare:start. */
  folder: FileHandle;
  model: string;
  documents: number;
  /** The open corpus' own folder. */
  current: boolean;
}

/** Compare the open document through installed models (docId + models), or sibling corpus runs (runs: folder handle ids). */
export interface CompareStartRequest {
  docId?: string;
  /** Model names as models:list gives them. */
  models?: string[];
  runs?: string[];
}

export interface CompareModelProgress {
  compareId: string;
  model: number;
  /** The model's name (or the run's folder name). */
  label: string;
  phase: 'waiting' | 'loading' | 'running' | 'done' | 'error' | 'cancelled';
  documentsDone: number;
  documentsTotal: number;
  /** Within the document in flight. */
  tokens?: { done: number; total: number };
  error?: IpcError;
}

/** A finished comparison: the `normscope.comparison/1` document (saved before this reply) and its figures' inputs. */
export interface CompareView {
  compareId: string;
  comparison: ComparisonDocument;
  figures: {
    'compare-beta-depth': CompareBetaData;
    'compare-share-significant': CompareShareData;
    /** Null for corpus runs. */
    'compare-log-norms-depth': CompareLogNormData | null;
  };
  savedTo: string;
}

export interface CompareFigureSaveRequest extends FigureExportOptions {
  compareId: string;
  figure: CompareFigure;
}
