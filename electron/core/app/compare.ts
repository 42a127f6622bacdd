// The Compare view's channels: the open document through 2–4 installed models, or an open corpus' sibling runs, as
// one comparison (saved before it is shown), its figures' inputs from core, figure and JSON saves, and cancel.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type CompareModelProgress, type CompareRunChoice, type CompareView, type InvokeChannel, type InvokeRequest, type InvokeResponse } from '../../../shared/ipc.js';
import type { ComparisonDocument } from '../../../shared/comparison.js';
import type { Settings } from '../../../shared/result.js';
import { compareRuns, comparisonDocument, comparisonFigureData, runModels } from '../compare/index.js';
import { CorpusStore } from '../corpus/index.js';
import { NormscopeError } from '../errors.js';
import type { LoadOptions } from '../model/index.js';
import { compareFigureFile } from './export.js';
import { figureFileName } from '../figures/index.js';
import { displayPath, type HandleRegistry } from './handles.js';
import type { AppPlatform } from './platform.js';
import { writeFileAtomic } from './store.js';

export const COMPARE_CHANNELS = ['compare:siblings', 'compare:start', 'compare:cancel', 'compare:saveFigure', 'compare:saveJson'] as const satisfies readonly InvokeChannel[];
export type CompareChannel = (typeof COMPARE_CHANNELS)[number];

export interface CompareBindingsOptions {
  platform: AppPlatform;
  handles: HandleRegistry;
  /** Where comparisons are saved before they are shown (the app's results folder). */
  resultsDir: string;
  /** An open document's file and settings (throws BAD_INPUT when it is no longer open). */
  openDocument: (docId: string) => { path: string; name: string; settings: Settings };
  loadOptions: () => Promise<LoadOptions>;
}

interface Kept {
  view: CompareView;
  name: string;
}

export function createCompareBindings(o: CompareBindingsOptions) {
  const kept = new Map<string, Kept>();
  let running: AbortController | null = null;

  function comparison(compareId: string): Kept {
    const k = kept.get(compareId);
    if (!k) throw new NormscopeError('BAD_INPUT', 'that comparison is no longer open; run it again');
    return k;
  }

  /** Saved first (the result is on disk before the view shows it), then kept for figure saves. */
  async function finish(compareId: string, doc: ComparisonDocument, name: string): Promise<CompareView> {
    const stamp = doc.created.replace(/[:.]/g, '-');
    const file = path.join(o.resultsDir, 'comparisons', `${stamp}-${name.replace(/[^\w.-]+/g, '_')}.comparison.json`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(doc) + '\n');
    const view: CompareView = { compareId, comparison: doc, figures: comparisonFigureData(doc), savedTo: displayPath(file) };
    kept.set(compareId, { view, name });
    while (kept.size > 4) kept.delete(kept.keys().next().value!);
    return view;
  }

  async function start(req: InvokeRequest<'compare:start'>): Promise<CompareView> {
    if (running) throw new NormscopeError('BAD_USAGE', 'a comparison is already running; cancel it or wait for it');
    const compareId = crypto.randomBytes(16).toString('hex');
    const emit = (p: Omit<CompareModelProgress, 'compareId'>) => o.platform.emit('compare:progress', { compareId, ...p });
    const controller = new AbortController();
    running = controller;
    try {
      if (req.runs) {
        const folders = req.runs.map((id) => o.handles.resolve(id, 'folder').path);
        folders.forEach((f, model) => emit({ model, label: path.basename(f), phase: 'running', documentsDone: 0, documentsTotal: 0 }));
        const doc = await compareRuns(folders);
        doc.runs!.forEach((r) => emit({ model: r.model, label: path.basename(r.folder), phase: 'done', documentsDone: r.documents.total, documentsTotal: r.documents.total }));
        return await finish(compareId, doc, 'runs');
      }
      const d = o.openDocument(req.docId!);
      const runs = await runModels({
        specs: req.models!,
        files: [d.path],
        settings: d.settings,
        signal: controller.signal,
        loadOptions: await o.loadOptions(),
        onProgress: ({ model, name, spec, phase, documentsDone, documentsTotal, tokens, error }) =>
          emit({ model, label: name ?? spec, phase, documentsDone, documentsTotal, ...(tokens ? { tokens } : {}), ...(error ? { error } : {}) }),
      });
      return await finish(compareId, comparisonDocument(runs, [d.path], d.settings), d.name);
    } finally {
      running = null;
    }
  }

  /** The finished runs in the folder's parent: every sibling folder with a readable manifest and a last run. */
  async function siblings(req: InvokeRequest<'compare:siblings'>): Promise<CompareRunChoice[]> {
    const own = o.handles.resolve(req.resultsFolder, 'folder').path;
    const parent = path.dirname(own);
    const names = (await fs.readdir(parent, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
    const out: CompareRunChoice[] = [];
    for (const name of names) {
      const dir = path.join(parent, name);
      const store = await CorpusStore.open(dir, { readOnly: true }).catch(() => null);
      const manifest = store?.getManifest();
      const run = manifest?.runs.at(-1);
      const model = run && manifest!.models.find((m) => m.model_sha256 === run.model_sha256);
      if (!store || !run || !model) continue;
      out.push({ folder: o.handles.issue(dir, 'folder'), model: model.name, documents: store.entries(model, run.settings).length, current: path.resolve(dir) === path.resolve(own) });
    }
    return out;
  }

  const handlers: { [C in CompareChannel]: (req: InvokeRequest<C>) => Promise<InvokeResponse<C>> } = {
    'compare:siblings': siblings,
    'compare:start': start,
    async 'compare:cancel'() {
      const cancelled = running !== null;
      running?.abort();
      return { cancelled };
    },
    async 'compare:saveFigure'(req) {
      const k = comparison(req.compareId);
      const data = k.view.figures[req.figure];
      if (!data) throw new NormscopeError('BAD_INPUT', 'a comparison of corpus runs has no log-norm figure (their token series stay in the folders)');
      if (req.format === 'pdf' && !o.platform.svgToPdf) throw new NormscopeError('BAD_USAGE', 'PDF export needs the desktop app; save as SVG or PNG here');
      const target = await o.platform.chooseSavePath(figureFileName(`${k.name}.comparison`, req.figure, req.format), req.format);
      if (!target) return null;
      const bytes = await compareFigureFile(req.figure, data, req, o.platform);
      await writeFileAtomic(target, bytes);
      return { displayPath: displayPath(target), name: path.basename(target), bytes: bytes.byteLength };
    },
    async 'compare:saveJson'(req) {
      const k = comparison(req.compareId);
      const target = await o.platform.chooseSavePath(`${k.name.replace(/\.[^.]*$/, '')}.comparison.json`, 'json');
      if (!target) return null;
      const text = JSON.stringify(k.view.comparison, null, 1) + '\n';
      await writeFileAtomic(target, text);
      return { displayPath: displayPath(target), name: path.basename(target), bytes: Buffer.byteLength(text) };
    },
  };

  return {
    handlers,
    async dispose() {
      running?.abort();
      kept.clear();
    },
  };
}

