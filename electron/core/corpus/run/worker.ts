// The inference worker (a process of its own, see process-host.ts): loads the model once, then analyzes (or refits) one
// document per request, or a few short ones batched, or runs the document view's text or the Compare view's file, so
// the process that owns the UI or the terminal never waits on a forward pass nor keeps its memory.
import { DOCUMENT_ERROR_CODES, type DocumentErrorCode, type Settings } from '../../../../shared/result.js';
import { analyzeFile, analyzeFiles, computeTaps, fitLayers, type DocumentTaps } from '../../analysis/index.js';
import { isNormscopeError } from '../../errors.js';
import { loadModel } from '../../model/index.js';
import type { Gpt2Model } from '../../model/index.js';
import { documentFactors, encodeFactors } from '../summary/document-factors.js';
import { parseTapsFrame, tapsFrame, type ModelIdentity } from '../store/index.js';
import { workerChannel } from './worker-channel.js';
import type { FromWorker, JobError, JobOutcome, ToWorker } from './worker-protocol.js';

const port = workerChannel();
const { modelDir, loadOptions, maxBytes } = port.init;
const controllers = new Map<number, AbortController>();

function post(message: FromWorker): void {
  port.post(message);
}

let model: Gpt2Model;
let identity: ModelIdentity;
try {
  model = await loadModel(modelDir, loadOptions);
  const hashes = await model.hashes();
  identity = { model_sha256: hashes.model, tokenizer_sha256: hashes.tokenizer };
  const { config, executionProvider, providerNotes, providerReason, context, dtype, addedSpecialTokens } = model;
  post({ type: 'ready', model: { config, executionProvider, providerNotes, hashes, providerReason, context, dtype, addedSpecialTokens } });
  port.onMessage(handle);
} catch (e) {
  post({ type: 'fatal', error: { code: isNormscopeError(e) ? e.code : 'MODEL_NOT_FOUND', message: (e as Error)?.message ?? String(e) } });
  port.close();
}

const inFlight = new Set<Promise<void>>();

function handle(message: ToWorker): void {
  if (message.type === 'abort') {
    controllers.get(message.id)?.abort();
    return;
  }
  if (message.type === 'stop') {
    void stop();
    return;
  }
  const job = runJob(message);
  inFlight.add(job);
  void job.finally(() => inFlight.delete(job));
}

async function stop(): Promise<void> {
  for (const c of controllers.values()) c.abort();
  await Promise.allSettled([...inFlight]);
  await model.dispose().catch(() => undefined);
  port.close();
}

async function runJob(message: Extract<ToWorker, { type: 'analyze' | 'analyze-many' | 'fit' | 'taps' | 'result' }>): Promise<void> {
  if (message.type === 'fit') {
    // a refit is synchronous: nothing to cancel
    post({ type: 'done', id: message.id, outcome: refitFrame(message.tapsFrame, message.settings) });
    return;
  }
  const controller = new AbortController();
  controllers.set(message.id, controller);
  try {
    if (message.type === 'taps' || message.type === 'result') {
      post(await viewJob(message, controller.signal).catch((e: unknown) => ({ type: 'failed', id: message.id, error: viewError(e) }) as const));
      return;
    }
    // one document is a pack of one: the same path through analyzeFiles
    const documents = message.type === 'analyze' ? [{ path: message.path, sha256: message.sha256 }] : message.documents;
    const outcomes = await analyze(message.id, documents, message.settings, controller.signal).catch((e: unknown) => documents.map(() => ({ error: jobError(e) })));
    post(message.type === 'analyze' ? { type: 'done', id: message.id, outcome: outcomes[0]! } : { type: 'done-many', id: message.id, outcomes });
  } finally {
    controllers.delete(message.id);
  }
}

/** The document view's run of a text (its taps) or the Compare view's of a file (its result), as each ran in-process. */
async function viewJob(message: Extract<ToWorker, { type: 'taps' | 'result' }>, signal: AbortSignal): Promise<FromWorker> {
  const { id } = message;
  const onProgress = (p: { tokensDone: number; tokensTotal: number }) => post({ type: 'progress', id, ...p });
  if (message.type === 'taps') return { type: 'taps', id, taps: await computeTaps(model, message.text, { signal, onProgress }) };
  const { result } = await analyzeFile(model, message.path, message.settings, { signal, onProgress, ...(maxBytes === undefined ? {} : { maxBytes }) });
  return { type: 'result', id, result };
}

/** A view job's failure with its own code (the main process throws it again as that NormscopeError). */
function viewError(e: unknown): { code: string; message: string } {
  return { code: isNormscopeError(e) ? e.code : 'MODEL_FAILED', message: (e as Error)?.message ?? String(e) };
}

async function analyze(id: number, documents: { path: string; sha256: string }[], settings: Settings, signal: AbortSignal): Promise<JobOutcome[]> {
  const onProgress = (p: { tokensDone: number; tokensTotal: number }) => post({ type: 'progress', id, ...p });
  const analyzed = await analyzeFiles(model, documents.map((d) => d.path), settings, { signal, onProgress, ...(maxBytes === undefined ? {} : { maxBytes }) });
  return analyzed.map((a, i) => outcomeOf(a, documents[i]!.sha256, settings));
}

function outcomeOf({ result, taps }: Awaited<ReturnType<typeof analyzeFiles>>[number], hashed: string, settings: Settings): JobOutcome {
  const sha256 = (result.status === 'ok' ? result.sha256 : undefined) ?? hashed;
  const base: JobOutcome = taps ? { sha256, tapsFrame: tapsFrame(sha256, identity, taps), tokens: taps.tokens.length } : {};
  if (result.status === 'error') return { ...base, error: result.error };
  return { ...base, sha256, layers: result.layers.map(({ layer, tap, fit }) => ({ layer, tap, fit })), factors: factorsOf(taps!, settings) };
}

/** Each layer's sufficient statistics for the corpus summary, encoded for the result record. */
function factorsOf(taps: DocumentTaps, settings: Settings): string[] {
  return taps.logNorms[settings.component].map((series) => encodeFactors(documentFactors(series, settings)));
}

function refitFrame(frame: Parameters<typeof parseTapsFrame>[0], settings: Settings): JobOutcome {
  let taps: DocumentTaps;
  try {
    taps = parseTapsFrame(frame);
  } catch (e) {
    return { error: jobError(e) };
  }
  try {
    return { tokens: taps.tokens.length, layers: fitLayers(taps, settings).map(({ layer, tap, fit }) => ({ layer, tap, fit })), factors: factorsOf(taps, settings) };
  } catch (e) {
    return { tokens: taps.tokens.length, error: jobError(e) };
  }
}

const DOCUMENT_CODES: ReadonlySet<string> = new Set(DOCUMENT_ERROR_CODES);

/** A document's own failure keeps its code; anything unexpected counts as the model's, as analyzeFile counts it. */
function jobError(e: unknown): JobError {
  if (isNormscopeError(e) && DOCUMENT_CODES.has(e.code)) return { code: e.code as DocumentErrorCode, message: e.message };
  return { code: 'MODEL_FAILED', message: (e as Error)?.message ?? String(e) };
}
