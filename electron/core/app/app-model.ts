// The app's one model for the document view, loaded in an inference process of its own (corpus/run/process-host.ts)
// and kept there for later documents: its status told to the renderer, its process replaced when the model library or
// the provider setting changes (once no document runs on the old one), and restarted when it dies under a document.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ModelStatus } from '../../../shared/ipc.js';
import type { ModelInfo } from '../../../shared/result.js';
import { modelInfo, type DocumentTaps, type ModelFacts } from '../analysis/index.js';
import { InferenceWorker, withOneRestart, workerFacts } from '../corpus/run/inference-worker.js';
import { NormscopeError } from '../errors.js';
import type { LoadOptions } from '../model/index.js';
import { resolveModel } from '../models/index.js';
import type { AppPlatform } from './platform.js';

export interface LoadedModel {
  dir: string;
  /** The process the model lives in. */
  worker: InferenceWorker;
  /** What results say of the model (modelInfo, provenance), as its process reported it. */
  facts: ModelFacts;
  info: ModelInfo & { demo: boolean };
  revision: string | null;
}

export interface AppModelOptions {
  platform: AppPlatform;
  /** A model folder or registry name instead of the registry's default. */
  modelSpec?: string;
  /** The load options with the app's provider setting, read at each load. */
  loadOptions(): Promise<LoadOptions>;
}

/** How one document's model run reports back. */
export interface TapsRun {
  signal: AbortSignal;
  onProgress: (p: { tokensDone: number; tokensTotal: number }) => void;
  /** The process died under the document and a fresh one is loading the model to run it again. */
  onRestart?: () => void;
}

export class AppModel {
  private loading: Promise<LoadedModel> | null = null;
  private current: ModelStatus = { state: 'idle' };
  /** Models replaced while a document still ran on them: their processes end once no run is in flight. */
  private readonly retired: LoadedModel[] = [];
  private switching: Promise<void> = Promise.resolve();
  /** The process runs one document at a time: each waits for the one before. */
  private turn: Promise<unknown> = Promise.resolve();
  /** The document runs in flight (each one's abort controller). */
  readonly running = new Set<AbortController>();

  constructor(private readonly o: AppModelOptions) {}

  get status(): ModelStatus {
    return this.current;
  }

  /** The loaded model, loading it first when there is none or its process has stopped since. */
  async ensure(): Promise<LoadedModel> {
    const loading = this.loaded();
    const m = await loading;
    if (m.worker.alive) return m;
    if (this.loading === loading) this.loading = null;
    return this.loaded();
  }

  /** The taps of `text` from the model's process, one document at a time. When the process dies under it (a native
   * crash, a kill), that is reported, a fresh process loads the model and the document runs once more, alone; a
   * second death is the document's MODEL_FAILED. */
  taps(text: string, run: TapsRun): Promise<{ taps: DocumentTaps; model: LoadedModel }> {
    const job = this.turn.then(async () => {
      let m = await this.ensure();
      const taps = await withOneRestart(m.worker, (w) => w.taps(text, run), async (e) => {
        this.setStatus({ state: 'loading', detail: `${sentence(e.message)}: restarting it to run the document again…` });
        run.onRestart?.();
        m = await this.ensure();
        return m.worker;
      }, 'this document', run.signal);
      return { taps, model: m };
    });
    this.turn = job.catch(() => undefined);
    return job;
  }

  /** After the model library changed: when the model the app now resolves is another one, drop the loaded one and load
   * the new one (so the next analysis runs on it and the status bar says so). Runs one at a time. */
  libraryChanged(): Promise<void> {
    this.switching = this.switching.then(
      () => this.switchModel(),
      () => this.switchModel(),
    );
    return this.switching;
  }

  /** After the provider setting changed: replace the model's process, so the next analysis (and the status) uses the new choice. */
  reload(): void {
    this.switching = this.switching.then(async () => {
      const current = this.loading ? await this.loading.catch(() => null) : null;
      this.replace(current);
    });
  }

  /** Ends the replaced models' processes once no document runs on them. */
  disposeRetired(): void {
    if (this.running.size > 0) return;
    for (const m of this.retired.splice(0)) void m.worker.terminate();
  }

  async dispose(): Promise<void> {
    for (const c of this.running) c.abort();
    await this.switching;
    const m = await this.loading?.catch(() => null);
    this.loading = null;
    await m?.worker.terminate();
    await Promise.all(this.retired.splice(0).map((r) => r.worker.terminate()));
  }

  private loaded(): Promise<LoadedModel> {
    this.loading ??= this.load().catch((e: unknown) => {
      this.loading = null;
      const err = e instanceof NormscopeError ? { code: e.code, message: e.message } : { code: 'MODEL_FAILED', message: String((e as Error)?.message ?? e) };
      this.setStatus({ state: 'error', error: err });
      throw e;
    });
    return this.loading;
  }

  private setStatus(s: ModelStatus): void {
    this.current = s;
    this.o.platform.emit('model:progress', s);
  }

  private async load(): Promise<LoadedModel> {
    const t0 = performance.now();
    this.setStatus({ state: 'loading', detail: 'Finding the model…' });
    const resolved = await resolveModel(this.o.modelSpec);
    this.setStatus({ state: 'loading', detail: `Loading ${resolved.name}…` });
    const loadOptions = await this.o.loadOptions();
    const providerChoice = loadOptions.provider ?? 'auto';
    if (providerChoice !== 'cpu') this.setStatus({ state: 'loading', detail: `Loading ${resolved.name} (checking GPU providers against the CPU the first time)…` });
    const worker = await InferenceWorker.start({ modelDir: resolved.dir, loadOptions });
    const facts = workerFacts(worker.model);
    const info = { ...modelInfo(facts, resolved.name, resolved.source), demo: resolved.demo };
    const loadMs = performance.now() - t0;
    this.setStatus({ state: 'ready', model: { ...info, revision: resolved.revision, providerChoice, providerReason: facts.providerReason,
      providerNotes: [...facts.providerNotes] }, loadMs });
    return { dir: resolved.dir, worker, facts, info, revision: resolved.revision };
  }

  private async switchModel(): Promise<void> {
    const current = this.loading ? await this.loading.catch(() => null) : null;
    if (!current && this.current.state !== 'error') return;
    const next = await resolveModel(this.o.modelSpec).catch(() => null);
    if (current && next && path.resolve(next.dir) === path.resolve(current.dir) && next.name === current.info.name) return;
    this.replace(current);
  }

  private replace(current: LoadedModel | null): void {
    this.loading = null;
    if (current) this.retired.push(current);
    this.disposeRetired();
    this.loaded().catch(() => undefined);
  }
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
