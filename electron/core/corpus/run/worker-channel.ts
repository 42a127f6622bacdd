// The inference worker's side of its channel, wherever it runs: a child process forked by plain Node (its IPC
// channel, structured-clone serialization), an Electron utility process (process.parentPort), or a worker thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

export interface WorkerChannel {
  init: WorkerInit;
  post(message: FromWorker): void;
  onMessage(handler: (message: ToWorker) => void): void;
  /** Ends the channel; a process then exits. */
  close(): void;
}

/** The variable the process host passes the init in (processes get no workerData). */
export const INIT_ENV = 'NORMSCOPE_WORKER_INIT';

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function workerChannel(): WorkerChannel {
  if (parentPort) {
    const port = parentPort;
    return { init: workerData as WorkerInit, post: (m) => port.postMessage(m), onMessage: (h) => port.on('message', h), close: () => port.close() };
  }
  const init = JSON.parse(process.env[INIT_ENV] ?? 'null') as WorkerInit | null;
  if (!init) throw new Error(`the inference worker needs ${INIT_ENV}`);
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      init,
      post: (m) => electronPort.postMessage(m),
      onMessage: (h) => electronPort.on('message', (e) => h(e.data as ToWorker)),
      close: () => process.exit(0),
    };
  }
  if (!process.send) throw new Error('the inference worker was started without an IPC channel');
  return {
    init,
    post: (m) => void process.send!(m),
    onMessage: (h) => process.on('message', (m) => h(m as ToWorker)),
    close: () => {
      // the channel flushes what was sent before it closes; then nothing of the worker's may keep it alive
      process.disconnect();
      setTimeout(() => process.exit(0), 1000).unref();
    },
  };
}
