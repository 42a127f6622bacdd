// Every model normscope can name, with where it is, its status and its sizes: what `models list` prints and the
// model manager shows. Reads the disk only.
import fs from 'node:fs/promises';
import path from 'node:path';
import { modelSummary, readConfig } from '../model/index.js';
import { fileSize, folderBytes, isDirectory, missingModelFiles } from './folder.js';
import { CachedRepo, cachedRepoIds, snapshotStates, type SnapshotState } from './hf-cache.js';
import { demoModelDir, hfHubCache } from './locations.js';
import { findRegistryEntry, GPT2_FAMILY } from './registry.js';
import { DEMO_LABEL, DEMO_NAME, resolveModel } from './resolve.js';
import { readModelSettings } from './settings.js';

export interface ModelListing {
  /** What resolveModel, pull, remove and default accept. */
  name: string;
  label: string;
  /** registry: the GPT-2 family; cached: another GPT-2 found in the Hugging Face cache; imported: a registered folder. */
  kind: 'registry' | 'cached' | 'imported' | 'demo';
  /** installed: loadable; available: can be pulled; incomplete: some files are missing; missing: the folder is gone. */
  status: 'installed' | 'available' | 'incomplete' | 'missing';
  repo: string | null;
  dir: string | null;
  /** Hub commit of the files, when from the cache. */
  revision: string | null;
  shape: { n_layer: number; n_head: number; n_embd: number; n_positions: number } | null;
  params: number | null;
  /** The architecture family (config.json's model_type as normscope reads it), when known. */
  family?: string;
  /** float32 bytes a session needs at the default context (the memory check's estimate), when known. */
  memoryBytes?: number;
  /** Approximate download (registry models). */
  downloadBytes: number | null;
  /** What the model's files take on disk when present. */
  diskBytes: number | null;
  /** Bytes of an interrupted download that a pull resumes from. */
  partialBytes: number;
  /** The model resolveModel() uses when none is named. */
  isDefault: boolean;
  demo: boolean;
  note: string | null;
}

async function partialBytes(repo: CachedRepo): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(repo.dir, 'blobs'));
  } catch {
    return 0;
  }
  const sizes = await Promise.all(names.filter((n) => n.endsWith('.normscope-partial')).map((n) => fileSize(path.join(repo.dir, 'blobs', n))));
  return sizes.reduce<number>((a, b) => a + (b ?? 0), 0);
}

async function shapeOf(dir: string): Promise<{ shape: ModelListing['shape']; params: number | null; problem: string | null; family?: string; memoryBytes?: number }> {
  try {
    const c = modelSummary(await readConfig(dir));
    return {
      shape: { n_layer: c.n_layer, n_head: c.n_head, n_embd: c.n_embd, n_positions: c.n_positions }, params: c.params, problem: null,
      family: c.family, memoryBytes: c.float32_bytes,
    };
  } catch (e) {
    return { shape: null, params: null, problem: (e as Error).message };
  }
}

/** The best snapshot of the first of `repos` with any: a complete one, else the most recent. */
async function bestSnapshot(repos: readonly string[], cache: string): Promise<SnapshotState | null> {
  let fallback: SnapshotState | null = null;
  for (const r of repos) {
    const states = await snapshotStates(new CachedRepo(r, cache));
    const complete = states.find((s) => s.missing.length === 0);
    if (complete) return complete;
    fallback ??= states[0] ?? null;
  }
  return fallback;
}

async function folderListing(base: Omit<ModelListing, 'status' | 'shape' | 'params' | 'diskBytes' | 'note'>, dir: string): Promise<ModelListing> {
  if (!(await isDirectory(dir))) return { ...base, status: 'missing', shape: null, params: null, diskBytes: null, note: `${dir} is no longer there` };
  const missing = await missingModelFiles(dir);
  const { shape, params, problem, ...known } = await shapeOf(dir);
  const note = missing.length ? `lacks ${missing.join(', ')}` : problem;
  return { ...base, status: missing.length ? 'incomplete' : 'installed', shape, params, ...known, diskBytes: await folderBytes(dir), note };
}

/** Every GPT-2 the engine accepts in a Hugging Face cache folder (default: the one in use), each repository's best
 * snapshot — for listing, and for a "find an existing cache" step that imports what it finds elsewhere. */
export async function scanHubCache(cache: string = hfHubCache()): Promise<ModelListing[]> {
  const found: ModelListing[] = [];
  for (const id of await cachedRepoIds(cache)) {
    const snap = await bestSnapshot([id], cache);
    if (!snap || snap.missing.includes('config.json')) continue;
    const { shape, params, problem: _problem, ...known } = await shapeOf(snap.dir);
    // only models of the families the engine accepts belong here; a cache holds many other models
    if (!shape) continue;
    found.push({
      ...known,
      name: id, label: `${id} (Hugging Face cache)`, kind: 'cached', status: snap.missing.length ? 'incomplete' : 'installed',
      repo: id, dir: snap.dir, revision: snap.commit, shape, params, downloadBytes: null, diskBytes: await folderBytes(snap.dir),
      partialBytes: await partialBytes(new CachedRepo(id, cache)), isDefault: false, demo: false,
      note: snap.missing.length ? `lacks ${snap.missing.join(', ')}` : null,
    });
  }
  return found;
}

/** All models: the GPT-2 family (installed or available), other GPT-2s in the cache, imports, and the demo. */
export async function listModels(): Promise<ModelListing[]> {
  const cache = hfHubCache();
  const settings = await readModelSettings();
  const out: ModelListing[] = [];
  for (const e of GPT2_FAMILY) {
    const repos = [e.repo, ...e.legacyRepos];
    const snap = await bestSnapshot(repos, cache);
    const partial = (await Promise.all(repos.map((r) => partialBytes(new CachedRepo(r, cache))))).reduce((a, b) => a + b, 0);
    const installed = snap !== null && snap.missing.length === 0;
    out.push({
      name: e.name, label: `${e.name}: ${e.description}`, kind: 'registry',
      status: installed ? 'installed' : snap ? 'incomplete' : 'available',
      repo: snap?.repo ?? e.repo, dir: snap?.dir ?? null, revision: snap?.commit ?? null,
      shape: { n_layer: e.n_layer, n_head: e.n_head, n_embd: e.n_embd, n_positions: e.n_positions }, params: e.params, family: 'gpt2',
      downloadBytes: e.downloadBytes, diskBytes: snap ? await folderBytes(snap.dir) : null, partialBytes: partial,
      isDefault: false, demo: false,
      note: snap && !installed ? `the cache lacks ${snap.missing.join(', ')}: \`normscope models pull ${e.name}\` fetches it` : partial ? 'download interrupted: pull resumes it' : null,
    });
  }
  out.push(...(await scanHubCache(cache)).filter((m) => !findRegistryEntry(m.name)));
  for (const [name, m] of Object.entries(settings.imported)) {
    out.push(await folderListing({ name, label: `${name} (imported from ${m.dir})`, kind: 'imported', repo: null, dir: m.dir, revision: null, downloadBytes: null, partialBytes: 0, isDefault: false, demo: false }, m.dir));
  }
  const demo = await folderListing({ name: 'demo', label: DEMO_LABEL, kind: 'demo', repo: null, dir: demoModelDir(), revision: null, downloadBytes: null, partialBytes: 0, isDefault: false, demo: true }, demoModelDir());
  out.push(demo.status === 'installed' ? demo : { ...demo, note: `${demo.note ?? 'missing'}: \`npm run build\` generates it` });

  const chosen = await resolveModel().catch(() => null);
  if (chosen) {
    const match = out.find((m) => m.status === 'installed' && m.dir !== null && path.resolve(m.dir) === path.resolve(chosen.dir) && (chosen.name !== DEMO_NAME || m.demo));
    if (match) match.isDefault = true;
  }
  return out;
}
