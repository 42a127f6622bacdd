// The corpus view's state and actions: the folders chosen (as handles), the job main runs, its rows as they are
// stored, and the corpus summary main computes. Like lib/state, it only asks main and keeps what it was told.
import {
  CORPUS_LIVE_REFRESH_MS as LIVE_REFRESH_MS,
  type CorpusDocumentRow,
  type CorpusFigure,
  type CorpusResults,
  type CorpusStatus,
  type CorpusTableFormat,
  type ExportFormat,
  type FileHandle,
  type PngResolution,
} from '../../../shared/ipc.js';
import { call, on } from '../lib/api.js';
import { runBusy } from '../lib/busy.js';
import { saveFigureFile } from '../lib/saveFigureFile.js';
import { app, settingsKey } from '../lib/state.svelte';

/** Columns the document table sorts by: its own, or a layer's β (at the chosen lag) or R². */
export type SortKey = 'index' | 'name' | 'status' | 'tokens' | `beta:${number}` | `r2:${number}`;

const FINAL = new Set(['ok', 'error']);
const ENDED = new Set(['done', 'cancelled', 'error']);

class CorpusState {
  folder = $state<FileHandle | null>(null);
  /** A reopened folder's recorded inputs beyond the first (files or folders). */
  extraInputs = $state.raw<FileHandle[]>([]);
  resultsFolder = $state<FileHandle | null>(null);
  status = $state.raw<CorpusStatus | null>(null);
  /** raw: thousands of rows, replaced whole on each change */
  rows = $state.raw<CorpusDocumentRow[]>([]);
  results = $state.raw<CorpusResults | null>(null);
  /** The lag whose β the document table shows. */
  lag = $state(1);
  sort = $state<{ key: SortKey; dir: 1 | -1 }>({ key: 'index', dir: 1 });
  showFixedEffects = $state(true);
  /** The action waiting on main, to disable its button. */
  busy = $state<string | null>(null);
  /** figure → the key it last drew (results, theme, width) */
  rendered = $state<Record<string, string>>({});
  #resultsVersion = $state(0);

  running = $derived(this.status?.state === 'running' || this.status?.state === 'paused');
  /** A batch that stopped before its end (cancelled, failed, or reopened part-way), which Resume carries on. */
  resumable = $derived(
    this.status !== null && !this.running && this.status.inputs.length > 0 && (this.status.state === 'cancelled' || this.status.state === 'error'),
  );
  canStart = $derived(this.folder !== null && this.resultsFolder !== null && !this.running && this.busy === null);
  /** The fit settings in the toolbar differ from those of the results shown: a start refits (or runs) with them. */
  settingsChanged = $derived(this.status !== null && settingsKey(this.status.settings) !== settingsKey(app.settings));
  /** Which results the figures draw: a new key each time main's summary is fetched (not on every progress event). */
  resultsKey = $derived(this.results ? `${this.results.jobId}|${this.#resultsVersion}` : '');
  sortedRows = $derived.by(() => sortRows(this.rows, this.sort.key, this.sort.dir, this.lag));

  #resultsSeq = 0;
  /** Progress events taken so far: a reply older than the last event must not overwrite it. */
  #events = 0;

  init(): void {
    on('corpus:progress', (s) => {
      if (this.status && s.jobId !== this.status.jobId) return;
      const before = this.status;
      this.#events++;
      this.status = s;
      // the scan is done: every document's row (pending ones too)
      if (s.phase !== 'scanning' && s.documentsTotal > 0 && this.rows.length !== s.documentsTotal) void this.loadRows();
      const settled = s.state === 'paused' || ENDED.has(s.state);
      if (settled && before?.state !== s.state) void this.loadResults();
    });
    on('corpus:document', (e) => {
      if (e.jobId !== this.status?.jobId) return;
      const rows = this.rows.slice();
      rows[e.row.index] = e.row;
      this.rows = rows;
      this.#liveRefresh();
    });
  }

  #liveTimer: ReturnType<typeof setTimeout> | null = null;

  /** While the batch runs, the figures and table follow its results: at most one fetch per LIVE_REFRESH_MS (main
   * serves its cached summary until it is due, so a slow summary is not recomputed back to back). */
  #liveRefresh(): void {
    if (this.#liveTimer !== null) return;
    const delay = this.results === null ? 0 : LIVE_REFRESH_MS;
    this.#liveTimer = setTimeout(() => {
      this.#liveTimer = null;
      if (this.running) void this.loadResults();
    }, delay);
  }

  async chooseFolder(): Promise<void> {
    await this.#run('folder', async () => {
      const chosen = await call('file:chooseFolder', { purpose: 'corpus' });
      if (!chosen) return;
      this.folder = chosen;
      this.extraInputs = [];
    });
  }

  /** A results folder: its stored results are shown at once (and can be resumed); a new or empty one waits for Start. */
  async chooseResultsFolder(): Promise<void> {
    await this.#run('results', async () => {
      const chosen = await call('file:chooseFolder', { purpose: 'results' });
      if (!chosen) return;
      this.resultsFolder = chosen;
      const stored = await call('corpus:open', { resultsFolder: chosen.id });
      if (!stored) {
        if (!this.running) this.#adopt(null);
        return;
      }
      this.#adopt(stored);
      if (stored.inputs[0]) {
        this.folder = stored.inputs[0];
        this.extraInputs = stored.inputs.slice(1);
      }
      // the toolbar shows the settings these results were fitted with, so Resume goes on with them
      if (settingsKey(stored.settings) !== settingsKey(app.settings)) app.setSettings(stored.settings);
      await Promise.all([this.loadRows(), this.loadResults()]);
    });
  }

  async start(): Promise<void> {
    const folder = this.folder;
    const results = this.resultsFolder;
    if (!folder || !results) return;
    await this.#run('start', async () => {
      const events = this.#events;
      const s = await call('corpus:start', {
        folder: folder.id,
        resultsFolder: results.id,
        settings: $state.snapshot(app.settings),
        ...(this.extraInputs.length ? { inputs: this.extraInputs.map((h) => h.id) } : {}),
      });
      // the run's own events may have come first (a page with no job takes them): they are newer than this reply
      if (s.jobId !== this.status?.jobId || events === this.#events) this.#adopt(s);
    });
  }

  async pause(): Promise<void> {
    await this.#job('pause', (jobId) => call('corpus:pause', { jobId }));
  }

  async resume(): Promise<void> {
    await this.#job('resume', async (jobId) => {
      const s = await call('corpus:resume', { jobId });
      // a reopened folder's texts were chosen again for Resume (main asks): their handles replace the recorded ones shown
      if (s.inputs[0] && s.inputs[0].id !== this.folder?.id && /^[0-9a-f]{32}$/.test(s.inputs[0].id)) {
        this.folder = s.inputs[0];
        this.extraInputs = s.inputs.slice(1);
      }
      return s;
    });
  }

  async cancel(): Promise<void> {
    await this.#job('cancel', async (jobId) => {
      const s = await call('corpus:cancel', { jobId });
      app.notify('info', `Cancelled after ${s.documentsDone} of ${s.documentsTotal} documents; every finished one is stored, Resume goes on from there`);
      return s;
    });
  }

  async loadRows(): Promise<void> {
    const jobId = this.status?.jobId;
    if (!jobId) return;
    try {
      const fetched = await call('corpus:rows', { jobId });
      if (jobId !== this.status?.jobId) return;
      // a row announced while the list was on its way is newer than the list's copy
      this.rows = fetched.map((r, i) => {
        const known = this.rows[i];
        return known && FINAL.has(known.status) && !FINAL.has(r.status) ? known : r;
      });
    } catch (e) {
      app.fail(e);
    }
  }

  async loadResults(): Promise<void> {
    const s = this.status;
    if (!s?.model || s.documentsDone === 0) return;
    const seq = ++this.#resultsSeq;
    try {
      const r = await call('corpus:results', { jobId: s.jobId });
      if (seq === this.#resultsSeq && r.jobId === this.status?.jobId) {
        this.results = r;
        this.#resultsVersion++;
      }
    } catch (e) {
      app.fail(e);
    }
  }

  /** A finished document in the document view, from the stored taps and fits (no model run). */
  async openRow(row: CorpusDocumentRow): Promise<void> {
    const jobId = this.status?.jobId;
    if (!jobId) return;
    if (row.status === 'error') {
      app.notify('error', `${row.name}: ${row.errorMessage ?? 'failed'}`, row.errorCode);
      return;
    }
    if (row.status !== 'ok') return;
    await this.#run(`open:${row.index}`, async () => app.showDocument(await call('corpus:openDocument', { jobId, index: row.index })));
  }

  async saveFigure(figure: CorpusFigure, format: ExportFormat, resolution?: PngResolution): Promise<void> {
    const jobId = this.status?.jobId;
    if (!jobId) return;
    await saveFigureFile((o) => call('corpus:saveFigure', { jobId, figure, ...o }), format, resolution);
  }

  /** tokens.parquet and fits.parquet (or .csv) into the results folder, as `normscope export` writes them. */
  async exportTables(format: CorpusTableFormat): Promise<void> {
    await this.#job(`export-${format}`, async (jobId) => {
      const files = await call('corpus:exportTables', { jobId, format });
      app.notify('success', `Wrote ${files.map((f) => f.name).join(', ')} to ${files[0]?.displayPath.replace(/[/\\][^/\\]*$/, '') ?? 'the results folder'}`);
      return null;
    });
  }

  async exportSummary(): Promise<void> {
    await this.#job('export', async (jobId) => {
      const files = await call('corpus:exportSummary', { jobId });
      app.notify('success', `Wrote ${files.map((f) => f.name).join(', ')} to ${files[0]?.displayPath.replace(/[/\\][^/\\]*$/, '') ?? 'the results folder'}`);
      return null;
    });
  }

  setSort(key: SortKey): void {
    this.sort = this.sort.key === key ? { key, dir: this.sort.dir === 1 ? -1 : 1 } : { key, dir: key === 'index' || key === 'name' ? 1 : -1 };
  }

  markRendered(figure: CorpusFigure, key: string): void {
    if (this.rendered[figure] !== key) this.rendered[figure] = key;
  }

  #adopt(s: CorpusStatus | null): void {
    if (s?.jobId !== this.status?.jobId) {
      this.rows = [];
      this.results = null;
    }
    this.status = s;
    if (s) this.lag = Math.min(this.lag, s.settings.lags);
  }

  async #job(busy: string, action: (jobId: string) => Promise<CorpusStatus | null>): Promise<void> {
    const jobId = this.status?.jobId;
    if (!jobId) return;
    await this.#run(busy, async () => {
      const events = this.#events;
      const s = await action(jobId);
      if (s && s.jobId === this.status?.jobId && events === this.#events) this.status = s;
    });
  }

  #run(busy: string, action: () => Promise<void>): Promise<void> {
    return runBusy(this, busy, action);
  }
}

/** Rows in the order asked for; rows without the value (pending, failed) last whichever the direction. */
function sortRows(rows: CorpusDocumentRow[], key: SortKey, dir: 1 | -1, lag: number): CorpusDocumentRow[] {
  const value = (r: CorpusDocumentRow): number | string | null => {
    if (key === 'index') return r.index;
    if (key === 'name') return r.name;
    if (key === 'status') return r.errorCode ?? r.status;
    if (key === 'tokens') return r.tokens;
    const [kind, layer] = key.split(':') as ['beta' | 'r2', string];
    const l = Number(layer);
    return kind === 'r2' ? (r.rsquared[l] ?? null) : (r.betas[l]?.[lag - 1] ?? null);
  };
  return rows
    .filter((r) => r !== undefined)
    .map((r) => ({ r, v: value(r) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.r.index - b.r.index : a.v === null ? 1 : -1;
      const c = typeof a.v === 'string' ? a.v.localeCompare(b.v as string) : a.v - (b.v as number);
      return c === 0 ? a.r.index - b.r.index : dir * c;
    })
    .map(({ r }) => r);
}

export const corpus = new CorpusState();
