// The model manager's state and actions: the list main reports, downloads in flight (fed by models:progress), the
// first-run screen's answers. Like lib/state, it only asks main and keeps what it was told.
import type { CacheScan, FirstRunState, IpcError, ModelEntry, ModelPullProgress } from '../../../shared/ipc.js';
import { AppError, call, on } from '../lib/api.js';
import { runBusy } from '../lib/busy.js';
import { app } from '../lib/state.svelte';
import { bytes } from './format.js';

class ModelsState {
  entries = $state.raw<ModelEntry[]>([]);
  loaded = $state(false);
  /** Downloads in flight (and the last event of each), by model name. */
  pulls = $state<Record<string, ModelPullProgress>>({});
  /** The last failed download of each model, shown in its row until the next try. */
  errors = $state<Record<string, IpcError>>({});
  firstRun = $state<FirstRunState | null>(null);
  scan = $state<CacheScan | null>(null);
  /** The action waiting on main ('import', 'scan', 'scan-other', 'default:NAME', 'remove:NAME'), to disable its button. */
  busy = $state<string | null>(null);
  confirming = $state<ModelEntry | null>(null);
  /** Downloads this page follows: a progress event that arrives after its download's reply must not bring it back. */
  #following = new Set<string>();

  /** The first-run screen: no real GPT-2 anywhere, and the user has not chosen to go on with the demo. */
  showFirstRun = $derived(this.firstRun !== null && this.firstRun.needed && !this.firstRun.dismissed);
  /** The running downloads' overall fraction, for the toolbar (null when none runs). */
  pullFraction = $derived.by(() => {
    const running = Object.values(this.pulls);
    const total = running.reduce((a, p) => a + p.bytesTotal, 0);
    return running.length === 0 ? null : total > 0 ? running.reduce((a, p) => a + p.bytesDone, 0) / total : 0;
  });

  async init(): Promise<void> {
    on('models:progress', (p) => {
      if (p.phase === 'done' || p.phase === 'cancelled' || p.phase === 'error') {
        this.#following.delete(p.name);
        this.#forget(p.name);
      } else if (this.#following.has(p.name)) {
        this.pulls[p.name] = p;
      }
    });
    await Promise.all([this.refresh(), this.refreshFirstRun()]);
  }

  async refresh(): Promise<void> {
    try {
      this.entries = await call('models:list');
      this.loaded = true;
      // downloads started before this page loaded
      for (const e of this.entries) if (e.pulling) this.#following.add(e.name);
    } catch (e) {
      app.fail(e);
    }
  }

  async refreshFirstRun(): Promise<void> {
    try {
      this.firstRun = await call('models:firstRun');
    } catch (e) {
      app.fail(e);
    }
  }

  #forget(name: string): void {
    if (!(name in this.pulls)) return;
    const { [name]: _gone, ...rest } = this.pulls;
    this.pulls = rest;
  }

  async #changed(): Promise<void> {
    await Promise.all([this.refresh(), this.refreshFirstRun()]);
  }

  async pull(name: string): Promise<void> {
    if (this.pulls[name]) return;
    const { [name]: _old, ...errors } = this.errors;
    this.errors = errors;
    this.#following.add(name);
    this.pulls[name] = { name, phase: 'resolving', file: null, bytesDone: 0, bytesTotal: 0, bytesPerSecond: 0, etaSeconds: null };
    // the list shows it as downloading (main knows it now)
    void this.refresh();
    try {
      const entry = await call('models:pull', { name });
      app.notify('success', `${entry.displayName} is downloaded${entry.isDefault ? ' and is now the model in use' : ''}`);
    } catch (e) {
      if (e instanceof AppError && e.code === 'DOWNLOAD_CANCELLED') app.notify('info', `Download of ${name} cancelled; nothing was kept`);
      else if (e instanceof AppError) this.errors = { ...this.errors, [name]: { code: e.code, message: e.message } };
      else app.fail(e);
    } finally {
      this.#following.delete(name);
      this.#forget(name);
      await this.#changed();
    }
  }

  async cancel(name: string): Promise<void> {
    try {
      await call('models:cancelPull', { name });
    } catch (e) {
      app.fail(e);
    }
  }

  #run(busy: string, action: () => Promise<void>): Promise<void> {
    return runBusy(this, busy, action, () => this.#changed());
  }

  importFolder(): Promise<void> {
    return this.#run('import', async () => {
      const entry = await call('models:import');
      if (entry) app.notify('success', `Imported ${entry.name}${entry.isDefault ? '; it is now the model in use' : ''}`);
    });
  }

  setDefault(entry: ModelEntry): Promise<void> {
    return this.#run(`default:${entry.name}`, async () => {
      const chosen = await call('models:setDefault', { name: entry.name });
      app.notify('success', `${chosen.displayName} is now the default model: the next analysis uses it`);
    });
  }

  remove(entry: ModelEntry): Promise<void> {
    this.confirming = null;
    return this.#run(`remove:${entry.name}`, async () => {
      const r = await call('models:remove', { name: entry.name });
      app.notify('success', r.removed === 'cache' ? `Removed ${r.name} (${bytes(r.freedBytes)} freed)` : `Forgot the import ${r.name}; its folder is untouched`);
    });
  }

  /** Searches the cache in use, or (other) a folder the user picks, whose GPT-2s are then imported. */
  scanCache(other: boolean): Promise<void> {
    return this.#run(other ? 'scan-other' : 'scan', async () => {
      const r = await call('models:scanCache', { other });
      if (!r) return;
      this.scan = r;
      if (r.imported.length) app.notify('success', `Imported ${r.imported.join(', ')} from ${r.cachePath}`);
    });
  }

  async dismissFirstRun(): Promise<void> {
    try {
      this.firstRun = await call('models:dismissFirstRun');
    } catch (e) {
      app.fail(e);
    }
  }
}

export const models = new ModelsState();
