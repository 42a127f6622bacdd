// texts × models → each model's analyze results, one model in memory at a time; a model that cannot be used is
// recorded with its typed error and the next one runs.
import { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS, type ComparedModel } from '../../../shared/comparison.js';
import type { DocumentResult, Settings } from '../../../shared/result.js';
import { analyzeFile, checkLagSettings, modelInfo, provenance } from '../analysis/index.js';
import { NormscopeError, isNormscopeError } from '../errors.js';
import { loadModel, type LoadOptions } from '../model/index.js';
import { resolveModel } from '../models/index.js';

/** Token progress within a document is sent at most this often (ms). */
const PROGRESS_MS = 200;

export type ComparePhase = 'waiting' | 'loading' | 'running' | 'done' | 'error' | 'cancelled';

/** One model's progress, sent at every phase change and after each document. */
export interface CompareProgress {
  model: number;
  spec: string;
  phase: ComparePhase;
  documentsDone: number;
  documentsTotal: number;
  /** The model's display name once resolved. */
  name?: string;
  /** Within the document in flight (sent at most every PROGRESS_MS while a long document runs). */
  tokens?: { done: number; total: number };
  error?: { code: string; message: string };
}

export interface CompareModelsOptions {
  /** Model folders or registry names, 2 to 8. */
  specs: readonly string[];
  /** Text files (collectInputs' output), analyzed in this order by every model. */
  files: readonly string[];
  settings: Settings;
  loadOptions?: LoadOptions;
  signal?: AbortSignal;
  onProgress?: (p: CompareProgress) => void;
}

/** One model's outcome: its description and its documents' results (none when it failed before running). */
export interface ModelRun {
  entry: ComparedModel;
  results: DocumentResult[];
}

/** Runs every model over every file, one after another. Throws BAD_USAGE for a model count outside 2–8, BAD_INPUT for
 * impossible settings; every other failure belongs to its model. */
export async function runModels(o: CompareModelsOptions): Promise<ModelRun[]> {
  if (o.specs.length < COMPARE_MIN_MODELS || o.specs.length > COMPARE_MAX_MODELS) {
    throw new NormscopeError('BAD_USAGE', `compare needs ${COMPARE_MIN_MODELS} to ${COMPARE_MAX_MODELS} models, got ${o.specs.length}`);
  }
  checkLagSettings(o.settings.lags, o.settings.start);
  const total = o.files.length;
  o.specs.forEach((spec, model) => o.onProgress?.({ model, spec, phase: 'waiting', documentsDone: 0, documentsTotal: total }));
  const runs: ModelRun[] = [];
  for (const [index, spec] of o.specs.entries()) runs.push(await runOne(index, spec, o));
  return runs;
}

async function runOne(index: number, spec: string, o: CompareModelsOptions): Promise<ModelRun> {
  const total = o.files.length;
  const report = (p: Omit<CompareProgress, 'model' | 'spec' | 'documentsTotal'>) => o.onProgress?.({ model: index, spec, documentsTotal: total, ...p });
  const failed = (e: unknown, phase: ComparePhase = 'error'): ModelRun => {
    const error = isNormscopeError(e) ? { code: e.code, message: e.message } : { code: 'MODEL_FAILED', message: (e as Error)?.message ?? String(e) };
    report({ phase, documentsDone: 0, error });
    return { entry: { spec, status: 'error', error }, results: [] };
  };
  if (o.signal?.aborted) return failed(new NormscopeError('CANCELLED', 'cancelled before this model ran'), 'cancelled');
  report({ phase: 'loading', documentsDone: 0 });
  let resolved, model;
  try {
    resolved = await resolveModel(spec);
    model = await loadModel(resolved.dir, o.loadOptions ?? {});
  } catch (e) {
    if (!isNormscopeError(e)) throw e;
    return failed(e);
  }
  try {
    const results: DocumentResult[] = [];
    const name = resolved.name;
    report({ phase: 'running', name, documentsDone: 0 });
    let last = performance.now();
    const onProgress = ({ tokensDone, tokensTotal }: { tokensDone: number; tokensTotal: number }) => {
      if (performance.now() - last < PROGRESS_MS) return;
      last = performance.now();
      report({ phase: 'running', name, documentsDone: results.length, tokens: { done: tokensDone, total: tokensTotal } });
    };
    // one document at a time, as `normscope analyze` runs them, so each result is the one analyze gives
    for (const file of o.files) {
      results.push((await analyzeFile(model, file, o.settings, { onProgress, ...(o.signal ? { signal: o.signal } : {}) })).result);
      report({ phase: 'running', name, documentsDone: results.length });
    }
    const entry: ComparedModel = {
      spec,
      status: 'ok',
      model: modelInfo(model, resolved.name, resolved.source),
      provenance: await provenance(model, resolved.revision),
    };
    const cancelled = results.some((r) => r.status === 'error' && r.error.code === 'CANCELLED');
    report({ phase: cancelled ? 'cancelled' : 'done', name, documentsDone: results.length });
    return { entry, results };
  } finally {
    await model.dispose();
  }
}
