// The corpus view's channels over electron/core/corpus: one batch runs at a time in the background (the core runs the
// model in a worker thread), its status and each stored document go to the renderer as events, and everything shown
// afterwards is read back from the results folder — rows, the core's corpus summary, one document for the document
// view, the corpus figures and the summary files. A results folder chosen again is shown from its files and resumed.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type {
  CorpusDocumentRow,
  CorpusLayerSummary,
  CorpusPooledFit,
  CorpusResults,
  CorpusStatus,
  DocumentView,
  FileHandle,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
  Maybe,
  SavedFile,
} from '../../../shared/ipc.js';
import type { LayerResult, ModelInfo, Provenance, Settings, TokenJSON } from '../../../shared/result.js';
import { CORPUS_LIVE_REFRESH_MS } from '../../../shared/ipc.js';
import { collectInputs, type DocumentTaps } from '../analysis/index.js';
import {
  CorpusStore,
  MANIFEST_FILE,
  RESULTS_FILE,
  normalizeSettings,
  startCorpusRun,
  summarizeStore,
  exportTables,
  writeStoreSummary,
  type CorpusRun,
  type CorpusStatus as RunStatus,
  type CorpusSummary,
  type DocumentRow,
  type FixedEffectsFit,
  type LayerSummary,
  type ModelIdentity,
  type ResultRecord,
  type Unavailable,
} from '../corpus/index.js';
// the content hash a run looks results up by (not among the corpus index's exports)
import { hashFile } from '../corpus/hash-file.js';
import { NormscopeError } from '../errors.js';
import { figureFileName } from '../figures/index.js';
import type { LoadOptions } from '../model/types.js';
import { isDemoName, resolveModel } from '../models/index.js';
import { VERSION } from '../version.js';
import { corpusFigureFile } from './export.js';
import { displayPath, type HandleRegistry } from './handles.js';
import type { AppPlatform } from './platform.js';
import { writeFileAtomic } from './store.js';

export const CORPUS_CHANNELS = [
  'corpus:start',
  'corpus:pause',
  'corpus:resume',
  'corpus:cancel',
  'corpus:status',
  'corpus:results',
  'corpus:rows',
  'corpus:open',
  'corpus:openDocument',
  'corpus:saveFigure',
  'corpus:exportSummary',
  'corpus:exportTables',
] as const satisfies readonly InvokeChannel[];
export type CorpusChannel = (typeof CORPUS_CHANNELS)[number];

/** A stored document handed to the document view: the service keeps it (refits, figure saves) and returns its view. */
export interface StoredDocument {
  path: string;
  file: FileHandle;
  sha256: string;
  taps: DocumentTaps;
  tokens: TokenJSON[];
  settings: Settings;
  layers: LayerResult[];
  model: ModelInfo & { demo: boolean };
  provenance: Provenance;
  /** Where the result lives (the results folder's log). */
  savedTo: string;
  readMs: number;
}

export interface CorpusBindingsOptions {
  platform: AppPlatform;
  handles: HandleRegistry;
  /** The model the app is told to use instead of the registry's default, if any (a run resolves it at its start). */
  modelSpec?: string;
  /** The model's load options, read at each run's start (the app's provider setting may have changed). */
  loadOptions?: LoadOptions | (() => Promise<LoadOptions>);
  showDocument(doc: StoredDocument): DocumentView;
}

export interface CorpusBindings {
  readonly handlers: { [C in CorpusChannel]: (req: InvokeRequest<C>) => Promise<InvokeResponse<C>> };
  /** Cancels a run in flight and waits until its results folder is closed. */
  dispose(): Promise<void>;
}

interface ModelOfJob extends ModelIdentity {
  name: string;
  execution_provider: string;
  demo: boolean;
}

interface Input {
  path: string;
  kind: FileHandle['kind'];
}

interface Job {
  jobId: string;
  /** Absolute paths: the chosen folder first. */
  inputs: string[];
  inputHandles: FileHandle[];
  outDir: string;
  resultsHandle: FileHandle;
  settings: Settings;
  run: CorpusRun | null;
  /** Resolves when the run in flight has ended and its rows are kept. */
  ended: Promise<void>;
  /** The latest status: the run's, or the one a reopened folder's files give. */
  last: RunStatus;
  /** Rows once no run is in flight (a run's live rows come from the run). */
  rows: DocumentRow[];
  model: ModelOfJob | null;
  reopened: boolean;
  /** A read-only view of the results folder, reopened after new results were stored. */
  reader: CorpusStore | null;
  stale: boolean;
  summary: Summary | null;
  /** A result was stored since `summary` was computed. */
  summaryStale: boolean;
  /** When `summary` was computed, and how long that took (ms): a running batch's summary is refreshed at most every
   * LIVE_REFRESH_MS, and waits 5× its own cost after each, so live figures take at most a sixth of a core. */
  summaryAt: number;
  summaryMs: number;
  computing: Promise<Summary> | null;
}

/** The shortest interval between two summaries of a running batch. */
export const LIVE_REFRESH_MS = CORPUS_LIVE_REFRESH_MS;

interface Summary {
  results: CorpusResults;
  core: CorpusSummary;
}

export function createCorpusBindings(o: CorpusBindingsOptions): CorpusBindings {
  const { platform, handles } = o;
  const jobs = new Map<string, Job>();
  let active: Job | null = null;

  function job(jobId: string): Job {
    const j = jobs.get(jobId);
    if (!j) throw new NormscopeError('BAD_INPUT', 'no corpus job with that id in this session; choose the results folder again');
    return j;
  }

  /** The path within the chosen folder (or the file's name), for display. */
  function nameOf(j: Job, p: string): string {
    for (const input of j.inputs) {
      const rel = path.relative(input, p);
      if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    }
    return path.basename(p);
  }

  function statusOf(j: Job, s: RunStatus = j.run?.status() ?? j.last): CorpusStatus {
    const model = s.model ? { name: s.model.name, execution_provider: s.model.execution_provider, demo: j.model?.demo ?? isDemoName(s.model.name) } : null;
    return {
      jobId: j.jobId,
      state: s.state,
      phase: s.phase,
      pausing: s.pausing,
      documentsDone: s.documentsDone,
      documentsTotal: s.documentsTotal,
      documentsFailed: s.documentsFailed,
      documentsSkipped: s.documentsSkipped,
      documentsRefit: s.documentsRefit,
      tokensDone: s.tokensDone,
      tokensPerSecond: s.tokensPerSecond,
      etaSeconds: s.etaSeconds,
      currentFile: s.currentFile === null ? null : nameOf(j, s.currentFile),
      currentTokens: s.currentTokens,
      elapsedSeconds: s.elapsedSeconds,
      inputs: j.inputHandles,
      results: j.resultsHandle,
      settings: j.settings,
      model: model ?? (j.model ? { name: j.model.name, execution_provider: j.model.execution_provider, demo: j.model.demo } : null),
      reopened: j.reopened,
      ...(s.error ? { error: s.error } : {}),
    };
  }

  function rowOf(j: Job, r: DocumentRow, index: number): CorpusDocumentRow {
    return {
      index,
      file: handles.issue(r.path, 'file'),
      name: nameOf(j, r.path),
      status: r.status,
      source: r.source ?? null,
      tokens: r.tokens ?? null,
      ...(r.error ? { errorCode: r.error.code, errorMessage: r.error.message } : {}),
      rsquared: r.rsquared ?? [],
      betas: (r.params ?? []).map((p) => p.slice(1)),
      pvalues: (r.pvalues ?? []).map((p) => p.slice(1)),
    };
  }

  function rowsOf(j: Job): DocumentRow[] {
    return j.run ? j.run.rows() : j.rows;
  }

  function changed(j: Job): void {
    j.stale = true;
    j.summaryStale = true;
  }

  function finishedShas(j: Job): string[] {
    return rowsOf(j).flatMap((r) => ((r.status === 'ok' || r.status === 'error') && r.sha256 !== null ? [r.sha256] : []));
  }

  async function reader(j: Job): Promise<CorpusStore> {
    if (!j.reader || j.stale) {
      j.reader = await CorpusStore.open(j.outDir, { readOnly: true });
      j.stale = false;
    }
    return j.reader;
  }

  /** Runs the job's batch (again): stored documents are skipped, stored taps refit. */
  async function run(j: Job): Promise<void> {
    if (active && active !== j && active.run) throw new NormscopeError('BAD_USAGE', 'a corpus batch is running: pause or cancel it first');
    if (j.run) throw new NormscopeError('BAD_USAGE', 'this batch is running already');
    if (j.inputs.length === 0) throw new NormscopeError('BAD_INPUT', 'the texts of this batch are no longer where they were: choose their folder and start again');
    const model = await resolveModel(o.modelSpec);
    const loadOptions = typeof o.loadOptions === 'function' ? await o.loadOptions() : o.loadOptions;
    const r = startCorpusRun({
      paths: j.inputs,
      outDir: j.outDir,
      model,
      settings: j.settings,
      ...(loadOptions ? { loadOptions } : {}),
    });
    active = j;
    j.run = r;
    j.reopened = false;
    j.model = null;
    changed(j);
    r.on('status', (s) => {
      j.last = s;
      if (s.model && !j.model) j.model = { ...s.model, demo: model.demo };
      platform.emit('corpus:progress', statusOf(j, s));
    });
    r.on('document', (d) => {
      changed(j);
      platform.emit('corpus:document', { jobId: j.jobId, row: rowOf(j, d, d.index) });
    });
    j.ended = r.done.then((outcome) => {
      j.rows = outcome.rows;
      j.last = outcome.status;
      j.run = null;
      changed(j);
      if (active === j) active = null;
    });
  }

  function newJob(inputs: Input[], outDir: string, settings: Settings): Job {
    const j: Job = {
      jobId: crypto.randomBytes(16).toString('hex'),
      inputs: inputs.map((i) => i.path),
      inputHandles: inputs.map((i) => handles.issue(i.path, i.kind)),
      outDir,
      resultsHandle: handles.issue(outDir, 'folder'),
      settings,
      run: null,
      ended: Promise.resolve(),
      last: idleStatus(outDir),
      rows: [],
      model: null,
      reopened: false,
      reader: null,
      stale: true,
      summary: null,
      summaryStale: true,
      summaryAt: 0,
      summaryMs: 0,
      computing: null,
    };
    jobs.set(j.jobId, j);
    return j;
  }

  /**
   * The corpus summary of the job's documents (the core's), cached until the next result is stored; while the batch
   * runs, the cached one is served until LIVE_REFRESH_MS (or 5× its own cost) has passed, so the figures update live
   * without the summary crowding out the batch.
   */
  async function summary(j: Job): Promise<Summary> {
    for (;;) {
      if (j.summary && !j.summaryStale) return j.summary;
      // only while documents are still arriving: a paused or finished batch gets the summary of all it stored
      const running = j.run?.status().state === 'running';
      if (j.summary && running && Date.now() - j.summaryAt < Math.max(LIVE_REFRESH_MS, 5 * j.summaryMs)) return j.summary;
      if (!j.computing) {
        j.computing = computeSummary(j).finally(() => {
          j.computing = null;
        });
        return j.computing;
      }
      if (running) return j.computing;
      await j.computing.catch(() => undefined); // begun while documents arrived: then make the one of them all
    }
  }

  async function computeSummary(j: Job): Promise<Summary> {
    if (!j.model) throw new NormscopeError('BAD_INPUT', 'this batch has no results yet');
    const started = Date.now();
    j.summaryStale = false;
    const store = await reader(j);
    const { summary: s } = await summarizeStore(store, j.model, j.settings, { sha256s: finishedShas(j), keepDocuments: false });
    const results: CorpusResults = {
      jobId: j.jobId,
      settings: j.settings,
      alpha: s.alpha,
      counts: s.documents,
      layers: s.layers.map(layerOf),
      figures: corpusFigureData(s.layers, j.settings),
    };
    // a result stored meanwhile has set summaryStale again: this one is still the newest there is
    const out = { results, core: s };
    j.summary = out;
    j.summaryAt = Date.now();
    j.summaryMs = j.summaryAt - started;
    return out;
  }

  const handlersImpl: CorpusBindings['handlers'] = {
    async 'corpus:start'(req) {
      const folder: Input = { path: handles.resolve(req.folder, 'folder').path, kind: 'folder' };
      const outDir = handles.resolve(req.resultsFolder, 'folder').path;
      const inputs = [folder, ...(req.inputs ?? []).map(resolveInput)].filter((input, i, all) => all.findIndex((x) => x.path === input.path) === i);
      if (inputs.some((i) => path.resolve(i.path) === path.resolve(outDir))) {
        throw new NormscopeError('BAD_INPUT', 'the results folder must not be the folder of texts: choose another (an empty or new folder)');
      }
      const j = newJob(inputs, outDir, normalizeSettings(req.settings));
      await run(j);
      return statusOf(j);
    },

    async 'corpus:pause'(req) {
      const j = job(req.jobId);
      j.run?.pause();
      return statusOf(j);
    },

    async 'corpus:resume'(req) {
      const j = job(req.jobId);
      if (j.run) j.run.resume();
      else await run(j);
      return statusOf(j);
    },

    async 'corpus:cancel'(req) {
      const j = job(req.jobId);
      j.run?.cancel();
      await j.ended;
      return statusOf(j);
    },

    async 'corpus:status'(req) {
      return statusOf(job(req.jobId));
    },

    async 'corpus:results'(req) {
      return (await summary(job(req.jobId))).results;
    },

    async 'corpus:rows'(req) {
      const j = job(req.jobId);
      return rowsOf(j).map((r, i) => rowOf(j, r, i));
    },

    async 'corpus:open'(req) {
      const outDir = handles.resolve(req.resultsFolder, 'folder').path;
      if (active?.run && path.resolve(active.outDir) === path.resolve(outDir)) return statusOf(active);
      let store: CorpusStore;
      try {
        store = await CorpusStore.open(outDir, { readOnly: true });
      } catch (e) {
        // a new or empty folder: nothing to show yet, a run will create the store
        if (e instanceof NormscopeError && e.code === 'BAD_INPUT' && !(await exists(path.join(outDir, MANIFEST_FILE)))) return null;
        throw e;
      }
      const manifest = store.getManifest();
      const lastRun = manifest.runs.at(-1);
      if (!lastRun) return null;
      const entry = manifest.models.find((m) => m.model_sha256 === lastRun.model_sha256);
      if (!entry) throw new NormscopeError('BAD_INPUT', `${displayPath(outDir)}: its manifest names no model for its last run`);
      const inputs = await existing(lastRun.inputs.map((p) => path.resolve(outDir, p)));
      const j = newJob(inputs, outDir, normalizeSettings(lastRun.settings));
      j.reopened = true;
      j.reader = store;
      j.stale = false;
      j.model = { model_sha256: entry.model_sha256, tokenizer_sha256: entry.tokenizer_sha256, name: entry.name, execution_provider: entry.execution_provider, demo: isDemoName(entry.name) };
      j.rows = await storedRows(store, j.inputs, j.model, j.settings);
      const done = j.rows.filter((r) => r.status === 'ok' || r.status === 'error').length;
      j.last = {
        ...idleStatus(outDir),
        // everything stored is done, whatever stopped the last run; else what stopped it (a killed run reads as cancelled)
        state: done === j.rows.length ? 'done' : lastRun.state === 'error' ? 'error' : 'cancelled',
        documentsTotal: j.rows.length,
        documentsDone: done,
        documentsFailed: j.rows.filter((r) => r.status === 'error').length,
        documentsSkipped: done,
        model: { name: entry.name, model_sha256: entry.model_sha256, tokenizer_sha256: entry.tokenizer_sha256, execution_provider: entry.execution_provider },
      };
      return statusOf(j);
    },

    async 'corpus:openDocument'(req) {
      const t0 = performance.now();
      const j = job(req.jobId);
      const row = rowsOf(j)[req.index];
      if (!row) throw new NormscopeError('BAD_INPUT', `this batch has no document number ${req.index + 1}`);
      if (row.status === 'error' && row.error) throw new NormscopeError(row.error.code, `${nameOf(j, row.path)}: ${row.error.message}`);
      if (row.status !== 'ok' || row.sha256 === null || !j.model) throw new NormscopeError('BAD_INPUT', `${nameOf(j, row.path)} has no result yet`);
      const store = await reader(j);
      const entry = store.findResult(row.sha256, j.model, j.settings);
      if (!entry) throw new NormscopeError('READ_FAILED', `the result of ${nameOf(j, row.path)} is not in ${displayPath(j.outDir)}`);
      const [doc, rec, taps] = await Promise.all([store.readDocument(entry), store.readResult(entry), store.readTaps(row.sha256, j.model)]);
      if (doc.status !== 'ok' || !taps) throw new NormscopeError('READ_FAILED', `the stored taps of ${nameOf(j, row.path)} are missing from ${displayPath(j.outDir)}`);
      const known = store.getManifest().models.find((m) => m.model_sha256 === rec.model_sha256 && m.tokenizer_sha256 === rec.tokenizer_sha256);
      if (!known) throw new NormscopeError('READ_FAILED', `${displayPath(j.outDir)}: its manifest does not name the model of ${nameOf(j, row.path)}`);
      const { name, source, n_layer, n_head, n_embd, n_positions, execution_provider } = known;
      return o.showDocument({
        path: row.path,
        file: handles.issue(row.path, 'file'),
        sha256: row.sha256,
        taps,
        tokens: doc.tokens,
        settings: rec.settings,
        layers: doc.layers,
        model: { name, source, n_layer, n_head, n_embd, n_positions, execution_provider, demo: isDemoName(name) },
        provenance: {
          normscope: VERSION,
          model_sha256: rec.model_sha256,
          model_revision: known.revision,
          tokenizer_sha256: rec.tokenizer_sha256,
          execution_provider,
          created: rec.created,
        },
        savedTo: path.join(j.outDir, RESULTS_FILE),
        readMs: performance.now() - t0,
      });
    },

    async 'corpus:saveFigure'(req) {
      const j = job(req.jobId);
      const { figures } = (await summary(j)).results;
      if (!figures) throw new NormscopeError('BAD_INPUT', 'no document of this batch has been fitted yet');
      const stem = path.basename(j.inputs[0] ?? j.outDir);
      const target = await platform.chooseSavePath(figureFileName(stem, req.figure, req.format), req.format);
      if (!target) return null;
      const bytes = await corpusFigureFile(req.figure, figures, req);
      await writeFileAtomic(target, bytes);
      return { displayPath: displayPath(target), name: path.basename(target), bytes: bytes.byteLength };
    },

    async 'corpus:exportSummary'(req) {
      const j = job(req.jobId);
      if (!j.model) throw new NormscopeError('BAD_INPUT', 'this batch has no results yet');
      // streamed from the store (the per-document CSV row by row), not from the cached summary: no corpus of fits in memory
      const { files } = await writeStoreSummary(await reader(j), j.model, j.settings, j.outDir, { sha256s: finishedShas(j) });
      return Promise.all(files.map(async (f): Promise<SavedFile> => ({ displayPath: displayPath(f), name: path.basename(f), bytes: (await fs.stat(f)).size })));
    },

    async 'corpus:exportTables'(req) {
      const j = job(req.jobId);
      const written = await exportTables(await reader(j), j.outDir, req.format);
      return written.map((w): SavedFile => ({ displayPath: displayPath(w.file), name: path.basename(w.file), bytes: w.bytes }));
    },
  };

  function resolveInput(id: string): Input {
    try {
      return { path: handles.resolve(id, 'folder').path, kind: 'folder' };
    } catch {
      return { path: handles.resolve(id, 'file').path, kind: 'file' };
    }
  }

  return {
    handlers: handlersImpl,
    async dispose() {
      for (const j of jobs.values()) j.run?.cancel();
      await Promise.all([...jobs.values()].map((j) => j.ended));
      jobs.clear();
    },
  };
}

/** The corpus figures' inputs, picked from the core's layer summaries: per layer and lag, the finite β of every
 * document and the share with p < alpha (layers without a fitted document left out). */
export function corpusFigureData(layers: readonly LayerSummary[], settings: Settings): CorpusResults['figures'] {
  const lags = Array.from({ length: settings.lags }, (_, i) => i + 1);
  const fitted = layers.filter((l) => l.n_documents > 0 && lags.every((k) => Number.isFinite(l.coefficients[k]?.share_significant)));
  if (fitted.length === 0) return null;
  return {
    'beta-distributions': {
      lags: settings.lags,
      component: settings.component,
      layers: fitted.map((l) => ({ layer: l.layer, betas: lags.map((k) => l.coefficients[k]!.betas.filter(Number.isFinite)) })),
    },
    'share-significant': {
      lags: settings.lags,
      component: settings.component,
      layers: fitted.map((l) => ({ layer: l.layer, share: lags.map((k) => l.coefficients[k]!.share_significant), n: l.n_documents })),
    },
  };
}

/**
 * A reopened folder's rows: each document of the recorded inputs with its stored result, found by content hash as a
 * run finds it (so a resume redoes exactly the pending ones); the stored results themselves when the inputs are gone.
 */
async function storedRows(store: CorpusStore, inputs: string[], model: ModelIdentity, settings: Settings): Promise<DocumentRow[]> {
  const paths = inputs.length > 0 ? await collectInputs(inputs) : [];
  if (paths.length === 0) {
    const entries = store.entries(model, settings).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return Promise.all(entries.map(async (e) => rowOfRecord(await store.readResult(e), e.path)));
  }
  const rows: DocumentRow[] = [];
  for (const p of paths) {
    const sha = await hashFile(p).catch(() => null);
    const entry = sha === null ? undefined : store.findResult(sha, model, settings);
    rows.push(entry ? rowOfRecord(await store.readResult(entry), p) : { path: p, sha256: sha, status: 'pending' });
  }
  return rows;
}

function rowOfRecord(rec: ResultRecord, docPath: string): DocumentRow {
  return {
    path: docPath,
    sha256: rec.sha256,
    status: rec.status,
    source: 'stored',
    ...(rec.n_tokens !== undefined ? { tokens: rec.n_tokens } : {}),
    ...(rec.error ? { error: rec.error } : {}),
    ...(rec.layers ? { rsquared: rec.layers.map((l) => l.fit.rsquared), params: rec.layers.map((l) => l.fit.params), pvalues: rec.layers.map((l) => l.fit.pvalues) } : {}),
  };
}

function maybe(v: number | undefined): Maybe {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

function layerOf(l: LayerSummary): CorpusLayerSummary {
  return {
    layer: l.layer,
    tap: l.tap,
    nDocuments: l.n_documents,
    coefficients: l.coefficients.map((c) => ({
      index: c.index,
      term: c.term,
      n: c.n,
      mean: maybe(c.mean),
      sd: maybe(c.sd),
      quantiles: { min: maybe(c.quantiles.min), q25: maybe(c.quantiles.q25), median: maybe(c.quantiles.median), q75: maybe(c.quantiles.q75), max: maybe(c.quantiles.max) },
      shareSignificant: maybe(c.share_significant),
      nSignificant: c.n_significant,
      weightedMean: maybe(c.weighted?.mean),
      weightedMeanSe: maybe(c.weighted?.se),
      weightedMeanConfInt: c.weighted ? c.weighted.conf_int : null,
      heterogeneity: c.weighted ? { q: c.weighted.q, df: c.weighted.q_df, pvalue: maybe(c.weighted.q_pvalue), i2: c.weighted.i2 } : null,
    })),
    pooled: pooledOf(l.pooled, (fit) => ({
      nobs: fit.nobs,
      rsquared: fit.rsquared,
      coefficients: fit.params.map((estimate, k) => ({ index: k, estimate, bse: fit.bse[k]!, pvalue: fit.pvalues[k]!, confInt: fit.conf_int[k]! })),
    })),
    fixedEffects: pooledOf(l.fixed_effects, (fit: FixedEffectsFit) => ({
      nobs: fit.nobs,
      rsquared: fit.rsquared_within,
      // the within fit reports the lags only: index k is lag k
      coefficients: fit.params.map((estimate, k) => ({ index: k + 1, estimate, bse: fit.bse[k]!, pvalue: fit.pvalues[k]!, confInt: fit.conf_int[k]! })),
    })),
  };
}

function pooledOf<T extends object>(v: T | Unavailable | undefined, of: (fit: T) => CorpusPooledFit): CorpusLayerSummary['pooled'] {
  if (v === undefined) return null;
  return 'error' in v ? { error: (v as Unavailable).error } : of(v as T);
}

function idleStatus(outDir: string): RunStatus {
  return {
    state: 'idle',
    phase: null,
    pausing: false,
    documentsTotal: 0,
    documentsDone: 0,
    documentsFailed: 0,
    documentsSkipped: 0,
    documentsRefit: 0,
    tokensDone: 0,
    tokensPerSecond: 0,
    etaSeconds: null,
    currentFile: null,
    currentTokens: null,
    elapsedSeconds: 0,
    outDir,
    model: null,
  };
}

async function exists(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => null)) !== null;
}

/** The recorded inputs that are still there (a moved corpus cannot be resumed from its old place). */
async function existing(paths: string[]): Promise<Input[]> {
  const found = await Promise.all(
    paths.map(async (p): Promise<Input | null> => {
      const stat = await fs.stat(p).catch(() => null);
      return stat ? { path: p, kind: stat.isDirectory() ? 'folder' : 'file' } : null;
    }),
  );
  return found.filter((i): i is Input => i !== null);
}
