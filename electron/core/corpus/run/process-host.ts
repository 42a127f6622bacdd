// Where the inference worker runs: in a child process of its own (child_process.fork in plain Node, Electron's
// utilityProcess in the app, through setInferenceLauncher), so a native crash or a kill in onnxruntime leaves the
// main process running and a job's memory goes back to the system when its process ends (glibc keeps a thread's).
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { INIT_ENV } from './worker-channel.js';
import type { ToWorker, WorkerInit } from './worker-protocol.js';

/** What the main process (corpus queue, document view, Compare) needs of its worker: messages both ways, 'message' / 'error' / 'exit' events, a hard stop. */
export interface InferenceProcess extends EventEmitter {
  readonly pid: number | undefined;
  postMessage(message: ToWorker): void;
  /** Kills the process (SIGKILL): nothing it holds outlives it. */
  terminate(): Promise<void>;
}

/** Starts the worker entry (`entry`, a file path) with `env`; the app's launcher wraps Electron's utilityProcess. */
export type InferenceLauncher = (entry: string, env: NodeJS.ProcessEnv) => InferenceProcess;

let launcher: InferenceLauncher = forkLauncher;

/** The app's main process installs its utilityProcess launcher here (plain Node keeps child_process.fork). */
export function setInferenceLauncher(l: InferenceLauncher): void {
  launcher = l;
}

/** Starts the inference worker in a process of its own. */
export function spawnInferenceProcess(init: WorkerInit): InferenceProcess {
  const self = import.meta.url;
  const entry = fileURLToPath(new URL(self.endsWith('.ts') ? './worker.ts' : './worker.js', self));
  return launcher(entry, { ...process.env, [INIT_ENV]: JSON.stringify(init) });
}

/** child_process.fork: plain Node's launcher (the default). */
export function forkLauncher(entry: string, env: NodeJS.ProcessEnv): InferenceProcess {
  // under the tests the worker is TypeScript: the child loads tsx first
  const execArgv = entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx/esm')] : [];
  const child = fork(entry, [], { env, execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const host = Object.assign(new EventEmitter(), {
    pid: child.pid,
    postMessage(message: ToWorker) {
      if (child.connected) child.send(message);
    },
    terminate(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
  });
  child.on('message', (m) => host.emit('message', m));
  child.on('error', (e) => host.emit('error', e));
  child.on('exit', (code, signal) => host.emit('exit', code ?? signal));
  return host;
}
