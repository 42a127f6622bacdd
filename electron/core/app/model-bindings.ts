// The model manager's channels over electron/core/models: list, download (in the background, with progress events and
// cancel), import a folder the user chose, remove, set the default, and the first-run screen's questions. Every change
// that may alter the model the app resolves is reported through `onModelsChanged`, so the next analysis uses it.
import fs from 'node:fs/promises';
import path from 'node:path';
import { invokeChannelsOf, type CacheScan, type FirstRunState, type InvokeChannelOf, type InvokeHandlers, type ModelEntry, type ModelPullProgress } from '../../../shared/ipc.js';
import { isNormscopeError, NormscopeError } from '../errors.js';
import {
  DEMO_NAME,
  findRegistryEntry,
  getDefaultModel,
  hfHubCache,
  importModel,
  isDemoName,
  listModels,
  pull,
  pullTarget,
  removeModel,
  resolveModel,
  scanHubCache,
  setDefaultModel,
  type ModelListing,
  type PullProgress,
} from '../models/index.js';
import { displayPath } from './handles.js';
import type { AppPlatform } from './platform.js';
import { writeFileAtomic } from '../fs/atomic.js';

/** The channels this binding answers: the `models:` group of shared/ipc.ts. */
export const MODEL_CHANNELS = invokeChannelsOf('models');
export type ModelChannel = InvokeChannelOf<'models'>;

export interface ModelBindingsOptions {
  /** The app's data folder: the first-run screen's dismissal is kept there. */
  dataDir: string;
  platform: AppPlatform;
  /** The model the app is told to use instead of the registry's default (the harness's fixture), if any. */
  modelSpec?: string;
  /** Called after a download, import, removal or default change; resolves once the app has let go of a stale model. */
  onModelsChanged(): Promise<void>;
}

export interface ModelBindings {
  readonly handlers: InvokeHandlers<ModelChannel>;
  /** Cancels every download in flight and waits until each has cleaned up after itself. */
  dispose(): Promise<void>;
}

const SUGGESTED = 'gpt2';
const IMPORT_NAME_MAX = 64;
const SNAPSHOT_DIR = /[\\/]models--([^\\/]+)[\\/]snapshots[\\/][^\\/]+[\\/]?$/;

/** A listing in the contract's form: folders in display form, the demo under its labelled name. */
function entryOf(l: ModelListing, pulling: boolean): ModelEntry {
  const shown = (s: string | null) => (s !== null && l.dir !== null ? s.split(l.dir).join(displayPath(l.dir)) : s);
  return {
    name: l.name,
    displayName: l.demo ? DEMO_NAME : l.name,
    label: shown(l.label) ?? l.name,
    kind: l.kind,
    status: l.status,
    hubId: l.repo,
    revision: l.revision,
    location: l.dir === null ? null : displayPath(l.dir),
    shape: l.shape,
    params: l.params,
    downloadBytes: l.downloadBytes,
    diskBytes: l.diskBytes,
    partialBytes: l.partialBytes,
    isDefault: l.isDefault,
    demo: l.demo,
    note: shown(l.note),
    pulling,
  };
}

function progressOf(p: PullProgress): ModelPullProgress {
  return { name: p.name, phase: p.phase, file: p.file, bytesDone: p.bytes, bytesTotal: p.total, bytesPerSecond: p.rate, etaSeconds: p.etaSeconds };
}

/** The folder a user means by "my Hugging Face cache": the hub folder itself, HF_HOME (…/huggingface), or the folder above it. */
async function cacheRoot(chosen: string): Promise<string> {
  const holdsRepos = async (dir: string) => (await fs.readdir(dir).catch(() => [] as string[])).some((n) => n.startsWith('models--'));
  for (const candidate of [chosen, path.join(chosen, 'hub'), path.join(chosen, 'huggingface', 'hub')]) {
    if (await holdsRepos(candidate)) return candidate;
  }
  return chosen;
}

export function createModelBindings(o: ModelBindingsOptions): ModelBindings {
  return new ModelLibrary(o);
}

/** The model manager's side of the app: the library, its downloads in flight and the first-run screen's state. */
class ModelLibrary implements ModelBindings {
  private readonly pulls = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  private readonly firstRunFile: string;
  readonly handlers: InvokeHandlers<ModelChannel>;

  constructor(private readonly o: ModelBindingsOptions) {
    this.firstRunFile = path.join(o.dataDir, 'first-run.json');
    this.handlers = this.bind();
  }

  async dispose(): Promise<void> {
    for (const p of this.pulls.values()) p.controller.abort();
    await Promise.all([...this.pulls.values()].map((p) => p.done));
  }

  private bind(): InvokeHandlers<ModelChannel> {
    return {
      'models:list': () => this.entries(),
      'models:pull': (req) => this.pullModel(req.name),
      'models:cancelPull': async (req) => {
        const running = this.pulls.get(req.name) ?? this.pulls.get(findRegistryEntry(req.name)?.name ?? '');
        running?.controller.abort();
        await running?.done;
        return { cancelled: running !== undefined };
      },
      'models:import': async () => {
        const dir = await this.o.platform.chooseFolder('model');
        if (!dir) return null;
        const name = await this.importFolder(dir);
        await this.adoptIfOnDemo(name);
        await this.o.onModelsChanged();
        return this.entry(name);
      },
      'models:remove': async (req) => {
        const busy = this.pulls.has(req.name) || this.pulls.has(findRegistryEntry(req.name)?.name ?? '');
        if (busy) throw new NormscopeError('BAD_INPUT', `${req.name} is downloading: cancel the download first`, { name: req.name });
        const r = await removeModel(req.name);
        await this.adoptIfOnDemo();
        await this.o.onModelsChanged();
        return { name: r.name, removed: r.removed, freedBytes: r.freedBytes };
      },
      'models:setDefault': async (req) => {
        await setDefaultModel(req.name);
        await this.o.onModelsChanged();
        const list = await this.entries();
        return list.find((e) => e.isDefault) ?? (await this.entry(req.name));
      },
      'models:firstRun': async () => {
        return this.firstRun();
      },
      'models:dismissFirstRun': async () => {
        await writeFileAtomic(this.firstRunFile, JSON.stringify({ dismissed: true, at: new Date().toISOString() }, null, 2));
        return this.firstRun();
      },
      'models:scanCache': (req) => this.scanCache(req.other),
    };
  }

  private async entries(): Promise<ModelEntry[]> {
    return (await listModels()).map((l) => entryOf(l, this.pulls.has(l.name)));
  }

  private async entry(name: string): Promise<ModelEntry> {
    const found = (await this.entries()).find((e) => e.name === name);
    if (!found) throw new NormscopeError('MODEL_NOT_FOUND', `${name} is not among the models normscope lists`, { name });
    return found;
  }

  private async dismissed(): Promise<boolean> {
    try {
      return (JSON.parse(await fs.readFile(this.firstRunFile, 'utf8')) as { dismissed?: unknown }).dismissed === true;
    } catch {
      return false;
    }
  }

  private async firstRun(): Promise<FirstRunState> {
    const list = await this.entries();
    const resolved = await resolveModel(this.o.modelSpec).catch(() => null);
    const real = list.some((e) => e.kind === 'imported' || ((e.kind === 'registry' || e.kind === 'cached') && e.status === 'installed'));
    const suggested = list.find((e) => e.name === SUGGESTED);
    if (!suggested) throw new NormscopeError('MODEL_NOT_FOUND', `the registry has no ${SUGGESTED}`);
    return { needed: (resolved === null || resolved.demo) && !real, dismissed: await this.dismissed(), cachePath: displayPath(hfHubCache()), suggested };
  }

  /** A real model becomes the default when the app would otherwise run the demo: a new one (a first import, say), or
   * after a removal the first installed one left (resolution alone never picks an import). */
  private async adoptIfOnDemo(name?: string): Promise<void> {
    const resolved = await resolveModel(this.o.modelSpec).catch(() => null);
    if (resolved !== null && !resolved.demo) return;
    // a demo the user chose as the default stays, until a new model arrives
    if (name === undefined && (await getDefaultModel()) !== null) return;
    const chosen = name ?? (await listModels()).find((l) => !l.demo && l.kind !== 'registry' && l.status === 'installed')?.name;
    if (chosen !== undefined) await setDefaultModel(chosen);
  }

  /** An import name from the folder (a cache snapshot: its repository's name), free of built-in names and of other imports. */
  private async importName(dir: string): Promise<string> {
    const abs = path.resolve(dir);
    const snap = SNAPSHOT_DIR.exec(abs);
    const raw = snap ? snap[1]!.split('--').at(-1)! : path.basename(abs);
    const base = raw.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, IMPORT_NAME_MAX - 12) || 'model';
    const stem = findRegistryEntry(base) || isDemoName(base) ? `${base}-local` : base;
    const taken = new Map((await listModels()).filter((l) => l.kind === 'imported').map((l) => [l.name, l.dir]));
    for (let i = 1; ; i++) {
      const name = i === 1 ? stem : `${stem}-${i}`;
      const dirOfName = taken.get(name);
      if (dirOfName === undefined || (dirOfName !== null && path.resolve(dirOfName) === abs)) return name;
    }
  }

  private async importFolder(dir: string): Promise<string> {
    const r = await importModel(dir, { name: await this.importName(dir) });
    return r.name;
  }

  /** Downloads a model in the background (progress as models:progress events); a real model replaces the demo. */
  private async pullModel(requested: string): Promise<ModelEntry> {
    const { name } = pullTarget(requested);
    if (this.pulls.has(name)) throw new NormscopeError('BAD_INPUT', `${name} is already downloading`, { name });
    const controller = new AbortController();
    const emit = (p: ModelPullProgress) => this.o.platform.emit('models:progress', p);
    let last: ModelPullProgress = { name, phase: 'resolving', file: null, bytesDone: 0, bytesTotal: 0, bytesPerSecond: 0, etaSeconds: null };
    const run = pull(name, {
      signal: controller.signal,
      onProgress: (p) => emit((last = progressOf(p))),
    });
    this.pulls.set(name, { controller, done: run.catch(() => undefined) });
    try {
      await run;
    } catch (e) {
      const cancelled = isNormscopeError(e, 'DOWNLOAD_CANCELLED');
      emit({ ...last, phase: cancelled ? 'cancelled' : 'error', bytesPerSecond: 0, etaSeconds: null, ...(cancelled || !isNormscopeError(e) ? {} : { error: { code: e.code, message: e.message } }) });
      throw e;
    } finally {
      this.pulls.delete(name);
    }
    await this.adoptIfOnDemo(name);
    await this.o.onModelsChanged();
    return this.entry(name);
  }

  /** Reads the cache in use, or another one the user chooses (whose snapshots are imported). */
  private async scanCache(other: boolean | undefined): Promise<CacheScan | null> {
    const inUse = hfHubCache();
    let folder = inUse;
    if (other) {
      const chosen = await this.o.platform.chooseFolder('hf-cache');
      if (!chosen) return null;
      folder = await cacheRoot(chosen);
    }
    const found = await scanHubCache(folder);
    const imported: string[] = [];
    if (path.resolve(folder) !== path.resolve(inUse)) {
      // another cache cannot be read in place by name (names resolve in the cache in use): register its snapshots
      let failure: unknown = null;
      for (const f of found) {
        if (f.status !== 'installed' || f.dir === null) continue;
        try {
          imported.push(await this.importFolder(f.dir));
        } catch (e) {
          failure ??= e;
        }
      }
      if (imported.length === 0 && failure !== null) throw failure;
    }
    if (imported[0] !== undefined) await this.adoptIfOnDemo(imported[0]);
    await this.o.onModelsChanged();
    const scan: CacheScan = { cachePath: displayPath(folder), found: found.map((f) => entryOf(f, false)), imported };
    return scan;
  }
}
