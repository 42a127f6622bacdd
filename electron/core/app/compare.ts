// The Compare view's channels: the open document through 2–4 installed models, or an open corpus' sibling runs, as
// one comparison (saved before it is shown), its figures' inputs from core, figure and JSON saves, and cancel.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  invokeChannelsOf,
  type CompareModelProgress,
  type CompareRunChoice,
  type CompareView,
  type InvokeChannelOf,
  type InvokeHandlers,
  type InvokeRequest,
  type SavedFile,
} from '../../../shared/ipc.js';
import type { ComparisonDocument } from '../../../shared/comparison.js';
import type { Settings } from '../../../shared/result.js';
import { compareRuns, comparisonDocument, comparisonFigureData, openFinishedRun, runModels } from '../compare/index.js';
import { NormscopeError } from '../errors.js';
import { figureFileName } from '../figures/index.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { saveFile } from './saved-file.js';
import type { LoadOptions } from '../model/index.js';
import { compareFigureFile } from './figure-file.js';
import { displayPath, type HandleRegistry } from './handles.js';
import type { AppPlatform } from './platform.js';

/** The channels this binding answers: the `compare:` group of shared/ipc.ts. */
export const COMPARE_CHANNELS = invokeChannelsOf('compare');
export type CompareChannel = InvokeChannelOf<'compare'>;

/** Finished comparisons kept for figure and JSON saves (the oldest is dropped first). */
const KEPT_COMPARISONS = 4;

export interface CompareBindingsOptions {
  platform: AppPlatform;
  handles: HandleRegistry;
  /** Where comparisons are saved before they are shown (the app's results folder). */
  resultsDir: string;
  /** An open document's file and settings (throws BAD_INPUT when it is no longer open). */
  openDocument: (docId: string) => { path: string; name: string; settings: Settings };
  loadOptions: () => Promise<LoadOptions>;
}

export interface CompareBindings {
  readonly handlers: InvokeHandlers<CompareChannel>;
  /** Cancels a comparison in flight and forgets the finished ones. */
  dispose(): Promise<void>;
}

export function createCompareBindings(o: CompareBindingsOptions): CompareBindings {
  return new Comparisons(o);
}

interface Kept {
  view: CompareView;
  name: string;
}

type Emit = (p: Omit<CompareModelProgress, 'compareId'>) => void;

/** The session's comparisons: one runs at a time; the last few stay for saves until the app closes. */
class Comparisons implements CompareBindings {
  private readonly kept = new Map<string, Kept>();
  private running: AbortController | null = null;
  readonly handlers: InvokeHandlers<CompareChannel>;

  constructor(private readonly o: CompareBindingsOptions) {
    this.handlers = {
      'compare:siblings': (req) => this.siblings(req),
      'compare:start': (req) => this.start(req),
      'compare:cancel': async () => {
        const cancelled = this.running !== null;
        this.running?.abort();
        return { cancelled };
      },
      'compare:saveFigure': (req) => this.saveFigure(req),
      'compare:saveJson': (req) => this.saveJson(req),
    };
  }

  async dispose(): Promise<void> {
    this.running?.abort();
    this.kept.clear();
  }

  private comparison(compareId: string): Kept {
    const k = this.kept.get(compareId);
    if (!k) throw new NormscopeError('BAD_INPUT', 'that comparison is no longer open; run it again');
    return k;
  }

  private async start(req: InvokeRequest<'compare:start'>): Promise<CompareView> {
    if (this.running) throw new NormscopeError('BAD_USAGE', 'a comparison is already running; cancel it or wait for it');
    const compareId = crypto.randomBytes(16).toString('hex');
    const emit: Emit = (p) => this.o.platform.emit('compare:progress', { compareId, ...p });
    const controller = new AbortController();
    this.running = controller;
    try {
      const { doc, name } = req.runs ? await this.compareFolders(req.runs, emit) : await this.compareModels(req, controller.signal, emit);
      return await this.finish(compareId, doc, name);
    } finally {
      this.running = null;
    }
  }

  /** Sibling corpus runs (folder handle ids), each folder's own summary. */
  private async compareFolders(runs: readonly string[], emit: Emit): Promise<{ doc: ComparisonDocument; name: string }> {
    const folders = runs.map((id) => this.o.handles.resolve(id, 'folder').path);
    folders.forEach((f, model) => emit({ model, label: path.basename(f), phase: 'running', documentsDone: 0, documentsTotal: 0 }));
    const doc = await compareRuns(folders);
    for (const r of doc.runs!) emit({ model: r.model, label: path.basename(r.folder), phase: 'done', documentsDone: r.documents.total, documentsTotal: r.documents.total });
    return { doc, name: 'runs' };
  }

  /** The open document through each model, one after another. */
  private async compareModels(req: InvokeRequest<'compare:start'>, signal: AbortSignal, emit: Emit): Promise<{ doc: ComparisonDocument; name: string }> {
    const d = this.o.openDocument(req.docId!);
    const runs = await runModels({
      specs: req.models!,
      files: [d.path],
      settings: d.settings,
      signal,
      loadOptions: await this.o.loadOptions(),
      onProgress: ({ model, name, spec, phase, documentsDone, documentsTotal, tokens, error }) =>
        emit({ model, label: name ?? spec, phase, documentsDone, documentsTotal, ...(tokens ? { tokens } : {}), ...(error ? { error } : {}) }),
    });
    return { doc: comparisonDocument(runs, [d.path], d.settings), name: d.name };
  }

  /** Saved first (the result is on disk before the view shows it), then kept for figure saves. */
  private async finish(compareId: string, doc: ComparisonDocument, name: string): Promise<CompareView> {
    const stamp = doc.created.replace(/[:.]/g, '-');
    const file = path.join(this.o.resultsDir, 'comparisons', `${stamp}-${name.replace(/[^\w.-]+/g, '_')}.comparison.json`);
    await writeFileAtomic(file, JSON.stringify(doc) + '\n');
    const view: CompareView = { compareId, comparison: doc, figures: comparisonFigureData(doc), savedTo: displayPath(file) };
    this.kept.set(compareId, { view, name });
    while (this.kept.size > KEPT_COMPARISONS) this.kept.delete(this.kept.keys().next().value!);
    return view;
  }

  /** The finished runs in the folder's parent: every sibling folder with a readable manifest and a last run. */
  private async siblings(req: InvokeRequest<'compare:siblings'>): Promise<CompareRunChoice[]> {
    const own = this.o.handles.resolve(req.resultsFolder, 'folder').path;
    const parent = path.dirname(own);
    const names = (await fs.readdir(parent, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
    const out: CompareRunChoice[] = [];
    for (const name of names) {
      const dir = path.join(parent, name);
      const run = await openFinishedRun(dir).catch(() => null);
      if (!run) continue;
      const documents = run.store.entries(run.model, run.settings).length;
      out.push({ folder: this.o.handles.issue(dir, 'folder'), model: run.model.name, documents, current: path.resolve(dir) === path.resolve(own) });
    }
    return out;
  }

  private async saveFigure(req: InvokeRequest<'compare:saveFigure'>): Promise<SavedFile | null> {
    const { platform } = this.o;
    const k = this.comparison(req.compareId);
    const data = k.view.figures[req.figure];
    if (!data) throw new NormscopeError('BAD_INPUT', 'a comparison of corpus runs has no log-norm figure (their token series stay in the folders)');
    const target = await platform.chooseSavePath(figureFileName(`${k.name}.comparison`, req.figure, req.format), req.format);
    if (!target) return null;
    return saveFile(target, await compareFigureFile(req.figure, data, req));
  }

  /** A copy of the comparison JSON where the user chooses. */
  private async saveJson(req: InvokeRequest<'compare:saveJson'>): Promise<SavedFile | null> {
    const k = this.comparison(req.compareId);
    const target = await this.o.platform.chooseSavePath(`${k.name.replace(/\.[^.]*$/, '')}.comparison.json`, 'json');
    if (!target) return null;
    return saveFile(target, JSON.stringify(k.view.comparison, null, 1) + '\n');
  }
}

