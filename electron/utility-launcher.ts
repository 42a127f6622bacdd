// The app's launcher for the inference worker (corpus jobs, the document view, Compare): an Electron utility process
// (the packaged binary cannot run as Node, its runAsNode fuse is off, so child_process.fork is not available), adapted
// to process-host's interface.
import { utilityProcess, type UtilityProcess } from 'electron';
import { EventEmitter } from 'node:events';
import type { InferenceLauncher, InferenceProcess } from './core/corpus/run/process-host.js';
import type { ToWorker } from './core/corpus/run/worker-protocol.js';

class UtilityInference extends EventEmitter implements InferenceProcess {
  private exited = false;

  constructor(private readonly child: UtilityProcess) {
    super();
    child.on('message', (m: unknown) => this.emit('message', m));
    child.on('exit', (code: number) => {
      this.exited = true;
      this.emit('exit', code);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  postMessage(message: ToWorker): void {
    if (!this.exited) this.child.postMessage(message);
  }

  terminate(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill();
    });
  }
}

export const utilityLauncher: InferenceLauncher = (entry, env) =>
  new UtilityInference(utilityProcess.fork(entry, [], { env, serviceName: 'normscope inference', stdio: 'inherit' }));
