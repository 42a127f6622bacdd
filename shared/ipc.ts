// The app's IPC contract, in one place: every channel the renderer may invoke with its request and
// response types, and every event main may send. main (electron/ipc.ts), the preload, the browser
// harness (test/harness) and the renderer all import it; nothing else crosses the process boundary.
import type { FitJSON, LayerResult, ModelInfo, Provenance, Settings, TokenJSON } from './result.js';
import type { FigureName, ThemeName } from './figures/types.js';

// ---------- shared shapes ----------

/** An error as it crosses the boundary: a stable code (electron/core/errors.ts ErrorCode or an IPC code) and a sentence. */
export interface IpcError {
  code: string;
  message: string;
}

/** Every invoke answers with this envelope, so typed error codes survive the trip (thrown errors lose them). */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** A file or folder the user chose (dialog, drop, recent list). Main keeps the path; the renderer holds only the id. */
export interface FileHandle {
  /** Opaque, random, valid for this session only. */
  id: string;
  kind: 'file' | 'folder';
  /** Base name, for display. */
  name: string;
  /** The location with the home folder shortened to ~, for display only: the renderer cannot open anything with it. */
  displayPath: string;
}

export type ThemePreference = 'system' | ThemeName;
/** Which look exported figures get: the clean light style, or the theme on screen. */
export type ExportTheme = 'light' | 'current';

export interface Prefs {
  theme: ThemePreference;
  exportTheme: ExportTheme;
  pngResolution: PngResolution;
}

/** The figures of the document view, by their `data-figure` id (shared/figures). */
export const DOCUMENT_FIGURES = [
  'attention-norm-strip',
  'attention-norm-histograms',
  'beta-across-layers',
  'log-norm-heatmap',
] as const satisfies readonly FigureName[];
export type DocumentFigure = (typeof DOCUMENT_FIGURES)[number];

export const EXPORT_FORMATS = ['svg', 'png', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** PNG sizes: 1× and 2× the figure's CSS pixels, or 300 dots per inch at 96 CSS pixels per inch. */
export const PNG_RESOLUTIONS = ['1x', '2x', '300dpi'] as const;
export type PngResolution = (typeof PNG_RESOLUTIONS)[number];

export interface AppInfo {
  version: string;
  /** Where the renderer runs: the Electron app, or the test harness in a browser. */
  host: 'electron' | 'harness';
  os: string;
  /** PDF export needs Electron's printToPDF; the harness has none. */
  pdfExport: boolean;
  /** Where finished results are kept (display form). */
  resultsFolder: string;
}

export type ModelState = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelStatus {
  state: ModelState;
  /** What is happening now, in words ("Reading weights…"). */
  detail?: string;
  model?: ModelInfo & { demo: boolean; revision: string | null; providerNotes: string[] };
  loadMs?: number;
  error?: IpcError;
}

/** One opened document with everything the document view shows. The renderer computes nothing from it but layout. */
export interface DocumentView {
  docId: string;
  file: FileHandle;
  sha256: string;
  tokens: TokenJSON[];
  settings: Settings;
  /** One per layer of settings.component: log norms of every token and the fit. */
  layers: LayerResult[];
  model: ModelInfo & { demo: boolean };
  provenance: Provenance;
  /** The saved result file (display form); written before this reply was sent. */
  savedTo: string;
  timings: { readMs: number; modelMs: number; fitMs: number; saveMs: number };
}

export interface RefitView {
  docId: string;
  settings: Settings;
  layers: LayerResult[];
  savedTo: string;
  fitMs: number;
}

export interface RecentFile {
  file: FileHandle;
  /** ISO-8601. */
  openedAt: string;
}

export interface SavedFile {
  /** Display form of where it went. */
  displayPath: string;
  name: string;
  bytes: number;
}

export interface FigureSaveRequest {
  docId: string;
  figure: DocumentFigure;
  format: ExportFormat;
  /** PNG only (default 2x). */
  resolution?: PngResolution;
  theme: ThemeName;
  /** CSS pixels; default per figure. */
  width?: number;
  height?: number;
}

export interface FigureSaveAllRequest {
  docId: string;
  formats: ExportFormat[];
  resolution?: PngResolution;
  theme: ThemeName;
}

export type DocumentPhase = 'reading' | 'loading-model' | 'running' | 'fitting' | 'saving' | 'done';

export interface DocumentProgress {
  docId: string;
  name: string;
  phase: DocumentPhase;
  tokensDone: number;
  tokensTotal: number;
}

/** What a native menu item asks the renderer to do. */
export type MenuCommand =
  | { command: 'open' }
  | { command: 'open-file'; file: FileHandle }
  | { command: 'save-figure' }
  | { command: 'save-all-figures' }
  | { command: 'close' }
  | { command: 'toggle-theme' }
  | { command: 'copy-summary'; as: 'text' | 'tsv' };

// ---------- models (the model-manager task binds these) ----------

/** One model as the model manager lists it (electron/core/models ModelListing, with paths in display form). */
export interface ModelEntry {
  /** What models:pull|remove|setDefault take: `gpt2`, `openai-community/gpt2`, an import name, `demo`. */
  name: string;
  /** How every view names it: the demo model is "demo (random weights)". */
  displayName: string;
  /** One line: what it is and where it comes from. */
  label: string;
  /** registry: the GPT-2 family; cached: another GPT-2 in the Hugging Face cache; imported: a registered folder. */
  kind: 'registry' | 'cached' | 'imported' | 'demo';
  /** installed: loadable; available: can be downloaded; incomplete: files are missing; missing: the folder is gone. */
  status: 'installed' | 'available' | 'incomplete' | 'missing';
  hubId: string | null;
  revision: string | null;
  /** The model's folder (display form). */
  location: string | null;
  shape: { n_layer: number; n_head: number; n_embd: number; n_positions: number } | null;
  params: number | null;
  /** Approximate download size (the GPT-2 family). */
  downloadBytes: number | null;
  /** What its files take on disk, when present. */
  diskBytes: number | null;
  /** Bytes of an interrupted download that the next download resumes from. */
  partialBytes: number;
  /** The model the app uses when none is named. */
  isDefault: boolean;
  demo: boolean;
  /** Why it is not usable, or what to do about it. */
  note: string | null;
  /** A download of it is running now; its progress arrives as models:progress. */
  pulling: boolean;
}

export type ModelPullPhase = 'resolving' | 'waiting' | 'downloading' | 'linking' | 'done' | 'cancelled' | 'error';

export interface ModelPullProgress {
  name: string;
  phase: ModelPullPhase;
  /** The file being fetched (null outside 'downloading'). */
  file: string | null;
  /** All files together, the ones already present included. */
  bytesDone: number;
  bytesTotal: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
  error?: IpcError;
}

export interface ModelRemoved {
  name: string;
  /** import: only the registration went (the folder stays); cache: the files left the Hugging Face cache. */
  removed: 'import' | 'cache';
  freedBytes: number;
}

/** What the first-run screen needs: whether a real GPT-2 is anywhere, and where normscope looks for one. */
export interface FirstRunState {
  /** The default is the demo, no GPT-2 is in the Hugging Face cache and nothing is imported. */
  needed: boolean;
  /** The user went on without one ("try the demo"); remembered in the data folder. */
  dismissed: boolean;
  /** The Hugging Face cache normscope reads (display form). */
  cachePath: string;
  /** The download the screen offers (GPT-2 small). */
  suggested: ModelEntry;
}

export interface CacheScan {
  /** The folder searched (display form). */
  cachePath: string;
  /** The GPT-2 models found there. */
  found: ModelEntry[];
  /** Names under which models of another cache folder were imported (none for the cache in use: it is read in place). */
  imported: string[];
}

// ---------- corpus (the corpus task binds these) ----------

export type CorpusState = 'idle' | 'running' | 'paused' | 'cancelled' | 'done' | 'error';

export interface CorpusStartRequest {
  /** Handle ids from file:chooseFolder. */
  folder: string;
  resultsFolder: string;
  settings: Settings;
}

export interface CorpusStatus {
  jobId: string;
  state: CorpusState;
  documentsDone: number;
  documentsTotal: number;
  documentsFailed: number;
  documentsSkipped: number;
  tokensPerSecond: number;
  etaSeconds: number | null;
  currentFile: string | null;
  error?: IpcError;
}

export interface CorpusDocumentRow {
  file: FileHandle;
  status: 'ok' | 'error' | 'skipped';
  tokens: number;
  errorCode?: string;
  /** Per layer. */
  rsquared: number[];
  /** Per layer, per lag k (index k-1). */
  betas: number[][];
}

export interface CorpusCoefficientSummary {
  /** 0 is the intercept, k is lag k. */
  index: number;
  betas: number[];
  shareSignificant: number;
  weightedMean: number;
  weightedMeanConfInt: [number, number];
}

export interface CorpusResults {
  jobId: string;
  settings: Settings;
  layers: { layer: number; coefficients: CorpusCoefficientSummary[]; pooled: FitJSON }[];
  documents: CorpusDocumentRow[];
}

export type CorpusProgress = CorpusStatus;

// ---------- the channels ----------

/** Every invoke channel: request → response. `void` requests are sent as null. */
export interface InvokeMap {
  'app:info': { req: void; res: AppInfo };
  'prefs:get': { req: void; res: Prefs };
  'prefs:set': { req: Partial<Prefs>; res: Prefs };
  'model:status': { req: void; res: ModelStatus };
  /** Loads the default model (resolved by the models registry) unless one is loaded. */
  'model:load': { req: void; res: ModelStatus };
  /** Shows the open dialog (the harness: its test hook). null when the user cancels. */
  'file:open': { req: void; res: FileHandle | null };
  'file:chooseFolder': { req: { purpose: 'corpus' | 'results' | 'figures' }; res: FileHandle | null };
  'file:recent': { req: void; res: RecentFile[] };
  'document:open': { req: { file: string; settings: Settings }; res: DocumentView };
  /** Cancels the document run in flight, if any. */
  'document:cancel': { req: void; res: { cancelled: boolean } };
  /** New settings over the taps already computed: no model run. */
  'document:refit': { req: { docId: string; settings: Settings }; res: RefitView };
  'document:close': { req: { docId: string }; res: null };
  /** Shows the save dialog; null when the user cancels. */
  'figure:save': { req: FigureSaveRequest; res: SavedFile | null };
  /** Asks for a folder and writes every figure of the document in each format; null when cancelled. */
  'figure:saveAll': { req: FigureSaveAllRequest; res: SavedFile[] | null };
  'clipboard:write': { req: { text: string }; res: null };
  'models:list': { req: void; res: ModelEntry[] };
  'models:pull': { req: { name: string }; res: ModelEntry };
  'models:cancelPull': { req: { name: string }; res: { cancelled: boolean } };
  /** Asks for a folder (dialog) and imports it; null when cancelled. */
  'models:import': { req: void; res: ModelEntry | null };
  'models:remove': { req: { name: string }; res: ModelRemoved };
  'models:setDefault': { req: { name: string }; res: ModelEntry };
  'models:firstRun': { req: void; res: FirstRunState };
  'models:dismissFirstRun': { req: void; res: FirstRunState };
  /** Searches the cache in use (`other: false`) or a folder the user chooses (dialog; null when cancelled), importing what another folder holds. */
  'models:scanCache': { req: { other: boolean }; res: CacheScan | null };
  'corpus:start': { req: CorpusStartRequest; res: CorpusStatus };
  'corpus:pause': { req: { jobId: string }; res: CorpusStatus };
  'corpus:resume': { req: { jobId: string }; res: CorpusStatus };
  'corpus:cancel': { req: { jobId: string }; res: CorpusStatus };
  'corpus:status': { req: { jobId: string }; res: CorpusStatus };
  'corpus:results': { req: { jobId: string }; res: CorpusResults };
}

export const INVOKE_CHANNELS = [
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
  'models:list',
  'models:pull',
  'models:cancelPull',
  'models:import',
  'models:remove',
  'models:setDefault',
  'models:firstRun',
  'models:dismissFirstRun',
  'models:scanCache',
  'corpus:start',
  'corpus:pause',
  'corpus:resume',
  'corpus:cancel',
  'corpus:status',
  'corpus:results',
] as const satisfies readonly (keyof InvokeMap)[];

export type InvokeChannel = keyof InvokeMap;
export type InvokeRequest<C extends InvokeChannel> = InvokeMap[C]['req'];
export type InvokeResponse<C extends InvokeChannel> = InvokeMap[C]['res'];

/** Events main sends to the renderer. */
export interface EventMap {
  'model:progress': ModelStatus;
  'document:progress': DocumentProgress;
  'menu:command': MenuCommand;
  'models:progress': ModelPullProgress;
  'corpus:progress': CorpusProgress;
}

export const EVENT_CHANNELS = [
  'model:progress',
  'document:progress',
  'menu:command',
  'models:progress',
  'corpus:progress',
] as const satisfies readonly (keyof EventMap)[];

export type EventChannel = keyof EventMap;

/** The one channel whose request the page cannot form itself: the preload turns a dropped File into a path main checks. */
export const DROP_CHANNEL = 'file:drop' as const;

/** What a dropped file looks like to the bridge (a DOM File satisfies it). */
export interface DroppedFile {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** `window.normscope`: one function per channel, the same in Electron (preload) and in the harness (HTTP bridge). */
export interface NormscopeBridge {
  readonly host: 'electron' | 'harness';
  readonly invoke: { readonly [C in InvokeChannel]: (req: InvokeRequest<C>) => Promise<Reply<InvokeResponse<C>>> };
  readonly on: { readonly [E in EventChannel]: (listener: (payload: EventMap[E]) => void) => () => void };
  /** Registers a file dropped on the window and returns its handle. */
  readonly dropFile: (file: DroppedFile) => Promise<Reply<FileHandle>>;
}

/** Channel names checked at run time (the dispatcher refuses anything else). */
export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(name);
}

/** The largest text `clipboard:write` accepts (a summary of every layer of a 48-layer model fits easily). */
export const CLIPBOARD_MAX_CHARS = 4_000_000;

/** Bounds the IPC layer enforces on settings before the core sees them. */
export const SETTINGS_LIMITS = { lagsMax: 16, startMax: 100_000, maxlagsMax: 256 } as const;
