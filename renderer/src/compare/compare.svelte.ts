// The Compare view's state: what can be compared (installed models for the open document, or the open corpus' sibling
// runs), the picks, each model's progress, and the finished comparison from main. Every number shown comes from main.
import {
  COMPARE_APP_MODELS,
  type CompareFigure,
  type CompareModelProgress,
  type CompareRunChoice,
  type CompareView,
  type ExportFormat,
  type ModelEntry,
  type PngResolution,
} from '../../../shared/ipc.js';
import { call, on } from '../lib/api.js';
import { saveFigureFile } from '../lib/saveFigureFile.js';
import { app } from '../lib/state.svelte.js';
import { corpus } from '../corpus/corpus.svelte.js';

/** What the comparison runs over: the open document through models, or the open corpus' runs. */
export type CompareSource = 'document' | 'corpus';

class CompareState {
  source = $state<CompareSource>('document');
  models = $state.raw<ModelEntry[]>([]);
  runs = $state.raw<CompareRunChoice[]>([]);
  /** Model names (document) or run folder handle ids (corpus), in the order picked. */
  picked = $state<string[]>([]);
  rows = $state<CompareModelProgress[]>([]);
  running = $state(false);
  result = $state.raw<CompareView | null>(null);
  /** The model whose marks are highlighted in every figure (hover on any of them). */
  hoverModel = $state<number | null>(null);
  rendered = $state<Record<string, string>>({});
  #compareId: string | null = null;

  canStart = $derived(!this.running && this.picked.length >= COMPARE_APP_MODELS.min && this.picked.length <= COMPARE_APP_MODELS.max && (this.source === 'corpus' || app.doc !== null));

  #listening = false;

  /** Follows compare:progress (once; App calls it on mount). */
  init(): void {
    if (this.#listening) return;
    this.#listening = true;
    on('compare:progress', (p) => {
      if (p.compareId !== this.#compareId && this.#compareId !== null) return;
      this.#compareId = p.compareId;
      const rows = this.rows.slice();
      rows[p.model] = p;
      this.rows = rows;
    });
  }

  /** Lists the choices for the current source (installed models, or the sibling runs of the open corpus). */
  async refresh(): Promise<void> {
    try {
      this.source = app.doc === null && corpus.status ? 'corpus' : this.source;
      if (this.source === 'corpus' && corpus.status) {
        this.runs = await call('compare:siblings', { resultsFolder: corpus.status.results.id });
      } else {
        this.models = (await call('models:list')).filter((m) => m.status === 'installed');
      }
      this.picked = this.picked.filter((p) => (this.source === 'corpus' ? this.runs.some((r) => r.folder.id === p) : this.models.some((m) => m.name === p)));
    } catch (e) {
      app.fail(e);
    }
  }

  toggle(id: string): void {
    this.picked = this.picked.includes(id) ? this.picked.filter((p) => p !== id) : this.picked.length < COMPARE_APP_MODELS.max ? [...this.picked, id] : this.picked;
  }

  async start(): Promise<void> {
    if (!this.canStart) return;
    const picked = $state.snapshot(this.picked);
    this.running = true;
    this.result = null;
    this.#compareId = null;
    this.rows = picked.map((p, model) => ({ compareId: '', model, label: this.labelOf(p), phase: 'waiting', documentsDone: 0, documentsTotal: 0 }));
    try {
      this.result = await call('compare:start', this.source === 'corpus' ? { runs: picked } : { docId: app.doc!.docId, models: picked });
      const failed = this.result.comparison.models.filter((m) => m.status === 'error' && m.error?.code !== 'CANCELLED');
      if (failed.length) app.notify('error', `${failed.length} of ${picked.length} models failed; the others are shown`);
    } catch (e) {
      app.fail(e);
    } finally {
      this.running = false;
    }
  }

  async cancel(): Promise<void> {
    try {
      await call('compare:cancel');
    } catch (e) {
      app.fail(e);
    }
  }

  async saveFigure(figure: CompareFigure, format: ExportFormat, resolution?: PngResolution): Promise<void> {
    if (!this.result) return;
    const compareId = this.result.compareId;
    await saveFigureFile((o) => call('compare:saveFigure', { compareId, figure, ...o }), format, resolution);
  }

  async saveJson(): Promise<void> {
    if (!this.result) return;
    try {
      const saved = await call('compare:saveJson', { compareId: this.result.compareId });
      if (saved) app.notify('success', `Saved ${saved.name}`);
    } catch (e) {
      app.fail(e);
    }
  }

  markRendered(figure: string, key: string): void {
    this.rendered = { ...this.rendered, [figure]: key };
  }

  labelOf(id: string): string {
    return this.source === 'corpus' ? (this.runs.find((r) => r.folder.id === id)?.folder.name ?? id) : (this.models.find((m) => m.name === id)?.displayName ?? id);
  }
}

export const compare = new CompareState();

/** Marks one model's lines, bands, markers, bars and legend entry in a figure, and dims the rest. */
export function linkModel(svg: SVGSVGElement, model: number | null): void {
  svg.classList.toggle('linking-model', model !== null);
  for (const el of svg.querySelectorAll('[data-model]')) el.classList.toggle('linked-model', model !== null && el.getAttribute('data-model') === String(model));
}

/** The model under the pointer, or null. */
export function modelAt(e: PointerEvent): number | null {
  const v = (e.target as Element).closest('[data-model]')?.getAttribute('data-model');
  return v === undefined || v === null ? null : Number(v);
}
