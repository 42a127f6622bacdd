// One corpus job: scan the inputs, load the model in a worker thread, then for each document either skip it (its
// result is stored), refit its stored taps, or run the model (short documents in packs whose forward passes are
// batched); store each result durably before announcing it. Pause waits for the document or pack in flight; cancel
// drops it at once; one document failing never stops the batch.
// The main thread only hashes, decides and writes: it stays free for the UI (or the terminal) throughout.
// What it reads (scan, content hashes) is in scan.ts, how it stores results in order in result-writer.ts, its
// protocol with the worker in worker-protocol.ts.
import { EventEmitter } from 'node:events';
import type { DocumentErrorCode, Settings } from '../../../../shared/result.js';
import { NormscopeError, isNormscopeError } from '../../errors.js';
import { ContentHashes, readFailure, scan, type Doc } from './scan.js';
import { InferenceWorker, type Job, type ManyJob } from './inference-worker.js';
import { normalizeSettings } from '../store/settings-key.js';
import { CorpusStore, type ModelIdentity } from '../store/index.js';
import { ResultWriter } from './result-writer.js';
import { Throughput } from './throughput.js';
import type { CorpusEvents, CorpusOutcome, CorpusPhase, CorpusRunOptions, CorpusState, CorpusRunStatus, DocumentRow } from './types.js';
import type { JobOutcome } from './worker-protocol.js';

const STATUS_EVERY_MS = 100;

/** Which documents travel in packs, and how big a pack gets: files of at most 4 KB (about 1,000 GPT-2 tokens of
 * English) that need the model, up to 32 of them or 16 KB; the worker batches them by their token counts. */
export const PACK_LIMITS = { documents: 32, bytes: 16_384, documentBytes: 4_096 };

/** Starts a corpus job; follow it with on('status' | 'document'), steer it with pause/resume/cancel, await `done`. */
export function startCorpusRun(options: CorpusRunOptions): CorpusRun {
  return new CorpusRun(options);
}

export class CorpusRun {
  /** Resolves when the job ends (finished, cancelled or failed); never rejects. */
  readonly done: Promise<CorpusOutcome>;
  private readonly events = new EventEmitter();
  private readonly settings: Settings;
  private state: CorpusState = 'idle';
  private phase: CorpusPhase | null = null;
  private pauseRequested = false;
  private resumeGate: (() => void) | null = null;
  private cancelled = false;
  private docs: Doc[] = [];
  private rowsList: DocumentRow[] = [];
  private counts = { done: 0, failed: 0, skipped: 0, refit: 0 };
  private throughput = new Throughput(0);
  private current: { path: string; tokens: { done: number; total: number } | null } | null = null;
  private modelStatus: CorpusRunStatus['model'] = null;
  private error: { code: string; message: string } | undefined;
  private activeMs = 0;
  private activeSince: number | null = null;
  private lastStatusAt = 0;
  private worker: InferenceWorker | null = null;
  private workerStarting: AbortController | null = null;
  /** Stores results in document order (made once the model is known); the first failure to store ends the job. */
  private writer: ResultWriter | null = null;

  constructor(private readonly options: CorpusRunOptions) {
    this.settings = options.settings;
    this.done = this.run();
    const signal = options.signal;
    if (signal?.aborted) this.cancel();
    else if (signal) {
      const onAbort = () => this.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
      // a signal that outlives the run (the CLI's, the app's) would otherwise keep the finished run and its rows alive
      const off = () => signal.removeEventListener('abort', onAbort);
      this.done.then(off, off);
    }
  }

  on<K extends keyof CorpusEvents>(event: K, listener: (e: CorpusEvents[K]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  status(): CorpusRunStatus {
    const elapsed = this.activeMs + (this.activeSince === null ? 0 : Date.now() - this.activeSince);
    return {
      state: this.state,
      phase: this.phase,
      pausing: this.pauseRequested && this.state === 'running',
      documentsTotal: this.docs.length,
      documentsDone: this.counts.done,
      documentsFailed: this.counts.failed,
      documentsSkipped: this.counts.skipped,
      documentsRefit: this.counts.refit,
      tokensDone: this.throughput.tokens,
      tokensPerSecond: this.throughput.tokensPerSecond,
      etaSeconds: this.throughput.etaSeconds,
      currentFile: this.current?.path ?? null,
      currentTokens: this.current?.tokens ?? null,
      elapsedSeconds: elapsed / 1000,
      outDir: this.options.outDir,
      model: this.modelStatus,
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** Every document's row, in input order (pending ones included once the scan is done). */
  rows(): DocumentRow[] {
    return this.rowsList.map((r) => ({ ...r }));
  }

  /** Stops before the next document; the one in flight finishes and is stored. */
  pause(): void {
    if (this.state !== 'running' || this.pauseRequested) return;
    this.pauseRequested = true;
    this.emitStatus(true);
  }

  resume(): void {
    if (!this.pauseRequested) return;
    this.pauseRequested = false;
    const gate = this.resumeGate;
    this.resumeGate = null;
    gate?.();
    this.emitStatus(true);
  }

  /** Stops now: the document in flight is dropped (nothing of it stored); everything acknowledged stays. */
  cancel(): void {
    if (this.cancelled || this.state === 'done' || this.state === 'error' || this.state === 'cancelled') return;
    this.cancelled = true;
    this.workerStarting?.abort();
    this.worker?.abort();
    const gate = this.resumeGate;
    this.resumeGate = null;
    gate?.();
  }

  private async run(): Promise<CorpusOutcome> {
    let store: CorpusStore | null = null;
    let runIndex = -1;
    this.setState('running', 'scanning');
    try {
      const settings = normalizeSettings(this.settings);
      this.docs = await scan(this.options.paths, this.options.maxBytes);
      this.rowsList = this.docs.map((d) => ({ path: d.path, sha256: null, status: 'pending' }));
      this.throughput = new Throughput(this.docs.reduce((s, d) => s + d.bytes, 0));
      if (this.docs.length === 0) {
        this.setState('done', null);
        return this.outcome('done');
      }
      store = this.options.store ?? (await CorpusStore.open(this.options.outDir));
      if (this.cancelled) return await this.finish(store, runIndex);
      this.setState('running', 'loading');
      const worker = await this.startWorker();
      if (!worker) return await this.finish(store, runIndex);
      const model: ModelIdentity = { model_sha256: worker.model.hashes.model, tokenizer_sha256: worker.model.hashes.tokenizer };
      const { name, source, revision } = this.options.model;
      const { n_layer, n_head, n_embd, n_positions } = worker.model.config;
      const provider = worker.model.executionProvider;
      this.modelStatus = { name, ...model, execution_provider: provider, provider_notes: [...worker.model.providerNotes] };
      await store.recordModel({ name, source, revision, n_layer, n_head, n_embd, n_positions, execution_provider: provider, ...model });
      runIndex = await store.recordRun({
        started: new Date().toISOString(),
        finished: null,
        state: 'running',
        inputs: this.options.paths,
        settings,
        model_sha256: model.model_sha256,
        counts: { documents: this.docs.length },
      });
      this.setState('running', 'analyzing');
      await this.analyzeAll(store, model, settings);
      return await this.finish(store, runIndex);
    } catch (e) {
      this.error = { code: isNormscopeError(e) ? e.code : 'MODEL_FAILED', message: (e as Error)?.message ?? String(e) };
      this.setState('error', null);
      await store?.updateRun(runIndex, { finished: new Date().toISOString(), state: 'error', counts: this.countsRecord() }).catch(() => undefined);
      return this.outcome('error');
    } finally {
      this.current = null;
      void this.worker?.terminate();
      this.worker = null;
      if (store !== this.options.store) await store?.close().catch(() => undefined);
    }
  }

  /**
   * Every document in order. Storing a result overlaps the model's work on the next job (the worker waits on an fsync
   * only when the store is a whole job behind); results are still stored and announced in document order, and a
   * document whose content is being stored right then waits for it, so it is found stored rather than computed twice.
   * Short documents that need the model are sent in packs (their forward passes batched in the worker); a pack is
   * stored when it returns, so a kill loses at most the job in flight and the one being stored.
   */
  private async analyzeAll(store: CorpusStore, model: ModelIdentity, settings: Settings): Promise<void> {
    const hashes = new ContentHashes(this.docs, this.options.hashes);
    const writer = new ResultWriter(store, model, settings, this.docs.map((d) => d.path), this.rowsList, this.counts, {
      document: (index) => this.announce(index),
      stored: (index, measure) => {
        this.throughput.finished(this.docs[index]!.bytes, measure);
        this.emitStatus(true);
      },
    });
    this.writer = writer;
    const limits = { ...PACK_LIMITS, ...this.options.pack };
    let pack: { index: number; sha: string }[] = [];
    let packBytes = 0;
    const flush = async () => {
      const members = pack;
      pack = [];
      packBytes = 0;
      if (members.length) await this.runPack(members, writer, settings);
    };

    for (let index = 0; index < this.docs.length && !this.cancelled; index++) {
      if (this.pauseRequested) await flush();
      await this.pauseGate();
      if (this.cancelled) break;
      writer.throwIfFailed();
      const doc = this.docs[index]!;
      const row = this.rowsList[index]!;

      let sha: string;
      try {
        sha = await hashes.of(index);
      } catch (e) {
        await flush();
        if (this.cancelled) break;
        await writer.stored();
        await writer.record(index, { sha256: null, path: doc.path, ...model, settings, status: 'error', error: isNormscopeError(e) ? { code: e.code as DocumentErrorCode, message: e.message } : { code: 'READ_FAILED', message: readFailure(doc.path, e) }, source: 'computed' });
        this.throughput.finished(doc.bytes);
        continue;
      } finally {
        hashes.done(index);
      }
      row.sha256 = sha;
      if (index + 1 < this.docs.length) void hashes.of(index + 1);
      // the same content twice in one pack would be computed twice: the first is stored before the second is looked up
      if (pack.some((m) => m.sha === sha)) await flush();
      if (this.cancelled) break;
      if (writer.storing.has(sha)) await writer.stored();
      const final = store.finalResult(sha, model, settings);
      const packable = limits.documents > 1 && !final && doc.bytes <= limits.documentBytes && !store.hasTaps(sha, model);
      if (packable) {
        pack.push({ index, sha });
        packBytes += doc.bytes;
        if (pack.length >= limits.documents || packBytes >= limits.bytes) await flush();
        continue;
      }
      await flush();
      if (!final) await writer.jobSlot();
      if (this.cancelled) break;
      row.status = 'running';
      this.current = { path: doc.path, tokens: null };
      this.emitStatus(true);

      if (final) {
        await writer.stored();
        writer.found(index, await store.readResult(final));
        this.throughput.finished(doc.bytes);
        this.announce(index);
        continue;
      }

      const storedTaps = await store.readTapsFrame(sha, model);
      const job: Job = storedTaps ? { type: 'fit', tapsFrame: storedTaps, settings } : { type: 'analyze', path: doc.path, sha256: sha, settings };
      await this.runOne(index, sha, job, writer);
    }
    if (!this.cancelled) await flush();
    await writer.stored();
  }

  /** One document's job on the worker, its result chained to be stored; a worker that died on it is replaced. */
  private async runOne(index: number, sha: string, job: Job, writer: ResultWriter): Promise<void> {
    const started = Date.now();
    let outcome: JobOutcome;
    let workerDied = false;
    try {
      outcome = await this.runJob(job);
    } catch (e) {
      if (this.cancelled) return;
      // the inference process died on this job (a native crash, a kill): reported, then the job runs once more alone
      // on a fresh one; only a second death makes it the document's failure
      this.events.emit('restart', { path: this.docs[index]!.path, message: (e as Error).message });
      await writer.stored();
      await this.replaceWorker();
      try {
        outcome = await this.runJob(job);
      } catch (again) {
        if (this.cancelled) return;
        outcome = { error: { code: 'MODEL_FAILED', message: (again as Error).message } };
        workerDied = true;
      }
    }
    if (this.cancelled) return;
    writer.add(index, outcome.sha256 ?? sha, outcome, job.type === 'fit' ? 'refit' : 'computed', (Date.now() - started) / 1000);
    if (workerDied) {
      await writer.stored();
      await this.replaceWorker();
    }
  }

  /** Several short documents as one worker job; if the worker dies on the pack, each runs again alone, so only the
   * document that kills it fails. */
  private async runPack(members: { index: number; sha: string }[], writer: ResultWriter, settings: Settings): Promise<void> {
    await writer.jobSlot();
    if (this.cancelled) return;
    for (const m of members) this.rowsList[m.index]!.status = 'running';
    const first = this.docs[members[0]!.index]!.path;
    this.current = { path: members.length > 1 ? `${first} (+${members.length - 1} more)` : first, tokens: null };
    this.emitStatus(true);
    const started = Date.now();
    let outcomes: JobOutcome[];
    try {
      outcomes = await this.runPackJob({ type: 'analyze-many', documents: members.map((m) => ({ path: this.docs[m.index]!.path, sha256: m.sha })), settings });
    } catch (e) {
      if (this.cancelled) return;
      this.events.emit('restart', { path: first, message: (e as Error).message });
      await writer.stored();
      await this.replaceWorker();
      for (const m of members) {
        if (this.cancelled) return;
        this.current = { path: this.docs[m.index]!.path, tokens: null };
        await this.runOne(m.index, m.sha, { type: 'analyze', path: this.docs[m.index]!.path, sha256: m.sha, settings }, writer);
      }
      return;
    }
    if (this.cancelled) return;
    // the pack's time, shared by its documents in proportion to their tokens (the throughput and ETA's measure)
    const tokens = outcomes.reduce((n, o) => n + (o.tokens ?? 0), 0);
    const seconds = (Date.now() - started) / 1000;
    members.forEach((m, k) => {
      const o = outcomes[k]!;
      writer.add(m.index, o.sha256 ?? m.sha, o, 'computed', tokens ? (seconds * (o.tokens ?? 0)) / tokens : 0);
    });
  }

  private runJob(job: Job): Promise<JobOutcome> {
    return this.worker ? this.worker.run(job, this.onJobProgress) : Promise.reject(new NormscopeError('MODEL_FAILED', 'no inference worker'));
  }

  private runPackJob(job: ManyJob): Promise<JobOutcome[]> {
    return this.worker ? this.worker.runMany(job, this.onJobProgress) : Promise.reject(new NormscopeError('MODEL_FAILED', 'no inference worker'));
  }

  /** The worker's tokens done within the current document or pack. */
  private readonly onJobProgress = (p: { tokensDone: number; tokensTotal: number }): void => {
    if (this.current) this.current.tokens = { done: p.tokensDone, total: p.tokensTotal };
    this.emitStatus(false);
  };

  private announce(index: number): void {
    this.events.emit('document', { ...this.rowsList[index]!, index });
  }

  private async startWorker(): Promise<InferenceWorker | null> {
    const controller = new AbortController();
    this.workerStarting = controller;
    try {
      this.worker = await InferenceWorker.start({ modelDir: this.options.model.dir, loadOptions: this.options.loadOptions ?? {}, maxBytes: this.options.maxBytes }, controller.signal);
      return this.worker;
    } catch (e) {
      if (this.cancelled) return null;
      throw e;
    } finally {
      this.workerStarting = null;
    }
  }

  /** After a worker died on a document: a fresh one for the rest (a model that cannot load again ends the job). */
  private async replaceWorker(): Promise<void> {
    void this.worker?.terminate();
    this.worker = null;
    await this.startWorker();
  }

  private async pauseGate(): Promise<void> {
    if (!this.pauseRequested) return;
    // paused means nothing more changes: the last result is stored first
    await this.writer?.settled();
    if (!this.pauseRequested || this.cancelled) return;
    this.setState('paused', this.phase);
    return new Promise<void>((resolve) => {
      this.resumeGate = () => {
        if (!this.cancelled) this.setState('running', this.phase);
        resolve();
      };
    });
  }

  private async finish(store: CorpusStore, runIndex: number): Promise<CorpusOutcome> {
    const state = this.cancelled ? 'cancelled' : 'done';
    this.setPhase('finishing');
    await store.flushed();
    if (runIndex >= 0) await store.updateRun(runIndex, { finished: new Date().toISOString(), state, counts: this.countsRecord() });
    // the document dropped by a cancel has no result: it is pending again
    for (const row of this.rowsList) if (row.status === 'running') row.status = 'pending';
    this.current = null;
    this.setState(state, null);
    return this.outcome(state);
  }

  private outcome(state: CorpusOutcome['state']): CorpusOutcome {
    return { state, status: this.status(), rows: this.rows() };
  }

  private countsRecord(): Record<string, number> {
    return { documents: this.docs.length, ...this.counts, tokens: this.throughput.tokens };
  }

  private setState(state: CorpusState, phase: CorpusPhase | null): void {
    const now = Date.now();
    if (state === 'running' && this.activeSince === null) this.activeSince = now;
    if (state !== 'running' && this.activeSince !== null) {
      this.activeMs += now - this.activeSince;
      this.activeSince = null;
    }
    this.state = state;
    this.phase = phase;
    this.emitStatus(true);
  }

  private setPhase(phase: CorpusPhase): void {
    this.phase = phase;
    this.emitStatus(true);
  }

  private emitStatus(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastStatusAt < STATUS_EVERY_MS) return;
    this.lastStatusAt = now;
    this.events.emit('status', this.status());
  }
}
