// tokens → taps: the per-token L2 norm of every tap (all three sites, every layer) from one forward
// pass per window, stitched to one value per token. Storing all sites means any refit needs no model.
import { SITES, tapsOf } from '../../../shared/taps.js';
import { NormscopeError, isNormscopeError } from '../errors.js';
import type { Gpt2Model } from '../model/types.js';
import { DEFAULT_BATCH_LIMITS, planBatches, type BatchLimits } from './batches.js';
import type { RunOptions } from './types.js';
import { planWindows, stitchWindow } from './windows.js';


/** The longest window one forward pass takes: the loaded model's context (a GPT-2's n_positions unless capped). */
const contextOf = (model: { config: { n_positions: number }; context?: number }): number => model.context ?? model.config.n_positions;

/** Every tap name of the model, all sites, in site then layer order. */
export function allTaps(nLayer: number): string[] {
  return SITES.flatMap((site) => tapsOf(nLayer, site));
}

/** tap name → ‖tap[t]‖₂ (float32, as the graph computes it) for t = 0..T-1. Throws CANCELLED or MODEL_FAILED. */
export async function tapNorms(
  model: Pick<Gpt2Model, 'config' | 'forward'> & { context?: number },
  ids: readonly number[],
  options: RunOptions = {},
): Promise<Map<string, Float32Array>> {
  const taps = allTaps(model.config.n_layer);
  const out = new Map(taps.map((tap) => [tap, new Float32Array(ids.length)] as const));
  for (const window of planWindows(ids.length, contextOf(model))) {
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

/**
 * tapNorms of several documents: those that fit in one window run batched (planBatches), longer ones window by window
 * as tapNorms runs them. Each document's norms are what tapNorms gives it, to float rounding, or the error it alone
 * would have met: a batch that fails is run again one document at a time, so one bad document fails only itself.
 * Progress counts the tokens of all of them; CANCELLED is thrown.
 */
export async function tapNormsMany(
  model: Pick<Gpt2Model, 'config' | 'forward' | 'forwardRows'> & { context?: number },
  documents: readonly (readonly number[])[],
  options: RunOptions & { limits?: BatchLimits } = {},
): Promise<({ norms: Map<string, Float32Array> } | { error: unknown })[]> {
  const taps = allTaps(model.config.n_layer);
  const total = documents.reduce((n, ids) => n + ids.length, 0);
  let done = 0;
  const out: ({ norms: Map<string, Float32Array> } | { error: unknown })[] = new Array(documents.length);
  const alone = async (i: number) => {
    const before = done;
    const onProgress = options.onProgress && ((p: { tokensDone: number }) => options.onProgress!({ tokensDone: before + p.tokensDone, tokensTotal: total }));
    try {
      out[i] = { norms: await tapNorms(model, documents[i]!, { ...(options.signal ? { signal: options.signal } : {}), ...(onProgress ? { onProgress } : {}) }) };
    } catch (e) {
      if (isNormscopeError(e) && e.code === 'CANCELLED') throw e;
      out[i] = { error: e };
    }
    done = before + documents[i]!.length;
  };
  const short = documents.flatMap((ids, i) => (ids.length > 0 && ids.length <= contextOf(model) ? [i] : []));
  for (const batch of planBatches(short.map((i) => documents[i]!.length), options.limits ?? DEFAULT_BATCH_LIMITS)) {
    if (options.signal?.aborted) throw new NormscopeError('CANCELLED', 'cancelled before the analysis finished');
    const docs = batch.map((k) => short[k]!);
    let results: Awaited<ReturnType<typeof model.forwardRows>> | null = null;
    if (docs.length > 1) results = await model.forwardRows(docs.map((i) => documents[i]!), { norms: taps }).catch(() => null);
    if (!results) {
      for (const i of docs) await alone(i);
      continue;
    }
    docs.forEach((i, r) => {
      const norms = new Map<string, Float32Array>();
      for (const tap of taps) norms.set(tap, results[r]!.norms.get(tap)!.slice()); // a copy: a view would keep the whole batch's output alive
      out[i] = { norms };
      done += documents[i]!.length;
    });
    options.onProgress?.({ tokensDone: done, tokensTotal: total });
  }
  for (const i of documents.keys()) if (!out[i]) await alone(i);
  return out;
}
