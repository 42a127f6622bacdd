// The channel table: every invoke channel with its request and response, every event main sends, and the bridge
// `window.normscope` built from them (shared/ipc.ts re-exports it).
import type { AppInfo, FileHandle, MenuCommand, Prefs, RecentFile, Reply, SavedFile } from './common.js';
import type { Settings } from '../result.js';
import type { DocumentProgress, DocumentView, FigureSaveAllRequest, FigureSaveRequest, ModelStatus, RefitView } from './documents.js';
import type { CacheScan, FirstRunState, ModelEntry, ModelPullProgress, ModelRemoved } from './models.js';
import type { CorpusDocumentEvent, CorpusDocumentRow, CorpusFigureSaveRequest, CorpusProgress, CorpusResults, CorpusStartRequest, CorpusStatus, CorpusTableFormat } from './corpus.js';
import type { CompareFigureSaveRequest, CompareModelProgress, CompareRunChoice, CompareStartRequest, CompareView } from './compare.js';

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

/** `group:name` for each name of one group: the group's channels written once, each checked against InvokeMap below. */
function group<const G extends string, const N extends string>(g: G, names: readonly N[]): `${G}:${N}`[] {
  return names.map((n) => `${g}:${n}` as const);
}

/** Every invoke channel at run time, group by group in InvokeMap's order. */
export const INVOKE_CHANNELS = Object.freeze([
  ...group('app', ['info']),
  ...group('prefs', ['get', 'set']),
  ...group('model', ['status', 'load']),
  ...group('file', ['open', 'chooseFolder', 'recent']),
  ...group('document', ['open', 'cancel', 'refit', 'close']),
  ...group('figure', ['save', 'saveAll']),
  ...group('clipboard', ['write']),
  ...group('models', ['list', 'pull', 'cancelPull', 'import', 'remove', 'setDefault', 'firstRun', 'dismissFirstRun', 'scanCache']),
  ...group('corpus', ['start', 'pause', 'resume', 'cancel', 'status', 'results', 'rows', 'open', 'openDocument', 'saveFigure', 'exportSummary', 'exportTables']),
  ...group('compare', ['siblings', 'start', 'cancel', 'saveFigure', 'saveJson']),
] satisfies readonly (keyof InvokeMap)[]);

/** A channel of InvokeMap missing from INVOKE_CHANNELS is a compile error here (the list above cannot fall behind). */
const everyInvokeChannel: [Exclude<keyof InvokeMap, (typeof INVOKE_CHANNELS)[number]>] extends [never] ? true : never = true;

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

/** Every event at run time, in EventMap's order. */
export const EVENT_CHANNELS = Object.freeze([
  'model:progress', 'document:progress', 'menu:command', 'models:progress', 'corpus:progress', 'corpus:document', 'compare:progress',
] as const satisfies readonly (keyof EventMap)[]);

/** The same for events. */
const everyEvent: [Exclude<keyof EventMap, (typeof EVENT_CHANNELS)[number]>] extends [never] ? true : never = true;

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
