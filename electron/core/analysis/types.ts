// The analysis pipeline's data between arrows (re-exported by index.ts).
import type { TokenJSON } from '../../../shared/result.js';
import type { Site } from '../../../shared/taps.js';

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
