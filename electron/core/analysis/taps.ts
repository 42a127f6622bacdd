// tokens → taps: the per-token L2 norm of every tap (all three sites, every layer) from one forward
// pass per window, stitched to one value per token. Storing all sites means any refit needs no model.
import { SITES, tapsOf } from '../../../shared/taps.js';
import { NormscopeError, isNormscopeError } from '../errors.js';
import type { Gpt2Model } from '../model/types.js';
import type { RunOptions } from './types.js';
import { planWindows, stitchWindow } from './windows.js';


/** Every tap name of the model, all sites, in site then layer order. */
export function allTaps(nLayer: number): string[] {
  return SITES.flatMap((site) => tapsOf(nLayer, site));
}

/** tap name → ‖tap[t]‖₂ (float32, as the graph computes it) for t = 0..T-1. Throws CANCELLED or MODEL_FAILED. */
export async function tapNorms(
  model: Pick<Gpt2Model, 'config' | 'forward'>,
  ids: readonly number[],
  options: RunOptions = {},
): Promise<Map<string, Float32Array>> {
  const taps = allTaps(model.config.n_layer);
  const out = new Map(taps.map((tap) => [tap, new Float32Array(ids.length)] as const));
  for (const window of planWindows(ids.length, model.config.n_positions)) {
    if (options.signal?.aborted) throw new NormscopeError('CANCELLED', 'cancelled before the analysis finished');
    let norms: Map<string, Float32Array>;
    try {
      ({ norms } = await model.forward(ids.slice(window.start, window.end), { norms: taps }));
    } catch (e) {
      if (isNormscopeError(e)) throw e;
      throw new NormscopeError('MODEL_FAILED', `the model failed on tokens ${window.start}–${window.end - 1}: ${(e as Error).message ?? e}`);
    }
    for (const tap of taps) {
      const values = norms.get(tap);
      if (!values || values.length !== window.end - window.start) {
        throw new NormscopeError('MODEL_FAILED', `the model returned no norms of length ${window.end - window.start} for ${tap}`);
      }
      stitchWindow(out.get(tap)!, window, values);
    }
    options.onProgress?.({ tokensDone: window.end, tokensTotal: ids.length });
  }
  return out;
}
