// The document view's open documents: each one's taps kept for refits and figure saves (the oldest closes first), its
// view for the renderer, and the run that opens one (read, model, fit, save; the result is on disk before it is shown).
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DocumentPhase, DocumentView, FileHandle } from '../../../shared/ipc.js';
import type { LayerResult, ModelInfo, Provenance, Settings, TokenJSON } from '../../../shared/result.js';
import { fitLayers, provenance, readText, type DocumentTaps } from '../analysis/index.js';
import { NormscopeError } from '../errors.js';
import type { AppModel } from './app-model.js';
import { displayPath } from './handles.js';
import type { AppPlatform } from './platform.js';

export interface OpenDocument {
  docId: string;
  path: string;
  file: FileHandle;
  sha256: string;
  taps: DocumentTaps;
  tokens: TokenJSON[];
  settings: Settings;
  layers: LayerResult[];
  model: ModelInfo & { demo: boolean };
  provenance: Provenance;
}

export const newDocId = (): string => crypto.randomBytes(16).toString('hex');

export class OpenDocuments {
  private readonly docs = new Map<string, OpenDocument>();
  constructor(private readonly maxOpen: number) {}

  get(docId: string): OpenDocument {
    const d = this.docs.get(docId);
    if (!d) throw new NormscopeError('BAD_INPUT', 'that document is no longer open; open it again');
    return d;
  }

  /** Keeps `d` open, closing the oldest beyond the limit. */
  keep(d: OpenDocument): void {
    this.docs.set(d.docId, d);
    while (this.docs.size > this.maxOpen) this.docs.delete(this.docs.keys().next().value!);
  }

  /** Replaces an open document in place (a refit), without reordering. */
  replace(d: OpenDocument): void {
    this.docs.set(d.docId, d);
  }

  close(docId: string): void {
    this.docs.delete(docId);
  }

  clear(): void {
    this.docs.clear();
  }
}

export function documentView(d: OpenDocument, savedTo: string, timings: DocumentView['timings']): DocumentView {
  return {
    docId: d.docId,
    file: d.file,
    sha256: d.sha256,
    tokens: d.tokens,
    settings: d.settings,
    layers: d.layers,
    model: d.model,
    provenance: d.provenance,
    savedTo: displayPath(savedTo),
    timings,
  };
}

/** What opening a document needs from the service around it. */
export interface DocumentRunContext {
  platform: AppPlatform;
  model: AppModel;
  /** Writes the result; resolves to where it went. */
  save(d: OpenDocument): Promise<string>;
  /** Puts the file on the recent list. */
  touchRecent(filePath: string): Promise<void>;
  /** The largest document to read, in bytes (the app's setting). */
  maxBytes(): Promise<number>;
}

/** Reads, runs and fits one document, saves its result and returns it with its timings; cancellable through the
 * model's running set (document:cancel). */
export async function runDocument(ctx: DocumentRunContext, filePath: string, handle: FileHandle, settings: Settings): Promise<{ doc: OpenDocument; view: DocumentView }> {
  const docId = newDocId();
  const controller = new AbortController();
  ctx.model.running.add(controller);
  const progress = (phase: DocumentPhase, done = 0, total = 0) =>
    ctx.platform.emit('document:progress', { docId, name: handle.name, phase, tokensDone: done, tokensTotal: total });
  try {
    const t0 = performance.now();
    progress('reading');
    const text = await readText(filePath, { maxBytes: await ctx.maxBytes() });
    const t1 = performance.now();
    if (ctx.model.status.state !== 'ready') progress('loading-model');
    await ctx.model.ensure();
    progress('running');
    // the model runs in its own process; a restart there (it died under this document) shows as loading again
    const { taps, model: m } = await ctx.model.taps(text.text, {
      signal: controller.signal,
      onProgress: (p) => progress('running', p.tokensDone, p.tokensTotal),
      onRestart: () => progress('loading-model'),
    });
    const t2 = performance.now();
    progress('fitting', taps.tokens.length, taps.tokens.length);
    const layers = fitLayers(taps, settings);
    const prov = await provenance(m.facts, m.revision);
    const t3 = performance.now();
    const d: OpenDocument = { docId, path: filePath, file: handle, sha256: text.sha256, taps, tokens: taps.tokens, settings, layers, model: m.info, provenance: prov };
    progress('saving', taps.tokens.length, taps.tokens.length);
    // the result is on disk before the user sees it
    const savedTo = await ctx.save(d);
    await ctx.touchRecent(filePath);
    const t4 = performance.now();
    progress('done', taps.tokens.length, taps.tokens.length);
    return { doc: d, view: documentView(d, savedTo, { readMs: t1 - t0, modelMs: t2 - t1, fitMs: t3 - t2, saveMs: t4 - t3 }) };
  } finally {
    ctx.model.running.delete(controller);
    ctx.model.disposeRetired();
  }
}
