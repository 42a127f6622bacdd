// The corpus view's channels over electron/core/corpus: one batch runs at a time in the background (the core runs the
// model in a worker thread), its status and each stored document go to the renderer as events, and everything shown
// afterwards is read back from the results folder — rows, the core's corpus summary, one document for the document
// view, the corpus figures and the summary files. A results folder chosen again is shown from its files and resumed.
import fs from 'node:fs/promises';
import path from 'node:path';
import { invokeChannelsOf, type DocumentView, type InvokeChannelOf, type InvokeHandlers } from '../../../shared/ipc.js';
import { exportTables, normalizeSettings, startCorpusRun, writeStoreSummary } from '../corpus/index.js';
import { NormscopeError } from '../errors.js';
import { figureFileName } from '../figures/index.js';
import { saveFile, savedFile } from './saved-file.js';
import type { LoadOptions } from '../model/index.js';
import { resolveModel } from '../models/index.js';
import { CorpusJob, type Input } from './corpus/job.js';
import { reopenJob } from './corpus/reopen.js';
import { resumeInputs } from './corpus/resume-inputs.js';
import { storedDocument, type StoredDocument } from './corpus/stored-document.js';
import { rowView, statusView } from './corpus/views.js';
import { corpusFigureFile } from './figure-file.js';
import type { HandleRegistry } from './handles.js';
import type { AppPlatform } from './platform.js';

export { corpusFigureData } from './corpus/results-view.js';
export { LIVE_REFRESH_MS } from './corpus/job.js';
export type { StoredDocument } from './corpus/stored-document.js';

/** The channels this binding answers: the `corpus:` group of shared/ipc.ts. */
export const CORPUS_CHANNELS = invokeChannelsOf('corpus');
export type CorpusChannel = InvokeChannelOf<'corpus'>;

export interface CorpusBindingsOptions {
  platform: AppPlatform;
  handles: HandleRegistry;
  /** The model the app is told to use instead of the registry's default, if any (a run resolves it at its start). */
  modelSpec?: string;
  /** The model's load options, read at each run's start (the app's provider setting may have changed). */
  loadOptions?: LoadOptions | (() => Promise<LoadOptions>);
  /** The largest document a batch reads, in bytes (the app's setting). */
  maxBytes?: () => Promise<number>;
  showDocument(doc: StoredDocument): DocumentView;
}

export interface CorpusBindings {
  readonly handlers: InvokeHandlers<CorpusChannel>;
  /** Cancels a run in flight and waits until its results folder is closed. */
  dispose(): Promise<void>;
}

export function createCorpusBindings(o: CorpusBindingsOptions): CorpusBindings {
  return new CorpusJobs(o);
}

/** The session's corpus jobs: one batch runs at a time; every job stays readable until the app closes. */
class CorpusJobs implements CorpusBindings {
  private readonly jobs = new Map<string, CorpusJob>();
  private active: CorpusJob | null = null;
  readonly handlers: InvokeHandlers<CorpusChannel>;

  constructor(private readonly o: CorpusBindingsOptions) {
    this.handlers = this.bind();
  }

  async dispose(): Promise<void> {
    for (const j of this.jobs.values()) j.run?.cancel();
    await Promise.all([...this.jobs.values()].map((j) => j.ended));
    this.jobs.clear();
  }

  private job(jobId: string): CorpusJob {
    const j = this.jobs.get(jobId);
    if (!j) throw new NormscopeError('BAD_INPUT', 'no corpus job with that id in this session; choose the results folder again');
    return j;
  }

  private add(j: CorpusJob): CorpusJob {
    this.jobs.set(j.jobId, j);
    return j;
  }

  private bind(): InvokeHandlers<CorpusChannel> {
    const { handles, platform } = this.o;
    const status = (j: CorpusJob) => statusView(j);
    return {
      'corpus:start': async (req) => status(await this.start(req.folder, req.resultsFolder, req.inputs ?? [], req.settings)),
      'corpus:pause': async (req) => {
        const j = this.job(req.jobId);
        j.run?.pause();
        return status(j);
      },
      'corpus:resume': async (req) => {
        const j = this.job(req.jobId);
        if (j.run) j.run.resume();
        else await this.resume(j);
        return status(j);
      },
      'corpus:cancel': async (req) => {
        const j = this.job(req.jobId);
        j.run?.cancel();
        await j.ended;
        return status(j);
      },
      'corpus:status': async (req) => status(this.job(req.jobId)),
      'corpus:results': async (req) => (await this.job(req.jobId).summary()).results,
      'corpus:rows': async (req) => {
        const j = this.job(req.jobId);
        return j.rowsNow().map((r, i) => rowView(j, r, i, handles));
      },
      'corpus:open': async (req) => {
        const outDir = handles.resolve(req.resultsFolder, 'folder').path;
        if (this.active?.run && path.resolve(this.active.outDir) === path.resolve(outDir)) return status(this.active);
        const j = await reopenJob(outDir, handles);
        return j ? status(this.add(j)) : null;
      },
      'corpus:openDocument': async (req) => this.o.showDocument(await storedDocument(this.job(req.jobId), req.index, handles)),
      'corpus:saveFigure': async (req) => {
        const j = this.job(req.jobId);
        const { figures } = (await j.summary()).results;
        if (!figures) throw new NormscopeError('BAD_INPUT', 'no document of this batch has been fitted yet');
        const stem = path.basename(j.inputs[0] ?? j.outDir);
        const target = await platform.chooseSavePath(figureFileName(stem, req.figure, req.format), req.format);
        if (!target) return null;
        return saveFile(target, await corpusFigureFile(req.figure, figures, req));
      },
      'corpus:exportSummary': async (req) => {
        const j = this.job(req.jobId);
        if (!j.model) throw new NormscopeError('BAD_INPUT', 'this batch has no results yet');
        // streamed from the store (the per-document CSV row by row), not from the cached summary: no corpus of fits in memory
        const { files } = await writeStoreSummary(await j.reader(), j.model, j.settings, j.outDir, { sha256s: j.finishedShas() });
        return Promise.all(files.map(async (f) => savedFile(f, (await fs.stat(f)).size)));
      },
      'corpus:exportTables': async (req) => {
        const j = this.job(req.jobId);
        const written = await exportTables(await j.reader(), j.outDir, req.format);
        return written.map((w) => savedFile(w.file, w.bytes));
      },
    };
  }

  /** A new job over the chosen folder (and any further inputs), run at once. */
  private async start(folderId: string, resultsId: string, inputIds: string[], settings: Parameters<typeof normalizeSettings>[0]): Promise<CorpusJob> {
    const { handles } = this.o;
    const folder: Input = { path: handles.resolve(folderId, 'folder').path, kind: 'folder' };
    const outDir = handles.resolve(resultsId, 'folder').path;
    const inputs = [folder, ...inputIds.map((id) => this.resolveInput(id))].filter((input, i, all) => all.findIndex((x) => x.path === input.path) === i);
    if (inputs.some((i) => path.resolve(i.path) === path.resolve(outDir))) {
      throw new NormscopeError('BAD_INPUT', 'the results folder must not be the folder of texts: choose another (an empty or new folder)');
    }
    const j = this.add(new CorpusJob(inputs, outDir, normalizeSettings(settings), handles));
    await this.run(j);
    return j;
  }

  private resolveInput(id: string): Input {
    try {
      return { path: this.o.handles.resolve(id, 'folder').path, kind: 'folder' };
    } catch {
      return { path: this.o.handles.resolve(id, 'file').path, kind: 'file' };
    }
  }

  /** Runs a stopped job again; a reopened folder's recorded inputs are not trusted, so the user chooses the folder of
   * texts again and only the recorded inputs inside that choice are read. */
  private async resume(j: CorpusJob): Promise<void> {
    if (j.inputs.length === 0 && j.recorded.length > 0) {
      const chosen = await this.o.platform.chooseFolder('corpus');
      if (chosen === null) return;
      j.inputs = await resumeInputs(chosen, j.recorded, j.outDir);
      j.inputHandles = j.inputs.map((p) => this.o.handles.issue(p, 'folder'));
    }
    await this.run(j);
  }

  /** Runs the job's batch (again): stored documents are skipped, stored taps refit. */
  private async run(j: CorpusJob): Promise<void> {
    if (this.active && this.active !== j && this.active.run) throw new NormscopeError('BAD_USAGE', 'a corpus batch is running: pause or cancel it first');
    if (j.run) throw new NormscopeError('BAD_USAGE', 'this batch is running already');
    if (j.inputs.length === 0) throw new NormscopeError('BAD_INPUT', 'the texts of this batch are no longer where they were: choose their folder and start again');
    const model = await resolveModel(this.o.modelSpec);
    const loadOptions = typeof this.o.loadOptions === 'function' ? await this.o.loadOptions() : this.o.loadOptions;
    const r = startCorpusRun({
      paths: j.inputs,
      outDir: j.outDir,
      model,
      settings: j.settings,
      ...(loadOptions ? { loadOptions } : {}),
      ...(this.o.maxBytes ? { maxBytes: await this.o.maxBytes() } : {}),
    });
    this.active = j;
    j.run = r;
    j.reopened = false;
    j.model = null;
    j.changed();
    r.on('status', (s) => {
      j.last = s;
      if (s.model && !j.model) j.model = { ...s.model, demo: model.demo };
      this.o.platform.emit('corpus:progress', statusView(j, s));
    });
    r.on('restart', (e) => {
      j.restart = `the inference process stopped on ${j.nameOf(e.path)} (${e.message}); it was restarted and the document run again`;
      this.o.platform.emit('corpus:progress', statusView(j));
    });
    r.on('document', (d) => {
      j.changed();
      this.o.platform.emit('corpus:document', { jobId: j.jobId, row: rowView(j, d, d.index, this.o.handles) });
    });
    j.ended = r.done.then((outcome) => {
      j.rows = outcome.rows;
      j.last = outcome.status;
      j.run = null;
      j.changed();
      if (this.active === j) this.active = null;
    });
  }
}
