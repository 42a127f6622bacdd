// texts × models → each model's analyze results, one model at a time, each in an inference process of its own (a native
// crash or a kill there leaves the caller running, and the model's memory goes when its process ends); a model that
// cannot be used is recorded with its typed error and the next one runs.
import { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS, type ComparedModel } from '../../../shared/comparison.js';
import type { DocumentResult, Settings } from '../../../shared/result.js';
import { checkLagSettings, modelInfo, provenance } from '../analysis/index.js';
import { InferenceWorker, withOneRestart, workerFacts } from '../corpus/run/inference-worker.js';
import { NormscopeError, isNormscopeError } from '../errors.js';
import type { LoadOptions } from '../model/index.js';
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
  /** The model's process died on `path` (a native crash, a kill): it is restarted and that document run again alone. */
  onRestart?: (r: { model: number; spec: string; path: string; message: string }) => void;
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
  let resolved, proc: ModelProcess;
  try {
    resolved = await resolveModel(spec);
    proc = await ModelProcess.start(resolved.dir, o.loadOptions ?? {});
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
    // the row shows the fresh process loading; the caller may say why
    const onRestart = (path: string, message: string) => {
      report({ phase: 'loading', name, documentsDone: results.length });
      o.onRestart?.({ model: index, spec, path, message });
    };
    // one document at a time, as `normscope analyze` runs them, so each result is the one analyze gives
    for (const file of o.files) {
      results.push(await proc.result(file, o.settings, { onProgress, onRestart, ...(o.signal ? { signal: o.signal } : {}) }));
      report({ phase: 'running', name, documentsDone: results.length });
    }
    const facts = workerFacts(proc.worker.model);
    const entry: ComparedModel = { spec, status: 'ok', model: modelInfo(facts, resolved.name, resolved.source), provenance: await provenance(facts, resolved.revision) };
    const cancelled = results.some((r) => r.status === 'error' && r.error.code === 'CANCELLED');
    report({ phase: cancelled ? 'cancelled' : 'done', name, documentsDone: results.length });
    return { entry, results };
  } catch (e) {
    // only the process dying twice on one document gets here: the model's failure
    if (!isNormscopeError(e)) throw e;
    return failed(e);
  } finally {
    await proc.stop();
  }
}

/** One model's inference process: a document that it dies on (a native crash, a kill) runs once more, alone, on a
 * fresh one; a second death there is the model's MODEL_FAILED. */
class ModelProcess {
  private constructor(
    private readonly dir: string,
    private readonly loadOptions: LoadOptions,
    public worker: InferenceWorker,
  ) {}

  static async start(dir: string, loadOptions: LoadOptions): Promise<ModelProcess> {
    return new ModelProcess(dir, loadOptions, await InferenceWorker.start({ modelDir: dir, loadOptions }));
  }

  async result(file: string, settings: Settings, o: DocumentRun): Promise<DocumentResult> {
    return withOneRestart(this.worker, (w) => once(w, file, settings, o), async (e) => {
      o.onRestart(file, e.message);
      this.worker = await InferenceWorker.start({ modelDir: this.dir, loadOptions: this.loadOptions });
      return this.worker;
    }, file, o.signal);
  }

  stop(): Promise<void> {
    return this.worker.terminate();
  }

}

/** How one document's run reports back, and what cancels it. */
interface DocumentRun {
  signal?: AbortSignal;
  onProgress: (p: { tokensDone: number; tokensTotal: number }) => void;
  onRestart: (path: string, message: string) => void;
}

/** One run; a cancel reaches the process, and the document's result is then CANCELLED, as analyzeFile gives it. */
async function once(worker: InferenceWorker, file: string, settings: Settings, o: DocumentRun): Promise<DocumentResult> {
  const cancelled = (message: string): DocumentResult => ({ path: file, status: 'error', error: { code: 'CANCELLED', message } });
  if (o.signal?.aborted) return cancelled('cancelled before this document was analyzed');
  try {
    return await worker.result(file, settings, o);
  } catch (e) {
    if (isNormscopeError(e) && e.code === 'CANCELLED') return cancelled(e.message);
    throw e;
  }
}
