// The main process's handle on the inference worker, a process of its own (process-host.ts): start it (model loaded),
// send one job at a time, abort, stop.
import type { DocumentResult, Settings } from '../../../../shared/result.js';
import type { DocumentTaps, ModelFacts } from '../../analysis/index.js';
import { NormscopeError, type ErrorCode } from '../../errors.js';
import { spawnInferenceProcess, type InferenceProcess } from './process-host.js';
import type { FromWorker, JobOutcome, ToWorker, WorkerInit, WorkerModel } from './worker-protocol.js';

export type Job = { type: 'analyze'; path: string; sha256: string; settings: Settings } | { type: 'fit'; tapsFrame: Uint8Array; settings: Settings };
export type ManyJob = { type: 'analyze-many'; documents: { path: string; sha256: string }[]; settings: Settings };

/** The worker's answer to a job (what ends it). */
type Reply = Extract<FromWorker, { type: 'done' | 'done-many' | 'taps' | 'result' | 'failed' }>;

interface Pending {
  id: number;
  resolve: (reply: Reply) => void;
  reject: (e: Error) => void;
  onProgress?: (p: { tokensDone: number; tokensTotal: number }) => void;
}

export class InferenceWorker {
  private pending: Pending | null = null;
  private nextId = 1;
  private stopped: Error | null = null;
  private died = false;

  private constructor(
    private readonly worker: InferenceProcess,
    readonly model: WorkerModel,
  ) {
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (e) => this.fail(new NormscopeError('MODEL_FAILED', `the inference worker failed: ${e.message}`)));
    worker.on('exit', (code) => this.fail(new NormscopeError('MODEL_FAILED', `the inference worker stopped (exit ${code})`)));
  }

  /** Starts a worker and waits until its model is loaded. Throws the model's NormscopeError when it cannot load. */
  static start(init: WorkerInit, signal?: AbortSignal): Promise<InferenceWorker> {
    const worker = spawnInferenceProcess(init);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        off();
        // the load is native work: let it finish, then stop the thread gracefully
        worker.once('message', (m: FromWorker) => { if (m.type === 'ready') void stopGracefully(worker); });
        reject(new NormscopeError('CANCELLED', 'cancelled while the model was loading'));
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'ready') {
          off();
          resolve(new InferenceWorker(worker, m.model));
        } else if (m.type === 'fatal') {
          off();
          // the thread ends by itself after a fatal load: it listens to nothing
          reject(new NormscopeError(m.error.code as ErrorCode, m.error.message));
        }
      };
      const onError = (e: Error) => {
        off();
        void worker.terminate();
        reject(new NormscopeError('MODEL_FAILED', `the inference worker could not start: ${e.message}`));
      };
      const onExit = (code: number) => {
        off();
        reject(new NormscopeError('MODEL_FAILED', `the inference worker exited while loading the model (exit ${code})`));
      };
      const off = () => {
        signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The worker's process id (what a crash or a kill would hit). */
  get pid(): number | undefined {
    return this.worker.pid;
  }

  get alive(): boolean {
    return this.stopped === null;
  }

  /** Whether the process stopped by itself (a native crash, a kill) rather than because it was told to: the job in
   * flight may then run again on a fresh one. */
  get crashed(): boolean {
    return this.died;
  }

  /** Runs one job; one at a time. Rejects with CANCELLED on abort(), MODEL_FAILED if the worker dies. */
  async run(job: Job, onProgress?: Pending['onProgress']): Promise<JobOutcome> {
    return ((await this.send(job, onProgress ? { onProgress } : {})) as Extract<Reply, { type: 'done' }>).outcome;
  }

  /** Runs several short documents as one job (their forward passes batched): one outcome per document, in order. */
  async runMany(job: ManyJob, onProgress?: Pending['onProgress']): Promise<JobOutcome[]> {
    return ((await this.send(job, onProgress ? { onProgress } : {})) as Extract<Reply, { type: 'done-many' }>).outcomes;
  }

  /** The document view's model run: the taps of `text` (computeTaps). Rejects with the run's NormscopeError. */
  async taps(text: string, o: JobOptions = {}): Promise<DocumentTaps> {
    return ((await this.send({ type: 'taps', text }, o)) as Extract<Reply, { type: 'taps' }>).taps;
  }

  /** The Compare view's run of one file (analyzeFile's result). Rejects with a NormscopeError only for the job as a whole. */
  async result(path: string, settings: Settings, o: JobOptions = {}): Promise<DocumentResult> {
    return ((await this.send({ type: 'result', path, settings }, o)) as Extract<Reply, { type: 'result' }>).result;
  }

  /** One job at a time; `o.signal` aborts it (CANCELLED) as abort() does. */
  private send(job: JobMessage, o: JobOptions): Promise<Reply> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (this.pending) return Promise.reject(new Error('InferenceWorker runs one job at a time'));
    const { signal, onProgress } = o;
    if (signal?.aborted) return Promise.reject(new NormscopeError('CANCELLED', 'cancelled'));
    const id = this.nextId++;
    const onAbort = () => this.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const reply = new Promise<Reply>((resolve, reject) => {
      this.pending = { id, resolve, reject, ...(onProgress ? { onProgress } : {}) };
      this.worker.postMessage({ ...job, id } as ToWorker);
    });
    return signal ? reply.finally(() => signal.removeEventListener('abort', onAbort)) : reply;
  }

  /** Drops the running job now (its promise rejects with CANCELLED) and asks the worker to stop it at the next window. */
  abort(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.worker.postMessage({ type: 'abort', id: p.id } satisfies ToWorker);
    p.reject(new NormscopeError('CANCELLED', 'cancelled'));
  }

  /** Stops the thread once its forward pass (native code) returns and its model is released; not awaited where speed matters. */
  async terminate(): Promise<void> {
    this.abort();
    // a process that died by itself has nothing left to stop (and no exit left to wait for)
    if (this.died) return;
    this.stopped ??= new NormscopeError('CANCELLED', 'the inference worker was stopped');
    await stopGracefully(this.worker);
  }

  private onMessage(m: FromWorker): void {
    const p = this.pending;
    if (!p || !('id' in m) || m.id !== p.id) return;
    if (m.type === 'progress') p.onProgress?.({ tokensDone: m.tokensDone, tokensTotal: m.tokensTotal });
    else if (m.type === 'failed') {
      this.pending = null;
      p.reject(new NormscopeError(m.error.code as ErrorCode, m.error.message));
    } else {
      this.pending = null;
      p.resolve(m);
    }
  }

  private fail(e: Error): void {
    if (this.stopped) return;
    this.stopped = e;
    this.died = true;
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A job as the caller gives it: a request to the worker without its id (send() numbers it). */
type JobMessage = DistributiveOmit<Exclude<Extract<ToWorker, { id: number }>, { type: 'abort' }>, 'id'>;

/** How one job reports back and is cancelled. */
export interface JobOptions {
  onProgress?: (p: { tokensDone: number; tokensTotal: number }) => void;
  signal?: AbortSignal;
}

/**
 * Runs `job` on `worker`; when the process dies under it (a native crash, a kill; not a cancel), `restart` gives a fresh
 * process and the job runs once more, alone. A second death there is MODEL_FAILED naming `what`. The document view and
 * Compare both run this way (the corpus run has its own: a pack that dies is rerun one document at a time).
 */
export async function withOneRestart<T>(
  worker: InferenceWorker,
  job: (w: InferenceWorker) => Promise<T>,
  restart: (why: Error) => Promise<InferenceWorker>,
  what: string,
  signal?: AbortSignal,
): Promise<T> {
  try {
    return await job(worker);
  } catch (e) {
    if (!worker.crashed || signal?.aborted) throw e;
    const fresh = await restart(e as Error);
    try {
      return await job(fresh);
    } catch (again) {
      if (!fresh.crashed || signal?.aborted) throw again;
      throw new NormscopeError('MODEL_FAILED', `the inference process stopped twice on ${what}: ${(again as Error).message}`);
    }
  }
}

/** How long a worker asked to stop may take to finish its pass and release its model before it is killed. */
const STOP_GRACE_MS = 10_000;

/** Asks the worker to stop and waits for its exit; killed after STOP_GRACE_MS (a process of its own: only it goes). */
function stopGracefully(worker: InferenceProcess): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
    timer.unref();
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      worker.postMessage({ type: 'stop' } satisfies ToWorker);
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** The worker's model as results describe it (modelInfo, provenance), from what it reported when ready. */
export function workerFacts(m: WorkerModel): ModelFacts {
  const { config, executionProvider, context, dtype, providerReason, providerNotes, addedSpecialTokens, hashes } = m;
  return { config, executionProvider, context, dtype, providerReason, providerNotes, addedSpecialTokens, hashes: () => Promise.resolve(hashes) };
}
