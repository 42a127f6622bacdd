// The app's IPC API implemented against the core, as plain Node: one handler per channel of
// shared/ipc.ts. electron/ipc.ts binds it to ipcMain; test/harness binds it to HTTP.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DOCUMENT_FIGURES,
  type DocumentPhase,
  type DocumentView,
  type FileHandle,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type ModelStatus,
  type Prefs,
  type RecentFile,
  type SavedFile,
} from '../../../shared/ipc.js';
import type { LayerResult, ModelInfo, Provenance, Settings, TokenJSON } from '../../../shared/result.js';
import { analysisDocument, computeTaps, fitLayers, modelInfo, provenance, readText, type DocumentTaps } from '../analysis/index.js';
import { NormscopeError } from '../errors.js';
import { loadModel, type Gpt2Model, type LoadOptions } from '../model/index.js';
import { resolveModel } from '../models/index.js';
import { VERSION } from '../version.js';
import { figureFile, figureFileName } from './export.js';
import { createCorpusBindings } from './corpus.js';
import { createHandleRegistry, displayPath } from './handles.js';
import { createModelBindings } from './models.js';
import type { AppPlatform } from './platform.js';
import { createAppStore, sanitizePrefs, writeFileAtomic, type RecentEntry } from './store.js';

/** The channels this service answers itself; the model manager's are in ./models.ts (MODEL_CHANNELS), the corpus view's in ./corpus.ts (CORPUS_CHANNELS). */
export const SERVICE_CHANNELS = [
  'app:info',
  'prefs:get',
  'prefs:set',
  'model:status',
  'model:load',
  'file:open',
  'file:chooseFolder',
  'file:recent',
  'document:open',
  'document:cancel',
  'document:refit',
  'document:close',
  'figure:save',
  'figure:saveAll',
  'clipboard:write',
] as const satisfies readonly InvokeChannel[];
export type ServiceChannel = (typeof SERVICE_CHANNELS)[number];

export type Handlers = { [C in InvokeChannel]?: (req: InvokeRequest<C>) => Promise<InvokeResponse<C>> };

export interface AppServiceOptions {
  /** The app's data folder: prefs, recent files, results/. */
  dataDir: string;
  platform: AppPlatform;
  /** A model folder or registry name instead of the registry's default (the harness and the bench pass a fixture). */
  modelSpec?: string;
  loadOptions?: LoadOptions;
  /** Documents kept in memory for refits and exports (the oldest closes first). */
  maxOpenDocuments?: number;
  /** Told when the recent list changes (main rebuilds its Open Recent menu). */
  onRecentChanged?: (recent: RecentFile[]) => void;
  onPrefsChanged?: (prefs: Prefs) => void;
}

export interface AppService {
  readonly handlers: Handlers;
  /** A handle for a file dropped on the window (Electron: the path the preload read with webUtils). Checks it is a regular file. */
  registerDroppedFile(absPath: string): Promise<FileHandle>;
  /** Handles for the recent list (main's Open Recent menu). */
  recentFiles(): Promise<RecentFile[]>;
  dispose(): Promise<void>;
}

interface LoadedModel {
  dir: string;
  model: Gpt2Model;
  info: ModelInfo & { demo: boolean };
  revision: string | null;
}

interface OpenDocument {
  docId: string;
  path: string;
  file: FileHandle;
  sha256: string;
  taps: DocumentTaps;
  tokens: TokenJSON[];
  settings: Settings;
  layers: LayerResult[];
  model: ModelInfo & { demo: boolean };
  provenance: Provenance;
}

export function createAppService(o: AppServiceOptions): AppService {
  const { platform } = o;
  const store = createAppStore(o.dataDir);
  const handles = createHandleRegistry();
  const docs = new Map<string, OpenDocument>();
  const running = new Set<AbortController>();
  const maxOpen = o.maxOpenDocuments ?? 8;
  let modelPromise: Promise<LoadedModel> | null = null;
  let status: ModelStatus = { state: 'idle' };
  /** Models replaced while a document still ran on them: disposed once no run is in flight. */
  const retired: LoadedModel[] = [];
  let switching: Promise<void> = Promise.resolve();
  const models = createModelBindings({
    dataDir: o.dataDir,
    platform,
    ...(o.modelSpec !== undefined ? { modelSpec: o.modelSpec } : {}),
    onModelsChanged: () => (switching = switching.then(switchModel, switchModel)),
  });
  const corpus = createCorpusBindings({
    platform,
    handles,
    ...(o.modelSpec !== undefined ? { modelSpec: o.modelSpec } : {}),
    loadOptions: currentLoadOptions,
    // a stored document joins the open ones like any other: refits and figure saves work on its stored taps
    showDocument: ({ savedTo, readMs, ...stored }) => {
      const d: OpenDocument = { docId: crypto.randomBytes(16).toString('hex'), ...stored };
      keep(d);
      return view(d, savedTo, { readMs, modelMs: 0, fitMs: 0, saveMs: 0 });
    },
  });

  function setStatus(s: ModelStatus): void {
    status = s;
    platform.emit('model:progress', s);
  }

  function ensureModel(): Promise<LoadedModel> {
    modelPromise ??= loadDefaultModel().catch((e: unknown) => {
      modelPromise = null;
      const err = e instanceof NormscopeError ? { code: e.code, message: e.message } : { code: 'MODEL_FAILED', message: String((e as Error)?.message ?? e) };
      setStatus({ state: 'error', error: err });
      throw e;
    });
    return modelPromise;
  }

  async function loadDefaultModel(): Promise<LoadedModel> {
    const t0 = performance.now();
    setStatus({ state: 'loading', detail: 'Finding the model…' });
    const resolved = await resolveModel(o.modelSpec);
    setStatus({ state: 'loading', detail: `Loading ${resolved.name}…` });
    const loadOptions = await currentLoadOptions();
    const providerChoice = loadOptions.provider ?? 'auto';
    if (providerChoice !== 'cpu') setStatus({ state: 'loading', detail: `Loading ${resolved.name} (checking GPU providers against the CPU the first time)…` });
    const model = await loadModel(resolved.dir, loadOptions);
    const info = { ...modelInfo(model, resolved.name, resolved.source), demo: resolved.demo };
    // hash the weights for provenance now, in the background, so the first result does not wait for it
    model.hashes().catch(() => undefined);
    const loadMs = performance.now() - t0;
    setStatus({ state: 'ready', model: { ...info, revision: resolved.revision, providerChoice, providerReason: model.providerReason,
      providerNotes: [...model.providerNotes] }, loadMs });
    return { dir: resolved.dir, model, info, revision: resolved.revision };
  }

  /** After the model library changed: when the model the app now resolves is another one, drop the loaded one and load
   * the new one (so the next analysis runs on it and the status bar says so). Runs one at a time (`switching`). */
  async function switchModel(): Promise<void> {
    const current = modelPromise ? await modelPromise.catch(() => null) : null;
    if (!current && status.state !== 'error') return;
    const next = await resolveModel(o.modelSpec).catch(() => null);
    if (current && next && path.resolve(next.dir) === path.resolve(current.dir) && next.name === current.info.name) return;
    modelPromise = null;
    if (current) retired.push(current);
    disposeRetired();
    ensureModel().catch(() => undefined);
  }

  /** The load options with the app's provider setting (auto leaves NORMSCOPE_PROVIDER in charge); the corpus worker gets the same. */
  async function currentLoadOptions(): Promise<LoadOptions> {
    const base = o.loadOptions ?? {};
    if (base.provider !== undefined) return base;
    const { provider } = await store.readPrefs();
    return provider === 'auto' ? base : { ...base, provider };
  }

  /** After the provider setting changed: drop the loaded model, so the next analysis (and the status) uses the new choice. */
  function reloadModel(): void {
    switching = switching.then(async () => {
      const current = modelPromise ? await modelPromise.catch(() => null) : null;
      modelPromise = null;
      if (current) retired.push(current);
      disposeRetired();
      ensureModel().catch(() => undefined);
    });
  }

  function disposeRetired(): void {
    if (running.size > 0) return;
    for (const m of retired.splice(0)) m.model.dispose().catch(() => undefined);
  }

  async function recentFiles(): Promise<RecentFile[]> {
    return (await store.readRecent()).map((e) => recentOf(e));
  }

  function recentOf(e: RecentEntry): RecentFile {
    return { file: handles.issue(e.path, 'file'), openedAt: e.openedAt };
  }

  function doc(docId: string): OpenDocument {
    const d = docs.get(docId);
    if (!d) throw new NormscopeError('BAD_INPUT', 'that document is no longer open; open it again');
    return d;
  }

  function keep(d: OpenDocument): void {
    docs.set(d.docId, d);
    while (docs.size > maxOpen) docs.delete(docs.keys().next().value!);
  }

  async function saveResult(d: Pick<OpenDocument, 'path' | 'file' | 'sha256' | 'tokens' | 'layers' | 'settings' | 'model' | 'provenance'>): Promise<string> {
    const { demo: _demo, ...model } = d.model;
    const result = analysisDocument(model, d.settings, d.provenance, [
      { path: d.path, status: 'ok', sha256: d.sha256, tokens: d.tokens, layers: d.layers },
    ]);
    return store.saveResult(d.file.name, d.sha256, result);
  }

  function view(d: OpenDocument, savedTo: string, timings: DocumentView['timings']): DocumentView {
    return {
      docId: d.docId,
      file: d.file,
      sha256: d.sha256,
      tokens: d.tokens,
      settings: d.settings,
      layers: d.layers,
      model: d.model,
      provenance: d.provenance,
      savedTo: displayPath(savedTo),
      timings,
    };
  }

  async function writeFigure(target: string, bytes: Uint8Array): Promise<SavedFile> {
    await writeFileAtomic(target, bytes);
    return { displayPath: displayPath(target), name: path.basename(target), bytes: bytes.byteLength };
  }

  const handlers: { [C in ServiceChannel]: (req: InvokeRequest<C>) => Promise<InvokeResponse<C>> } = {
    async 'app:info'() {
      return {
        version: VERSION,
        host: platform.host,
        os: `${os.type()} ${os.release()} (${process.arch})`,
        resultsFolder: displayPath(store.resultsDir),
      };
    },

    async 'prefs:get'() {
      return store.readPrefs();
    },

    async 'prefs:set'(req) {
      const before = await store.readPrefs();
      const prefs = sanitizePrefs({ ...before, ...req });
      await store.writePrefs(prefs);
      if (prefs.provider !== before.provider) reloadModel();
      o.onPrefsChanged?.(prefs);
      return prefs;
    },

    async 'model:status'() {
      return status;
    },

    async 'model:load'() {
      await ensureModel();
      return status;
    },

    async 'file:open'() {
      const chosen = await platform.chooseOpenFile();
      return chosen ? handles.issue(chosen, 'file') : null;
    },

    async 'file:chooseFolder'(req) {
      const chosen = await platform.chooseFolder(req.purpose);
      return chosen ? handles.issue(chosen, 'folder') : null;
    },

    async 'file:recent'() {
      return recentFiles();
    },

    async 'document:open'(req) {
      const { path: filePath, handle } = handles.resolve(req.file, 'file');
      const docId = crypto.randomBytes(16).toString('hex');
      const controller = new AbortController();
      running.add(controller);
      const progress = (phase: DocumentPhase, done = 0, total = 0) =>
        platform.emit('document:progress', { docId, name: handle.name, phase, tokensDone: done, tokensTotal: total });
      try {
        const t0 = performance.now();
        progress('reading');
        const text = await readText(filePath);
        const t1 = performance.now();
        if (status.state !== 'ready') progress('loading-model');
        const m = await ensureModel();
        progress('running');
        const taps = await computeTaps(m.model, text.text, {
          signal: controller.signal,
          onProgress: (p) => progress('running', p.tokensDone, p.tokensTotal),
        });
        const t2 = performance.now();
        progress('fitting', taps.tokens.length, taps.tokens.length);
        const layers = fitLayers(taps, req.settings);
        const prov = await provenance(m.model, m.revision);
        const t3 = performance.now();
        const d: OpenDocument = {
          docId,
          path: filePath,
          file: handle,
          sha256: text.sha256,
          taps,
          tokens: taps.tokens,
          settings: req.settings,
          layers,
          model: m.info,
          provenance: prov,
        };
        progress('saving', taps.tokens.length, taps.tokens.length);
        // the result is on disk before the user sees it
        const savedTo = await saveResult(d);
        const recent = await store.touchRecent(filePath);
        o.onRecentChanged?.(recent.map(recentOf));
        const t4 = performance.now();
        keep(d);
        progress('done', taps.tokens.length, taps.tokens.length);
        return view(d, savedTo, { readMs: t1 - t0, modelMs: t2 - t1, fitMs: t3 - t2, saveMs: t4 - t3 });
      } finally {
        running.delete(controller);
        disposeRetired();
      }
    },

    async 'document:cancel'() {
      const cancelled = running.size > 0;
      for (const c of running) c.abort();
      return { cancelled };
    },

    async 'document:refit'(req) {
      const d = doc(req.docId);
      const t0 = performance.now();
      const layers = fitLayers(d.taps, req.settings);
      const fitMs = performance.now() - t0;
      const next: OpenDocument = { ...d, settings: req.settings, layers, provenance: { ...d.provenance, created: new Date().toISOString() } };
      const savedTo = await saveResult(next);
      docs.set(d.docId, next);
      return { docId: d.docId, settings: req.settings, layers, savedTo: displayPath(savedTo), fitMs };
    },

    async 'document:close'(req) {
      docs.delete(req.docId);
      return null;
    },

    async 'figure:save'(req) {
      const d = doc(req.docId);
      const target = await platform.chooseSavePath(figureFileName(d.file.name, req.figure, req.format), req.format);
      if (!target) return null;
      const bytes = await figureFile(req.figure, d, req);
      return writeFigure(target, bytes);
    },

    async 'figure:saveAll'(req) {
      const d = doc(req.docId);
      const folder = await platform.chooseFolder('figures');
      if (!folder) return null;
      const stat = await fs.stat(folder).catch(() => null);
      if (!stat?.isDirectory()) throw new NormscopeError('BAD_INPUT', `${displayPath(folder)} is not a folder`);
      const saved: SavedFile[] = [];
      for (const figure of DOCUMENT_FIGURES) {
        for (const format of req.formats) {
          const bytes = await figureFile(figure, d, { format, theme: req.theme, ...(req.resolution ? { resolution: req.resolution } : {}) });
          saved.push(await writeFigure(path.join(folder, figureFileName(d.file.name, figure, format)), bytes));
        }
      }
      return saved;
    },

    async 'clipboard:write'(req) {
      await platform.writeClipboard(req.text);
      return null;
    },
  };

  return {
    handlers: { ...handlers, ...models.handlers, ...corpus.handlers },
    recentFiles,
    async registerDroppedFile(absPath) {
      if (!path.isAbsolute(absPath)) throw new NormscopeError('BAD_INPUT', 'a dropped file must have an absolute path');
      const stat = await fs.stat(absPath).catch(() => null);
      if (!stat?.isFile()) throw new NormscopeError('BAD_INPUT', `${displayPath(absPath)} is not a file`);
      return handles.issue(absPath, 'file');
    },
    async dispose() {
      for (const c of running) c.abort();
      await models.dispose();
      await corpus.dispose();
      await switching;
      docs.clear();
      const m = await modelPromise?.catch(() => null);
      modelPromise = null;
      await m?.model.dispose();
      await Promise.all(retired.splice(0).map((r) => r.model.dispose()));
    },
  };
}
