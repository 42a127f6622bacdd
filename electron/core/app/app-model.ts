// The app's one loaded model for the document view: loaded on first use, its status told to the renderer, swapped when
// the model library or the provider setting changes; a model replaced while a document still runs on it is disposed
// once no run is in flight.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ModelStatus } from '../../../shared/ipc.js';
import type { ModelInfo } from '../../../shared/result.js';
import { modelInfo } from '../analysis/index.js';
import { NormscopeError } from '../errors.js';
import { loadModel, type Gpt2Model, type LoadOptions } from '../model/index.js';
import { resolveModel } from '../models/index.js';
import type { AppPlatform } from './platform.js';

export interface LoadedModel {
  dir: string;
  model: Gpt2Model;
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

export class AppModel {
  private loading: Promise<LoadedModel> | null = null;
  private current: ModelStatus = { state: 'idle' };
  /** Models replaced while a document still ran on them: disposed once no run is in flight. */
  private readonly retired: LoadedModel[] = [];
  private switching: Promise<void> = Promise.resolve();
  /** The document runs in flight (each one's abort controller). */
  readonly running = new Set<AbortController>();

  constructor(private readonly o: AppModelOptions) {}

  get status(): ModelStatus {
    return this.current;
  }

  /** The loaded model, loading it first when there is none. */
  ensure(): Promise<LoadedModel> {
    this.loading ??= this.load().catch((e: unknown) => {
      this.loading = null;
      const err = e instanceof NormscopeError ? { code: e.code, message: e.message } : { code: 'MODEL_FAILED', message: String((e as Error)?.message ?? e) };
      this.setStatus({ state: 'error', error: err });
      throw e;
    });
    return this.loading;
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

  /** After the provider setting changed: drop the loaded model, so the next analysis (and the status) uses the new choice. */
  reload(): void {
    this.switching = this.switching.then(async () => {
      const current = this.loading ? await this.loading.catch(() => null) : null;
      this.replace(current);
    });
  }

  /** Disposes the replaced models once no document runs on them. */
  disposeRetired(): void {
    if (this.running.size > 0) return;
    for (const m of this.retired.splice(0)) m.model.dispose().catch(() => undefined);
  }

  async dispose(): Promise<void> {
    for (const c of this.running) c.abort();
    await this.switching;
    const m = await this.loading?.catch(() => null);
    this.loading = null;
    await m?.model.dispose();
    await Promise.all(this.retired.splice(0).map((r) => r.model.dispose()));
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
    const model = await loadModel(resolved.dir, loadOptions);
    const info = { ...modelInfo(model, resolved.name, resolved.source), demo: resolved.demo };
    // hash the weights for provenance now, in the background, so the first result does not wait for it
    model.hashes().catch(() => undefined);
    const loadMs = performance.now() - t0;
    this.setStatus({ state: 'ready', model: { ...info, revision: resolved.revision, providerChoice, providerReason: model.providerReason,
      providerNotes: [...model.providerNotes] }, loadMs });
    return { dir: resolved.dir, model, info, revision: resolved.revision };
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
    this.ensure().catch(() => undefined);
  }
}
