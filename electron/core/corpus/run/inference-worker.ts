// The main thread's handle on the inference worker: start it (model loaded), send one job at a time, abort, stop.
import { Worker } from 'node:worker_threads';
import type { Settings } from '../../../../shared/result.js';
import { NormscopeError, type ErrorCode } from '../../errors.js';
import type { FromWorker, JobOutcome, ToWorker, WorkerInit, WorkerModel } from './worker-protocol.js';

export type Job = { type: 'analyze'; path: string; sha256: string; settings: Settings } | { type: 'fit'; tapsFrame: Uint8Array; settings: Settings };
export type ManyJob = { type: 'analyze-many'; documents: { path: string; sha256: string }[]; settings: Settings };

interface Pending {
  id: number;
  resolve: (outcome: JobOutcome | JobOutcome[]) => void;
  reject: (e: Error) => void;
  onProgress?: (p: { tokensDone: number; tokensTotal: number }) => void;
}

export class InferenceWorker {
  private pending: Pending | null = null;
  private nextId = 1;
  private stopped: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly model: WorkerModel,
  ) {
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (e) => this.fail(new NormscopeError('MODEL_FAILED', `the inference worker failed: ${e.message}`)));
    worker.on('exit', (code) => this.fail(new NormscopeError('MODEL_FAILED', `the inference worker stopped (exit ${code})`)));
  }

  /** Starts a worker and waits until its model is loaded. Throws the model's NormscopeError when it cannot load. */
  static start(init: WorkerInit, signal?: AbortSignal): Promise<InferenceWorker> {
    const worker = spawn(init);
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

  get alive(): boolean {
    return this.stopped === null;
  }

  /** Runs one job; one at a time. Rejects with CANCELLED on abort(), MODEL_FAILED if the worker dies. */
  run(job: Job, onProgress?: Pending['onProgress']): Promise<JobOutcome> {
    return this.send(job, onProgress) as Promise<JobOutcome>;
  }

  /** Runs several short documents as one job (their forward passes batched): one outcome per document, in order. */
  runMany(job: ManyJob, onProgress?: Pending['onProgress']): Promise<JobOutcome[]> {
    return this.send(job, onProgress) as Promise<JobOutcome[]>;
  }

  private send(job: Job | ManyJob, onProgress?: Pending['onProgress']): Promise<JobOutcome | JobOutcome[]> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (this.pending) return Promise.reject(new Error('InferenceWorker runs one job at a time'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject, ...(onProgress ? { onProgress } : {}) };
      this.worker.postMessage({ ...job, id } satisfies ToWorker);
    });
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
    this.stopped ??= new NormscopeError('CANCELLED', 'the inference worker was stopped');
    await stopGracefully(this.worker);
  }

  private onMessage(m: FromWorker): void {
    const p = this.pending;
    if (!p || !('id' in m) || m.id !== p.id) return;
    if (m.type === 'progress') p.onProgress?.({ tokensDone: m.tokensDone, tokensTotal: m.tokensTotal });
    else if (m.type === 'done' || m.type === 'done-many') {
      this.pending = null;
      p.resolve(m.type === 'done' ? m.outcome : m.outcomes);
    }
  }

  private fail(e: Error): void {
    if (this.stopped) return;
    this.stopped = e;
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }
}

/** The worker runs compiled JavaScript in the app and the CLI, and TypeScript sources (through tsx) under the tests. */
const STOP_GRACE_MS = 60_000;

/** Asks the worker to stop and waits for its exit; Worker.terminate() only as a last resort after STOP_GRACE_MS,
 * since terminating a thread while onnxruntime runs or tears down in it can take the whole process down. */
function stopGracefully(worker: Worker): Promise<void> {
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

function spawn(init: WorkerInit): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./worker.js', self), { workerData: init });
  // tsx's --import hook does not reach a worker's entry on Node 20; registering it from the entry does
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', self).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData: init });
}
