// The document view's state and the actions that change it. Every number shown comes from main;
// this module only asks (over window.normscope) and keeps what it was told.
import {
  DOCUMENT_FIGURES,
  type AppInfo,
  type DocumentFigure,
  type DocumentProgress,
  type DocumentView,
  type ExportFormat,
  type FileHandle,
  type MenuCommand,
  type ModelStatus,
  type PngResolution,
  type Prefs,
  type RecentFile,
} from '../../../shared/ipc.js';
import { formatBytes } from '../../../shared/bytes.js';
import type { ThemeName } from '../../../shared/figures/types.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/result.js';
import { AppError, call, dropFile, on } from './api.js';
import { summaryText, summaryTsv } from './summary.js';

export interface Notice {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
  code?: string;
}

/** What the pointer is on: a token (strip point, heat cell, token list) and maybe its layer. */
export interface Hover {
  token: number | null;
  layer: number | null;
  value: number | null;
  x: number;
  y: number;
}

const HAC_DEFAULT_MAXLAGS = 2;

export function settingsKey(s: Settings): string {
  return `${s.component}/${s.lags}/${s.start}/${s.cov}/${s.maxlags ?? ''}`;
}

/** The window's views; the toolbar switches between them. */
export type View = 'document' | 'corpus' | 'models';

class AppState {
  view = $state<View>('document');
  info = $state<AppInfo | null>(null);
  prefs = $state<Prefs>({ theme: 'system', exportTheme: 'light', pngResolution: '2x', provider: 'auto' });
  systemDark = $state(false);
  model = $state<ModelStatus>({ state: 'idle' });
  settings = $state<Settings>({ ...DEFAULT_SETTINGS });
  /** raw: a document holds tens of thousands of numbers; deep reactivity would only slow it down */
  doc = $state.raw<DocumentView | null>(null);
  opening = $state<{ name: string; progress: DocumentProgress | null } | null>(null);
  refitting = $state(false);
  recent = $state.raw<RecentFile[]>([]);
  hover = $state<Hover | null>(null);
  selectedLayer = $state(0);
  activeFigure = $state<DocumentFigure>('attention-norm-strip');
  notices = $state<Notice[]>([]);
  saveDialog = $state<{ figure: DocumentFigure | 'all' } | null>(null);
  /** figure → the render key it last drew (document, settings, theme, width) */
  rendered = $state<Record<string, string>>({});

  theme: ThemeName = $derived(this.prefs.theme === 'system' ? (this.systemDark ? 'dark' : 'light') : this.prefs.theme);
  exportTheme: ThemeName = $derived(this.prefs.exportTheme);
  renderKey = $derived(this.doc ? `${this.doc.docId}|${settingsKey(this.doc.settings)}|${this.theme}` : '');
  /** Every figure drawn for the current document, settings and theme (tests and the bench wait on this). */
  ready = $derived(this.doc !== null && !this.refitting && DOCUMENT_FIGURES.every((f) => this.rendered[f] === this.renderKey));

  #noticeId = 0;
  #refitSeq = 0;
  #refitTimer: ReturnType<typeof setTimeout> | null = null;

  async init(): Promise<void> {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    this.systemDark = media.matches;
    media.addEventListener('change', (e) => (this.systemDark = e.matches));
    on('model:progress', (s) => (this.model = s));
    on('document:progress', (p) => {
      if (this.opening) this.opening = { name: p.name, progress: p };
    });
    on('menu:command', (c) => void this.menu(c));
    try {
      [this.info, this.prefs, this.recent, this.model] = await Promise.all([
        call('app:info'),
        call('prefs:get'),
        call('file:recent'),
        call('model:status'),
      ]);
    } catch (e) {
      this.fail(e);
      return;
    }
    // warm the model while the user picks a file
    if (this.model.state === 'idle') call('model:load').catch((e: unknown) => this.fail(e));
  }

  notify(kind: Notice['kind'], text: string, code?: string): void {
    const id = ++this.#noticeId;
    this.notices = [...this.notices.slice(-3), { id, kind, text, ...(code ? { code } : {}) }];
    if (kind !== 'error') setTimeout(() => this.dismiss(id), 5000);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  fail(e: unknown): void {
    if (e instanceof AppError) this.notify('error', e.message, e.code);
    else this.notify('error', String((e as Error)?.message ?? e));
  }

  async chooseAndOpen(): Promise<void> {
    try {
      const file = await call('file:open');
      if (file) await this.openFile(file);
    } catch (e) {
      this.fail(e);
    }
  }

  async openDropped(file: File): Promise<void> {
    try {
      await this.openFile(await dropFile(file));
    } catch (e) {
      this.fail(e);
    }
  }

  async openFile(file: FileHandle): Promise<void> {
    if (this.opening) return;
    this.view = 'document';
    this.opening = { name: file.name, progress: null };
    try {
      const view = await call('document:open', { file: file.id, settings: $state.snapshot(this.settings) });
      const previous = this.doc;
      this.hover = null;
      this.selectedLayer = Math.min(this.selectedLayer, view.layers.length - 1);
      this.doc = view;
      if (previous) call('document:close', { docId: previous.docId }).catch(() => undefined);
      this.recent = await call('file:recent');
    } catch (e) {
      if (e instanceof AppError && e.code === 'CANCELLED') this.notify('info', 'Analysis cancelled');
      else this.fail(e);
    } finally {
      this.opening = null;
    }
  }

  /** A document a corpus results folder holds: shown as stored (no model run), its settings in the toolbar. */
  showDocument(view: DocumentView): void {
    const previous = this.doc;
    this.hover = null;
    this.selectedLayer = Math.min(this.selectedLayer, view.layers.length - 1);
    this.settings = { ...view.settings };
    this.doc = view;
    this.view = 'document';
    if (previous) call('document:close', { docId: previous.docId }).catch(() => undefined);
  }

  async cancelOpen(): Promise<void> {
    await call('document:cancel').catch((e: unknown) => this.fail(e));
  }

  close(): void {
    const d = this.doc;
    if (!d) return;
    this.doc = null;
    this.hover = null;
    call('document:close', { docId: d.docId }).catch(() => undefined);
  }

  /** New settings: kept for the next document, and the open one is refitted from its taps (no model run). */
  setSettings(patch: Partial<Settings>): void {
    const next: Settings = { ...$state.snapshot(this.settings), ...patch };
    if (next.start < next.lags) next.start = next.lags;
    if (next.cov === 'HAC') next.maxlags ??= HAC_DEFAULT_MAXLAGS;
    else delete next.maxlags;
    this.settings = next;
    if (!this.doc) return;
    if (this.#refitTimer) clearTimeout(this.#refitTimer);
    this.refitting = true;
    this.#refitTimer = setTimeout(() => void this.refit(), 120);
  }

  async refit(): Promise<void> {
    const d = this.doc;
    if (!d) return;
    const seq = ++this.#refitSeq;
    const settings = $state.snapshot(this.settings);
    try {
      const r = await call('document:refit', { docId: d.docId, settings });
      if (seq !== this.#refitSeq || this.doc?.docId !== d.docId) return;
      this.doc = { ...d, settings: r.settings, layers: r.layers, savedTo: r.savedTo };
    } catch (e) {
      if (seq !== this.#refitSeq) return;
      // settings the document cannot be fitted with (too few tokens after start) go back to the ones shown
      this.fail(e);
      if (this.doc) this.settings = { ...this.doc.settings };
    } finally {
      if (seq === this.#refitSeq) this.refitting = false;
    }
  }

  async setPrefs(patch: Partial<Prefs>): Promise<void> {
    this.prefs = { ...this.prefs, ...patch };
    try {
      this.prefs = await call('prefs:set', patch);
    } catch (e) {
      this.fail(e);
    }
  }

  toggleTheme(): void {
    void this.setPrefs({ theme: this.theme === 'dark' ? 'light' : 'dark' });
  }

  async saveFigure(figure: DocumentFigure, format: ExportFormat, resolution?: PngResolution): Promise<void> {
    const d = this.doc;
    if (!d) return;
    try {
      const saved = await call('figure:save', {
        docId: d.docId,
        figure,
        format,
        theme: this.exportTheme,
        ...(format === 'png' ? { resolution: resolution ?? this.prefs.pngResolution } : {}),
      });
      if (saved) this.notify('success', `Saved ${saved.name} (${formatBytes(saved.bytes)})`);
    } catch (e) {
      this.fail(e);
    }
  }

  async saveAll(formats: ExportFormat[], resolution?: PngResolution): Promise<void> {
    const d = this.doc;
    if (!d) return;
    try {
      const saved = await call('figure:saveAll', {
        docId: d.docId,
        formats,
        theme: this.exportTheme,
        ...(formats.includes('png') ? { resolution: resolution ?? this.prefs.pngResolution } : {}),
      });
      if (saved) this.notify('success', `Saved ${saved.length} files to ${saved[0]?.displayPath.replace(/[/\\][^/\\]*$/, '') ?? 'the folder'}`);
    } catch (e) {
      this.fail(e);
    }
  }

  async copySummary(as: 'text' | 'tsv', layer: number | 'all' = this.selectedLayer): Promise<void> {
    const d = this.doc;
    if (!d) return;
    const created = new Date(d.provenance.created);
    const layers = layer === 'all' ? d.layers : d.layers.filter((l) => l.layer === layer);
    const text = as === 'tsv' ? summaryTsv(layers, d.settings, created) : layers.map((l) => summaryText(l, d.settings, created)).join('\n\n');
    try {
      await call('clipboard:write', { text });
      this.notify('success', `Copied ${layer === 'all' ? 'every layer' : `layer ${layer}`} as ${as === 'tsv' ? 'TSV' : 'text'}`);
    } catch (e) {
      this.fail(e);
    }
  }

  markRendered(figure: DocumentFigure, key: string): void {
    if (this.rendered[figure] !== key) this.rendered[figure] = key;
  }

  async menu(c: MenuCommand): Promise<void> {
    switch (c.command) {
      case 'open':
        return this.chooseAndOpen();
      case 'open-file':
        return this.openFile(c.file);
      case 'save-figure':
        if (this.doc) this.saveDialog = { figure: this.activeFigure };
        return;
      case 'save-all-figures':
        if (this.doc) this.saveDialog = { figure: 'all' };
        return;
      case 'close':
        return this.close();
      case 'toggle-theme':
        return this.toggleTheme();
      case 'copy-summary':
        return this.copySummary(c.as);
    }
  }
}


export const app = new AppState();
