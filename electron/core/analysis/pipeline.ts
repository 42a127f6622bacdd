// The arrows composed: file → text → tokens → taps → series, and on to fits for one document.
import { DOCUMENT_ERROR_CODES, type DocumentErrorCode, type DocumentResult, type Settings } from '../../../shared/result.js';
import { NormscopeError, isNormscopeError } from '../errors.js';
import type { Gpt2Model } from '../model/types.js';
import { checkLagSettings } from './design.js';
import { fitLayers } from './fit.js';
import { logNormsBySite } from './series.js';
import type { BatchLimits } from './batches.js';
import { tapNorms, tapNormsMany } from './taps.js';
import { readText } from './text.js';
import { tokenizeText } from './tokens.js';
import type { DocumentTaps, RunOptions } from './types.js';

/** Tokenize and run the model (overlapping windows past n_positions); throws NormscopeError on model failure or abort. */
export async function computeTaps(model: Gpt2Model, text: string, options: RunOptions = {}): Promise<DocumentTaps> {
  const { ids, tokens } = tokenizeText(model, text);
  const norms = await tapNorms(model, ids, options);
  return { tokens, logNorms: logNormsBySite(norms, model.config.n_layer) };
}

/** read → taps → fits for one file; never throws for a document's own problems (returns status 'error').
 * Throws BAD_INPUT for settings no document could satisfy (lags < 1, start < lags). */
export async function analyzeFile(
  model: Gpt2Model,
  path: string,
  settings: Settings,
  options: RunOptions & { maxBytes?: number } = {},
): Promise<{ result: DocumentResult; taps?: DocumentTaps }> {
  return (await analyzeFiles(model, [path], settings, options))[0]!;
}

/**
 * analyzeFile for several files with one model, the short ones' forward passes batched (tapNormsMany): results in input
 * order, each equal to its own run's to float rounding; a file that cannot be read, tokenized, run or fitted fails
 * alone; on a cancel every document read so far is CANCELLED (the pass it was in may not have finished). Throws
 * BAD_INPUT for impossible settings.
 */
export async function analyzeFiles(
  model: Gpt2Model,
  paths: readonly string[],
  settings: Settings,
  options: RunOptions & { limits?: BatchLimits; maxBytes?: number } = {},
): Promise<{ result: DocumentResult; taps?: DocumentTaps }[]> {
  checkLagSettings(settings.lags, settings.start);
  const failed = (path: string, e: unknown, taps?: DocumentTaps) => ({ result: { path, status: 'error', error: documentError(e) } as const, ...(taps ? { taps } : {}) });
  const out: { result: DocumentResult; taps?: DocumentTaps }[] = new Array(paths.length);
  const read: { index: number; sha256: string; ids: number[]; tokens: DocumentTaps['tokens'] }[] = [];
  for (const [index, path] of paths.entries()) {
    try {
      if (options.signal?.aborted) throw new NormscopeError('CANCELLED', 'cancelled before this document was analyzed');
      const loaded = await readText(path, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
      read.push({ index, sha256: loaded.sha256, ...tokenizeText(model, loaded.text) });
    } catch (e) {
      out[index] = failed(path, e);
    }
  }
  let norms: Awaited<ReturnType<typeof tapNormsMany>>;
  try {
    norms = await tapNormsMany(model, read.map((r) => r.ids), options);
  } catch (e) {
    // only a cancel gets here (tapNormsMany gives every other failure to its document)
    for (const r of read) out[r.index] = failed(paths[r.index]!, e);
    return out;
  }
  for (const [k, r] of read.entries()) {
    const path = paths[r.index]!;
    const computed = norms[k]!;
    if ('error' in computed) {
      out[r.index] = failed(path, computed.error);
      continue;
    }
    const taps: DocumentTaps = { tokens: r.tokens, logNorms: logNormsBySite(computed.norms, model.config.n_layer) };
    try {
      out[r.index] = { result: { path, status: 'ok', sha256: r.sha256, tokens: taps.tokens, layers: fitLayers(taps, settings) }, taps };
    } catch (e) {
      out[r.index] = failed(path, e, taps);
    }
  }
  return out;
}

const DOCUMENT_CODES: ReadonlySet<string> = new Set(DOCUMENT_ERROR_CODES);

/** Any failure while analyzing one document, as that document's error; unexpected ones count as the model's. */
function documentError(e: unknown): { code: DocumentErrorCode; message: string } {
  if (isNormscopeError(e) && DOCUMENT_CODES.has(e.code)) return { code: e.code as DocumentErrorCode, message: e.message };
  return { code: 'MODEL_FAILED', message: (e as Error)?.message ?? String(e) };
}
