// The app's IPC API implemented against the core, as plain Node: one handler per channel of
// shared/ipc.ts. electron/ipc.ts binds it to ipcMain; test/harness binds it to HTTP.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DOCUMENT_FIGURES,
  INVOKE_CHANNELS,
  type FileHandle,
  type InvokeChannel,
  type InvokeChannelOf,
  type InvokeHandlers,
  type InvokeRequest,
  type Prefs,
  type RecentFile,
  type SavedFile,
} from '../../../shared/ipc.js';
import { analysisDocument, fitLayers } from '../analysis/index.js';
import { NormscopeError } from '../errors.js';
import { normscopeHome } from '../home.js';
import { saveFile } from './saved-file.js';
import type { LoadOptions } from '../model/index.js';
import { VERSION } from '../version.js';
import { AppModel } from './app-model.js';
import { COMPARE_CHANNELS, createCompareBindings, type CompareBindings, type CompareChannel } from './compare.js';
import { CORPUS_CHANNELS, createCorpusBindings, type CorpusBindings, type CorpusChannel } from './corpus-bindings.js';
import { createAppStore, sanitizePrefs, type AppStore, type RecentEntry } from './data-folder.js';
import { OpenDocuments, documentView, newDocId, runDocument, type OpenDocument } from './documents.js';
import { figureFile, figureFileName } from './figure-file.js';
import { createHandleRegistry, displayPath, type HandleRegistry } from './handles.js';
import { MODEL_CHANNELS, createModelBindings, type ModelBindings, type ModelChannel } from './model-bindings.js';
import type { AppPlatform } from './platform.js';

/** The channels this service answers itself: every channel of shared/ipc.ts outside the model manager's group
 * (./model-bindings.ts), the corpus view's (./corpus-bindings.ts) and the compare view's (./compare.ts). */
export type ServiceChannel = Exclude<InvokeChannel, InvokeChannelOf<'models' | 'corpus' | 'compare'>>;
export const SERVICE_CHANNELS = INVOKE_CHANNELS.filter(
  (c): c is ServiceChannel =>
    !MODEL_CHANNELS.includes(c as ModelChannel) && !CORPUS_CHANNELS.includes(c as CorpusChannel) && !COMPARE_CHANNELS.includes(c as CompareChannel),
);

export type Handlers = Partial<InvokeHandlers<InvokeChannel>>;

/** The document view's channels among them. */
type DocumentChannel = InvokeChannelOf<'document' | 'figure'>;

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

export function createAppService(o: AppServiceOptions): AppService {
  return new Service(o);
}

/** The service: the document view's own channels here, the model manager's, the corpus view's and the compare view's
 * from their bindings. */
class Service implements AppService {
  readonly handlers: Handlers;
  private readonly store: AppStore;
  private readonly handles: HandleRegistry = createHandleRegistry();
  private readonly docs: OpenDocuments;
  private readonly model: AppModel;
  private readonly models: ModelBindings;
  private readonly corpus: CorpusBindings;
  private readonly compare: CompareBindings;

  constructor(private readonly o: AppServiceOptions) {
    const { platform } = o;
    const spec = o.modelSpec !== undefined ? { modelSpec: o.modelSpec } : {};
    this.store = createAppStore(o.dataDir);
    this.docs = new OpenDocuments(o.maxOpenDocuments ?? 8);
    this.model = new AppModel({ platform, ...spec, loadOptions: () => this.loadOptions() });
    this.models = createModelBindings({ dataDir: o.dataDir, platform, ...spec, onModelsChanged: () => this.model.libraryChanged() });
    this.corpus = createCorpusBindings({
      platform,
      handles: this.handles,
      ...spec,
      loadOptions: () => this.loadOptions(),
      maxBytes: () => this.maxDocumentBytes(),
      // a stored document joins the open ones like any other: refits and figure saves work on its stored taps
      showDocument: ({ savedTo, readMs, ...stored }) => {
        const d: OpenDocument = { docId: newDocId(), ...stored };
        this.docs.keep(d);
        return documentView(d, savedTo, { readMs, modelMs: 0, fitMs: 0, saveMs: 0 });
      },
    });
    this.compare = createCompareBindings({
      platform,
      handles: this.handles,
      resultsDir: this.store.resultsDir,
      openDocument: (docId) => {
        const d = this.docs.get(docId);
        return { path: d.path, name: d.file.name, settings: d.settings };
      },
      loadOptions: () => this.loadOptions(),
    });
    this.handlers = { ...this.appHandlers(), ...this.documentHandlers(), ...this.models.handlers, ...this.corpus.handlers, ...this.compare.handlers };
  }

  async recentFiles(): Promise<RecentFile[]> {
    return (await this.store.readRecent()).map((e) => this.recentOf(e));
  }

  async registerDroppedFile(absPath: string): Promise<FileHandle> {
    if (!path.isAbsolute(absPath)) throw new NormscopeError('BAD_INPUT', 'a dropped file must have an absolute path');
    const stat = await fs.stat(absPath).catch(() => null);
    if (!stat?.isFile()) throw new NormscopeError('BAD_INPUT', `${displayPath(absPath)} is not a file`);
    return this.handles.issue(absPath, 'file');
  }

  async dispose(): Promise<void> {
    for (const c of this.model.running) c.abort();
    await this.models.dispose();
    await this.corpus.dispose();
    await this.compare.dispose();
    this.docs.clear();
    await this.model.dispose();
  }

  /** The app's document size limit (a setting, in MiB), in bytes. */
  private async maxDocumentBytes(): Promise<number> {
    return (await this.store.readPrefs()).maxDocumentMiB * 1024 * 1024;
  }

  /** The load options with the app's provider setting (auto leaves NORMSCOPE_PROVIDER in charge) and normscope's home
   * for the provider verdicts; the corpus worker gets the same. */
  private async loadOptions(): Promise<LoadOptions> {
    const base = { verdictsDir: normscopeHome(), ...this.o.loadOptions };
    if (base.provider !== undefined) return base;
    const { provider } = await this.store.readPrefs();
    return provider === 'auto' ? base : { ...base, provider };
  }

  private recentOf(e: RecentEntry): RecentFile {
    return { file: this.handles.issue(e.path, 'file'), openedAt: e.openedAt };
  }

  private saveResult(d: Pick<OpenDocument, 'path' | 'file' | 'sha256' | 'tokens' | 'layers' | 'settings' | 'model' | 'provenance'>): Promise<string> {
    const { demo: _demo, ...model } = d.model;
    const result = analysisDocument(model, d.settings, d.provenance, [
      { path: d.path, status: 'ok', sha256: d.sha256, tokens: d.tokens, layers: d.layers },
    ]);
    return this.store.saveResult(d.file.name, d.sha256, result);
  }

  /** The app's own channels: info, preferences, the model's status, file choosing, the clipboard. */
  private appHandlers(): InvokeHandlers<Exclude<ServiceChannel, DocumentChannel>> {
    const { platform } = this.o;
    return {
      'app:info': async () => ({
        version: VERSION,
        host: platform.host,
        os: `${os.type()} ${os.release()} (${process.arch})`,
        resultsFolder: displayPath(this.store.resultsDir),
      }),
      'prefs:get': () => this.store.readPrefs(),
      'prefs:set': async (req) => {
        const before = await this.store.readPrefs();
        const prefs = sanitizePrefs({ ...before, ...req });
        await this.store.writePrefs(prefs);
        if (prefs.provider !== before.provider) this.model.reload();
        this.o.onPrefsChanged?.(prefs);
        return prefs;
      },
      'model:status': async () => this.model.status,
      'model:load': async () => {
        await this.model.ensure();
        return this.model.status;
      },
      'file:open': async () => {
        const chosen = await platform.chooseOpenFile();
        return chosen ? this.handles.issue(chosen, 'file') : null;
      },
      'file:chooseFolder': async (req) => {
        const chosen = await platform.chooseFolder(req.purpose);
        return chosen ? this.handles.issue(chosen, 'folder') : null;
      },
      'file:recent': () => this.recentFiles(),
      'clipboard:write': async (req) => {
        await platform.writeClipboard(req.text);
        return null;
      },
    };
  }

  /** The document view's channels: open (run the model), cancel, refit, close, and its figures. */
  private documentHandlers(): InvokeHandlers<DocumentChannel> {
    const { platform } = this.o;
    return {
      'document:open': async (req) => {
        const { path: filePath, handle } = this.handles.resolve(req.file, 'file');
        const { doc, view } = await runDocument(
          {
            platform,
            model: this.model,
            save: (d) => this.saveResult(d),
            touchRecent: async (p) => {
              const recent = await this.store.touchRecent(p);
              this.o.onRecentChanged?.(recent.map((e) => this.recentOf(e)));
            },
            maxBytes: () => this.maxDocumentBytes(),
          },
          filePath,
          handle,
          req.settings,
        );
        this.docs.keep(doc);
        return view;
      },
      'document:cancel': async () => {
        const cancelled = this.model.running.size > 0;
        for (const c of this.model.running) c.abort();
        return { cancelled };
      },
      'document:refit': async (req) => {
        const d = this.docs.get(req.docId);
        const t0 = performance.now();
        const layers = fitLayers(d.taps, req.settings);
        const fitMs = performance.now() - t0;
        const next: OpenDocument = { ...d, settings: req.settings, layers, provenance: { ...d.provenance, created: new Date().toISOString() } };
        const savedTo = await this.saveResult(next);
        this.docs.replace(next);
        return { docId: d.docId, settings: req.settings, layers, savedTo: displayPath(savedTo), fitMs };
      },
      'document:close': async (req) => {
        this.docs.close(req.docId);
        return null;
      },
      'figure:save': async (req) => {
        const d = this.docs.get(req.docId);
        const target = await platform.chooseSavePath(figureFileName(d.file.name, req.figure, req.format), req.format);
        if (!target) return null;
        return saveFile(target, await figureFile(req.figure, d, req));
      },
      'figure:saveAll': (req) => this.saveAllFigures(this.docs.get(req.docId), req.formats, req.theme, req.resolution),
    };
  }

  private async saveAllFigures(d: OpenDocument, formats: InvokeRequest<'figure:saveAll'>['formats'], theme: InvokeRequest<'figure:saveAll'>['theme'], resolution: InvokeRequest<'figure:saveAll'>['resolution']): Promise<SavedFile[] | null> {
    const { platform } = this.o;
    const folder = await platform.chooseFolder('figures');
    if (!folder) return null;
    const stat = await fs.stat(folder).catch(() => null);
    if (!stat?.isDirectory()) throw new NormscopeError('BAD_INPUT', `${displayPath(folder)} is not a folder`);
    const saved: SavedFile[] = [];
    for (const figure of DOCUMENT_FIGURES) {
      for (const format of formats) {
        const bytes = await figureFile(figure, d, { format, theme, ...(resolution ? { resolution } : {}) });
        saved.push(await saveFile(path.join(folder, figureFileName(d.file.name, figure, format)), bytes));
      }
    }
    return saved;
  }
}
