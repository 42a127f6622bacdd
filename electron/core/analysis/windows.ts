// tokens → forward windows: documents longer than the model's context run in overlapping windows,
// stride half the context, and each token keeps the activation of the window that gives it the most
// left context — the way strided perplexity is computed (Hugging Face's "Perplexity of fixed-length models").

/** One forward pass: ids [start, end) at positions 0..end-start-1; its activations for tokens [keep, end) are the document's. */
export interface Window {
  start: number;
  end: number;
  keep: number;
}

/**
 * Windows for a document of `nTokens` tokens on a model with `nPositions` positions: [0, n), [s, s+n), [2s, 2s+n), …
 * with s = ⌊n/2⌋, the last one cut at the document's end. Window k keeps the tokens no earlier window reached, so every
 * token is kept exactly once and, past the first window, sees at least n − s earlier tokens.
 */
export function planWindows(nTokens: number, nPositions: number): Window[] {
  if (!Number.isInteger(nPositions) || nPositions < 1) throw new RangeError(`nPositions must be a positive integer, got ${nPositions}`);
  if (nTokens <= 0) return [];
  const stride = Math.max(1, Math.floor(nPositions / 2));
  const windows: Window[] = [];
  let reached = 0;
  for (let start = 0; reached < nTokens; start += stride) {
    const end = Math.min(start + nPositions, nTokens);
    windows.push({ start, end, keep: reached });
    reached = end;
  }
  return windows;
}

/** Copies each window's kept part of a per-position array into the document-length `into`. */
export function stitchWindow(into: Float32Array, window: Window, values: ArrayLike<number>): void {
  const from = window.keep - window.start;
  for (let i = from; i < window.end - window.start; i++) into[window.start + i] = values[i]!;
}
