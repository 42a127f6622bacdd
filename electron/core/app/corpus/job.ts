// One batch of the corpus view: its texts, results folder and settings, the run in flight, and what the view reads
// back of it (rows, a read-only view of the results folder, the core's corpus summary, kept fresh while the run goes on).
import crypto from 'node:crypto';
import path from 'node:path';
import { CORPUS_LIVE_REFRESH_MS, type CorpusResults, type FileHandle } from '../../../../shared/ipc.js';
import type { Settings } from '../../../../shared/result.js';
import { CorpusStore, summarizeStore, type CorpusRun, type CorpusRunStatus, type CorpusSummary, type DocumentRow, type ModelIdentity } from '../../corpus/index.js';
import { NormscopeError } from '../../errors.js';
import type { HandleRegistry } from '../handles.js';
import { corpusFigureData, layerView } from './results-view.js';

export interface Input {
  path: string;
  kind: FileHandle['kind'];
}

export interface ModelOfJob extends ModelIdentity {
  name: string;
  execution_provider: string;
  demo: boolean;
}

/** The shortest interval between two summaries of a running batch. */
export const LIVE_REFRESH_MS = CORPUS_LIVE_REFRESH_MS;

interface Summary {
  results: CorpusResults;
  core: CorpusSummary;
}

export class CorpusJob {
  readonly jobId = crypto.randomBytes(16).toString('hex');
  /** Absolute paths: the chosen folder first. */
  readonly inputs: string[];
  readonly inputHandles: FileHandle[];
  readonly resultsHandle: FileHandle;
  run: CorpusRun | null = null;
  /** Resolves when the run in flight has ended and its rows are kept. */
  ended: Promise<void> = Promise.resolve();
  /** The latest status: the run's, or the one a reopened folder's files give. */
  last: CorpusRunStatus;
  /** Rows once no run is in flight (a run's live rows come from the run). */
  rows: DocumentRow[] = [];
  model: ModelOfJob | null = null;
  reopened = false;
  /** A read-only view of the results folder, reopened after new results were stored. */
  private store: CorpusStore | null = null;
  private stale = true;
  private summaryKept: Summary | null = null;
  /** A result was stored since the kept summary was computed. */
  private summaryStale = true;
  /** When the kept summary was computed, and how long that took (ms): a running batch's summary is refreshed at most
   * every LIVE_REFRESH_MS, and waits 5× its own cost after each, so live figures take at most a sixth of a core. */
  private summaryAt = 0;
  private summaryMs = 0;
  private computing: Promise<Summary> | null = null;

  constructor(
    inputs: Input[],
    readonly outDir: string,
    readonly settings: Settings,
    handles: HandleRegistry,
  ) {
    this.inputs = inputs.map((i) => i.path);
    this.inputHandles = inputs.map((i) => handles.issue(i.path, i.kind));
    this.resultsHandle = handles.issue(outDir, 'folder');
    this.last = idleStatus(outDir);
  }

  /** The path within the chosen folder (or the file's name), for display. */
  nameOf(p: string): string {
    for (const input of this.inputs) {
      const rel = path.relative(input, p);
      if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    }
    return path.basename(p);
  }

  rowsNow(): DocumentRow[] {
    return this.run ? this.run.rows() : this.rows;
  }

  /** A result was stored: the reader and the summary are out of date. */
  changed(): void {
    this.stale = true;
    this.summaryStale = true;
  }

  finishedShas(): string[] {
    return this.rowsNow().flatMap((r) => ((r.status === 'ok' || r.status === 'error') && r.sha256 !== null ? [r.sha256] : []));
  }

  async reader(): Promise<CorpusStore> {
    if (!this.store || this.stale) {
      this.store = await CorpusStore.open(this.outDir, { readOnly: true });
      this.stale = false;
    }
    return this.store;
  }

  /** A reopened folder's store, already open. */
  adoptReader(store: CorpusStore): void {
    this.store = store;
    this.stale = false;
  }

  /**
   * The corpus summary of the job's documents (the core's), cached until the next result is stored; while the batch
   * runs, the cached one is served until LIVE_REFRESH_MS (or 5× its own cost) has passed, so the figures update live
   * without the summary crowding out the batch.
   */
  async summary(): Promise<Summary> {
    for (;;) {
      if (this.summaryKept && !this.summaryStale) return this.summaryKept;
      // only while documents are still arriving: a paused or finished batch gets the summary of all it stored
      const running = this.run?.status().state === 'running';
      if (this.summaryKept && running && Date.now() - this.summaryAt < Math.max(LIVE_REFRESH_MS, 5 * this.summaryMs)) return this.summaryKept;
      if (!this.computing) {
        this.computing = this.computeSummary().finally(() => {
          this.computing = null;
        });
        return this.computing;
      }
      if (running) return this.computing;
      await this.computing.catch(() => undefined); // begun while documents arrived: then make the one of them all
    }
  }

  private async computeSummary(): Promise<Summary> {
    if (!this.model) throw new NormscopeError('BAD_INPUT', 'this batch has no results yet');
    const started = Date.now();
    this.summaryStale = false;
    const store = await this.reader();
    const { summary: s } = await summarizeStore(store, this.model, this.settings, { sha256s: this.finishedShas(), keepDocuments: false });
    const results: CorpusResults = {
      jobId: this.jobId,
      settings: this.settings,
      alpha: s.alpha,
      counts: s.documents,
      layers: s.layers.map(layerView),
      figures: corpusFigureData(s.layers, this.settings),
    };
    // a result stored meanwhile has set summaryStale again: this one is still the newest there is
    const out = { results, core: s };
    this.summaryKept = out;
    this.summaryAt = Date.now();
    this.summaryMs = this.summaryAt - started;
    return out;
  }
}

/** A job's status before any run (or a reopened folder's, before its counts). */
export function idleStatus(outDir: string): CorpusRunStatus {
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
