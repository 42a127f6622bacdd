// The app's IPC contract, in one place: every channel the renderer may invoke with its request and
// response types, and every event main may send. main (electron/ipc.ts), the preload, the browser
// harness (test/harness) and the renderer all import it; nothing else crosses the process boundary.
// Over 450 lines by design: it is that one table (STYLE.md, Electron).
import type { LayerResult, ModelInfo, Provenance, Settings, TokenJSON } from './result.js';
import type { BetaDistributionsData, CompareBetaData, CompareLogNormData, CompareShareData, FigureName, ShareSignificantData, ThemeName } from './figures/types.js';
import type { ComparisonDocument } from './comparison.js';
import type { ProviderChoice } from './providers.js';

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

/** The app's own theme: the OS's, light, or dark (the notebook's palette). */
export type ThemePreference = 'system' | 'light' | 'dark';
/** Which look exported figures get: clean light (the default), the dark palette, or the notebook's own look. */
export type ExportTheme = ThemeName;

export interface Prefs {
  theme: ThemePreference;
  exportTheme: ExportTheme;
  pngResolution: PngResolution;
  /** Where the model runs: auto, or one provider (which must still pass the parity probe). */
  provider: ProviderChoice;
  /** Largest document read, in MiB (1–4096, default 64): a larger one is TOO_LARGE and never read. */
  maxDocumentMiB: number;
}

/** The app's limits on maxDocumentMiB. */
export const MAX_DOCUMENT_MIB = { min: 1, max: 4096, default: 64 } as const;

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
  /** Where finished results are kept (display form). */
  resultsFolder: string;
}

export type ModelState = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelStatus {
  state: ModelState;
  /** What is happening now, in words ("Reading weights…"). */
  detail?: string;
  model?: ModelInfo & {
    demo: boolean;
    revision: string | null;
    /** what was asked for, why the provider in use is the one, and why each one preferred over it was passed over */
    providerChoice: ProviderChoice;
    providerReason: string;
    providerNotes: string[];
  };
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

/** How any figure (document or corpus) is exported. */
export interface FigureExportOptions {
  format: ExportFormat;
  /** PNG only (default 2x). */
  resolution?: PngResolution;
  theme: ThemeName;
  /** CSS pixels; default per figure. */
  width?: number;
  height?: number;
}

export interface FigureSaveRequest extends FigureExportOptions {
  docId: string;
  figure: DocumentFigure;
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

/** One model as the model manager lists it (electron/core/models ModelListing, with paths in display form); not the
 * results store's StoreModelEntry. */
export interface ModelEntry {
  /** What models:pull|remove|setDefault take: `gpt2`, `openai-community/gpt2`, an import name, `demo`. */
  name: string;
  /** How every view names it: the demo model is "demo (random weights)". */
  displayName: string;
  /** One line: what it is and where it comes from. */
  label: string;
  /** registry: the GPT-2 family and the suggested models; cached: another supported model in the Hugging Face cache;
   * imported: a registered folder. */
  kind: 'registry' | 'cached' | 'imported' | 'demo';
  /** installed: loadable; available: can be downloaded; incomplete: files are missing; missing: the folder is gone. */
  status: 'installed' | 'available' | 'incomplete' | 'missing';
  hubId: string | null;
  revision: string | null;
  /** The model's folder (display form). */
  location: string | null;
  /** The engine's family: gpt2, llama, mistral, qwen2, qwen3, gpt_neox, gemma2, gemma3_text. */
  family: string | null;
  shape: { n_layer: number; n_head: number; n_embd: number; n_positions: number } | null;
  /** Parameters of the base model, as the engine counts them from config.json. */
  params: number | null;
  /** The dtype the weights are stored in (installed models); they are computed in float32. */
  dtype: string | null;
  /** Memory a session needs in float32 at the default context (the engine's estimate; past this machine's: MODEL_TOO_LARGE). */
  memoryBytes: number | null;
  /** The hub asks for its licence to be accepted first; a download needs HF_TOKEN. */
  gated: boolean;
  /** Approximate download size (registry models). */
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
  /** The suggested models of the other families that run on a laptop (Pythia, SmolLM2, Qwen, Llama, Gemma). */
  laptop: ModelEntry[];
}

export interface CacheScan {
  /** The folder searched (display form). */
  cachePath: string;
  /** The supported models found there. */
  found: ModelEntry[];
  /** Names under which models of another cache folder were imported (none for the cache in use: it is read in place). */
  imported: string[];
}

// ---------- corpus (electron/core/app/corpus-bindings.ts binds these) ----------

/** While a batch runs, the corpus summary (corpus:results) is refreshed at most this often (ms). */
export const CORPUS_LIVE_REFRESH_MS = 2000;

/** The formats of corpus:exportTables (tokens.* and fits.*). */
export const CORPUS_TABLE_FORMATS = ['parquet', 'csv'] as const;
export type CorpusTableFormat = (typeof CORPUS_TABLE_FORMATS)[number];

export type CorpusState = 'idle' | 'running' | 'paused' | 'cancelled' | 'done' | 'error';
/** What a running job is busy with. */
export type CorpusPhase = 'scanning' | 'loading' | 'analyzing' | 'finishing';

/** The corpus figures, by their `data-figure` id (shared/figures). */
export const CORPUS_FIGURES = ['beta-distributions', 'share-significant'] as const satisfies readonly FigureName[];
export type CorpusFigure = (typeof CORPUS_FIGURES)[number];

export interface CorpusStartRequest {
  /** Handle ids from file:chooseFolder. */
  folder: string;
  resultsFolder: string;
  settings: Settings;
  /** Further files or folders by handle (a reopened results folder's recorded inputs beyond the first). */
  inputs?: string[];
}

/** The corpus view's picture of a job (the core's run reports a CorpusRunStatus; app/corpus-bindings.ts turns it into this). */
export interface CorpusStatus {
  jobId: string;
  state: CorpusState;
  /** null when idle or ended. */
  phase: CorpusPhase | null;
  /** Pause asked for; the document in flight finishes first. */
  pausing: boolean;
  documentsDone: number;
  documentsTotal: number;
  documentsFailed: number;
  /** Already in the results folder for this model and settings. */
  documentsSkipped: number;
  /** Fitted from stored taps, without the model. */
  documentsRefit: number;
  /** Tokens that went through the model in this run. */
  tokensDone: number;
  tokensPerSecond: number;
  etaSeconds: number | null;
  /** The document in flight, as a path within the chosen folder. */
  currentFile: string | null;
  /** Within the current document (long ones run in several windows). */
  currentTokens: { done: number; total: number } | null;
  /** Seconds running, pauses excluded. */
  elapsedSeconds: number;
  /** The texts: the chosen folder first, then any further recorded inputs (empty when a reopened folder's inputs are gone). */
  inputs: FileHandle[];
  results: FileHandle;
  settings: Settings;
  /** The model the results come from (null until a run has loaded it). */
  model: { name: string; execution_provider: string; demo: boolean } | null;
  /** Shown from a results folder's files (corpus:open), not from a run of this session. */
  reopened: boolean;
  /** Set when the inference process died on a job and a fresh one ran it again alone: which document, and why. */
  restart?: string;
  error?: IpcError;
}

export type CorpusRowStatus = 'pending' | 'running' | 'ok' | 'error';

export interface CorpusDocumentRow {
  /** Position in the batch (input order). */
  index: number;
  file: FileHandle;
  /** The path within the chosen folder, for display. */
  name: string;
  status: CorpusRowStatus;
  /** How the result came about: computed by the model, refit from stored taps, or found stored. */
  source: 'computed' | 'refit' | 'stored' | null;
  tokens: number | null;
  errorCode?: string;
  errorMessage?: string;
  /** Per layer (empty until the document has a result). */
  rsquared: number[];
  /** Per layer, per lag k (index k-1). */
  betas: number[][];
  /** Per layer, per lag k (index k-1). */
  pvalues: number[][];
}

/** A number the core may leave undefined (no finite estimate): null then. */
export type Maybe = number | null;

export interface CorpusCoefficientSummary {
  /** 0 is the intercept, k is lag k. */
  index: number;
  /** statsmodels' name: const, x1, x2, … */
  term: string;
  /** Documents with a finite estimate. */
  n: number;
  mean: Maybe;
  sd: Maybe;
  quantiles: { min: Maybe; q25: Maybe; median: Maybe; q75: Maybe; max: Maybe };
  /** Share of the documents whose p < alpha. */
  shareSignificant: Maybe;
  nSignificant: number;
  /** Inverse-variance-weighted (fixed-effect) mean across documents, its standard error and confidence interval. */
  weightedMean: Maybe;
  weightedMeanSe: Maybe;
  weightedMeanConfInt: [number, number] | null;
  /** Cochran's Q test of the documents' spread beyond their standard errors, and I². */
  heterogeneity: { q: number; df: number; pvalue: Maybe; i2: number } | null;
}

/** A pooled OLS coefficient (common intercept, or one intercept per document). */
export interface CorpusPooledCoefficient {
  index: number;
  estimate: number;
  bse: number;
  pvalue: number;
  confInt: [number, number];
}

export interface CorpusPooledFit {
  nobs: number;
  /** R² (common intercept) or within-document R² (fixed effects). */
  rsquared: number;
  coefficients: CorpusPooledCoefficient[];
}

export interface CorpusLayerSummary {
  layer: number;
  tap: string;
  nDocuments: number;
  coefficients: CorpusCoefficientSummary[];
  /** OLS over every document's design stacked, one common intercept; or why it could not be fitted. */
  pooled: CorpusPooledFit | { error: IpcError } | null;
  /** The same with one intercept per document (the lag coefficients only). */
  fixedEffects: CorpusPooledFit | { error: IpcError } | null;
}

export interface CorpusResults {
  jobId: string;
  settings: Settings;
  alpha: number;
  /** Distinct document contents summarized. */
  counts: { total: number; ok: number; failed: number };
  layers: CorpusLayerSummary[];
  /** The corpus figures' inputs, picked from the summary (null without any fitted document). */
  figures: { 'beta-distributions': BetaDistributionsData; 'share-significant': ShareSignificantData } | null;
}

export interface CorpusFigureSaveRequest extends FigureExportOptions {
  jobId: string;
  figure: CorpusFigure;
}

export type CorpusProgress = CorpusStatus;

export interface CorpusDocumentEvent {
  jobId: string;
  row: CorpusDocumentRow;
}

// ---------- compare (electron/core/app/compare.ts binds these) ----------

/** The Compare view's figures, by their `data-figure` id. */
export const COMPARE_VIEW_FIGURES = ['compare-beta-depth', 'compare-share-significant', 'compare-log-norms-depth'] as const satisfies readonly FigureName[];
export type CompareFigure = (typeof COMPARE_VIEW_FIGURES)[number];

/** The app compares 2 to 4 models (the CLI up to 8). */
export const COMPARE_APP_MODELS = { min: 2, max: 4 } as const;

/** A finished corpus run beside the open one (a sibling results folder), one model each. */
export interface CompareRunChoice {
  /** Folder handle (file:chooseFolder's kind) to pass to compare:start. */
  folder: FileHandle;
  model: string;
  documents: number;
  /** The open corpus' own folder. */
  current: boolean;
}

/** Compare the open document through installed models (docId + models), or sibling corpus runs (runs: folder handle ids). */
export interface CompareStartRequest {
  docId?: string;
  /** Model names as models:list gives them. */
  models?: string[];
  runs?: string[];
}

export interface CompareModelProgress {
  compareId: string;
  model: number;
  /** The model's name (or the run's folder name). */
  label: string;
  phase: 'waiting' | 'loading' | 'running' | 'done' | 'error' | 'cancelled';
  documentsDone: number;
  documentsTotal: number;
  /** Within the document in flight. */
  tokens?: { done: number; total: number };
  error?: IpcError;
}

/** A finished comparison: the `normscope.comparison/1` document (saved before this reply) and its figures' inputs. */
export interface CompareView {
  compareId: string;
  comparison: ComparisonDocument;
  figures: {
    'compare-beta-depth': CompareBetaData;
    'compare-share-significant': CompareShareData;
    /** Null for corpus runs. */
    'compare-log-norms-depth': CompareLogNormData | null;
  };
  savedTo: string;
}

export interface CompareFigureSaveRequest extends FigureExportOptions {
  compareId: string;
  figure: CompareFigure;
}

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
  /** Goes on after a pause; after a cancel, an error or a reopen, runs the same batch again (stored documents are skipped). */
  'corpus:resume': { req: { jobId: string }; res: CorpusStatus };
  /** Resolves once the run has stopped (the document in flight is dropped). */
  'corpus:cancel': { req: { jobId: string }; res: CorpusStatus };
  'corpus:status': { req: { jobId: string }; res: CorpusStatus };
  /** The corpus statistics of the job's documents, from the results folder (the core's summary). */
  'corpus:results': { req: { jobId: string }; res: CorpusResults };
  /** Every document's row in batch order (pending ones included). */
  'corpus:rows': { req: { jobId: string }; res: CorpusDocumentRow[] };
  /** A results folder's stored results as a job (resume with corpus:resume); null when it holds none yet. */
  'corpus:open': { req: { resultsFolder: string }; res: CorpusStatus | null };
  /** One document of the job in the document view, from the stored taps and fits: no model run. */
  'corpus:openDocument': { req: { jobId: string; index: number }; res: DocumentView };
  /** Shows the save dialog; null when the user cancels. */
  'corpus:saveFigure': { req: CorpusFigureSaveRequest; res: SavedFile | null };
  /** Writes corpus-summary.json, corpus-layers.csv and corpus-documents.csv into the results folder (as `normscope analyze --out-dir` does). */
  'corpus:exportSummary': { req: { jobId: string }; res: SavedFile[] };
  /** Writes tokens and fits of the results folder as two tables into it (as `normscope export`): Parquet or CSV. */
  'corpus:exportTables': { req: { jobId: string; format: CorpusTableFormat }; res: SavedFile[] };
  /** The finished runs in the results folder's parent folder (the open corpus' siblings), itself included. */
  'compare:siblings': { req: { resultsFolder: string }; res: CompareRunChoice[] };
  /** Runs the models one after another (progress as compare:progress); resolves when every model has finished or failed. */
  'compare:start': { req: CompareStartRequest; res: CompareView };
  'compare:cancel': { req: void; res: { cancelled: boolean } };
  'compare:saveFigure': { req: CompareFigureSaveRequest; res: SavedFile | null };
  /** Saves a copy of the comparison JSON where the user chooses. */
  'compare:saveJson': { req: { compareId: string }; res: SavedFile | null };
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
  'corpus:rows',
  'corpus:open',
  'corpus:openDocument',
  'corpus:saveFigure',
  'corpus:exportSummary',
  'corpus:exportTables',
  'compare:siblings',
  'compare:start',
  'compare:cancel',
  'compare:saveFigure',
  'compare:saveJson',
] as const satisfies readonly (keyof InvokeMap)[];

export type InvokeChannel = keyof InvokeMap;
export type InvokeRequest<C extends InvokeChannel> = InvokeMap[C]['req'];
export type InvokeResponse<C extends InvokeChannel> = InvokeMap[C]['res'];

/** The channels of one group (`models`, `corpus`: the part before the colon), as one binding of the app answers them. */
export type InvokeChannelOf<G extends string> = Extract<InvokeChannel, `${G}:${string}`>;

/** One handler per channel of `C`, typed from InvokeMap: what an app binding implements. */
export type InvokeHandlers<C extends InvokeChannel> = { [K in C]: (req: InvokeRequest<K>) => Promise<InvokeResponse<K>> };

/** The channels of one group, at run time, in INVOKE_CHANNELS' order. */
export function invokeChannelsOf<G extends string>(group: G): InvokeChannelOf<G>[] {
  return INVOKE_CHANNELS.filter((c): c is InvokeChannelOf<G> => c.startsWith(`${group}:`));
}

/** Events main sends to the renderer. */
export interface EventMap {
  'model:progress': ModelStatus;
  'document:progress': DocumentProgress;
  'menu:command': MenuCommand;
  'models:progress': ModelPullProgress;
  'corpus:progress': CorpusProgress;
  /** A document's row once its result is on disk (or it failed). */
  'corpus:document': CorpusDocumentEvent;
  'compare:progress': CompareModelProgress;
}

export const EVENT_CHANNELS = [
  'model:progress',
  'document:progress',
  'menu:command',
  'models:progress',
  'corpus:progress',
  'corpus:document',
  'compare:progress',
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
