// Every model normscope can name, with where it is, its status and its sizes: what `models list` prints and the
// model manager shows. Reads the disk only.
import fs from 'node:fs/promises';
import path from 'node:path';
import { checkModelFolder, modelSummary, readConfig, type ArchitectureDescription } from '../model/index.js';
import { fileSize, folderBytes, isDirectory, missingModelFiles } from './folder.js';
import { CachedRepo, cachedRepoIds, snapshotStates, type SnapshotState } from './hf-cache.js';
import { demoModelDir, hfHubCache } from './locations.js';
import { findRegistryEntry, REGISTRY } from './registry.js';
import { DEMO_LABEL, DEMO_NAME, resolveModel } from './resolve.js';
import { readModelSettings } from './settings.js';
import type { ModelFacts } from '../../../shared/ipc.js';

/** One model as `models list` prints it (the model manager shows it as shared/ipc.ts ModelEntry): the shared facts,
 * with the hub id and the folder as they are. */
export interface ModelListing extends ModelFacts {
  repo: string | null;
  dir: string | null;
  /** The dtype most of the weights are stored in (installed models). */
  dtype: 'F32' | 'F16' | 'BF16' | null;
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

type Described = Pick<ModelListing, 'family' | 'shape' | 'params' | 'dtype' | 'memoryBytes'> & { problem: string | null };

const shapeOf = (a: ArchitectureDescription) => ({ n_layer: a.n_layer, n_head: a.n_head, n_embd: a.n_embd, n_positions: a.n_positions });

/** A folder's family, shape, parameters, dtype and memory need, from its config and checkpoint headers (no weights read). */
async function describeFolder(dir: string): Promise<Described> {
  let a: ArchitectureDescription;
  try {
    a = await readConfig(dir);
  } catch (e) {
    return { family: null, shape: null, params: null, dtype: null, memoryBytes: null, problem: (e as Error).message };
  }
  const summary = modelSummary(a);
  const described: Described = { family: a.family, shape: shapeOf(a), params: summary.params, dtype: null, memoryBytes: summary.float32_bytes, problem: null };
  try {
    described.dtype = (await checkModelFolder(dir)).dtype;
  } catch (e) {
    described.problem = (e as Error).message;
  }
  return described;
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

type ListingBase = Omit<ModelListing, 'status' | 'family' | 'shape' | 'params' | 'dtype' | 'memoryBytes' | 'diskBytes' | 'note' | 'gated'>;

async function folderListing(base: ListingBase, dir: string): Promise<ModelListing> {
  if (!(await isDirectory(dir))) {
    return { ...base, status: 'missing', family: null, shape: null, params: null, dtype: null, memoryBytes: null, gated: false, diskBytes: null, note: `${dir} is no longer there` };
  }
  const missing = await missingModelFiles(dir);
  const { problem, ...described } = await describeFolder(dir);
  const note = missing.length ? `lacks ${missing.join(', ')}` : problem;
  return { ...base, ...described, gated: false, status: missing.length ? 'incomplete' : 'installed', diskBytes: await folderBytes(dir), note };
}

/** Every model the engine accepts (any supported family) in a Hugging Face cache folder (default: the one in use), each
 * repository's best snapshot — for listing, and for a "find an existing cache" step that imports what it finds elsewhere. */
export async function scanHubCache(cache: string = hfHubCache()): Promise<ModelListing[]> {
  const found: ModelListing[] = [];
  for (const id of await cachedRepoIds(cache)) {
    const snap = await bestSnapshot([id], cache);
    if (!snap || snap.missing.includes('config.json')) continue;
    const { problem: _problem, ...described } = await describeFolder(snap.dir);
    // only models whose config the engine accepts belong here; a cache holds many other models
    if (!described.family) continue;
    found.push({
      name: id, label: `${id} (Hugging Face cache)`, kind: 'cached', status: snap.missing.length ? 'incomplete' : 'installed',
      repo: id, dir: snap.dir, revision: snap.commit, ...described, gated: false, downloadBytes: null, diskBytes: await folderBytes(snap.dir),
      partialBytes: await partialBytes(new CachedRepo(id, cache)), isDefault: false, demo: false,
      note: snap.missing.length ? `lacks ${snap.missing.join(', ')}` : null,
    });
  }
  return found;
}

/** All models: the registry (the GPT-2 family and the suggested models, installed or available), other supported
 * models in the cache, imports, and the demo. */
export async function listModels(): Promise<ModelListing[]> {
  const cache = hfHubCache();
  const settings = await readModelSettings();
  const out: ModelListing[] = [];
  for (const e of REGISTRY) {
    const repos = [e.repo, ...e.legacyRepos];
    const snap = await bestSnapshot(repos, cache);
    const partial = (await Promise.all(repos.map((r) => partialBytes(new CachedRepo(r, cache))))).reduce((a, b) => a + b, 0);
    const installed = snap !== null && snap.missing.length === 0;
    // an installed model is described by its own files; one still to pull by the registry
    const { problem: _problem, ...own } = installed ? await describeFolder(snap.dir) : { problem: null };
    out.push({
      name: e.name, label: `${e.name}: ${e.description}`, kind: 'registry',
      status: installed ? 'installed' : snap ? 'incomplete' : 'available',
      repo: snap?.repo ?? e.repo, dir: snap?.dir ?? null, revision: snap?.commit ?? null,
      family: e.family, shape: { n_layer: e.n_layer, n_head: e.n_head, n_embd: e.n_embd, n_positions: e.n_positions }, params: e.params,
      dtype: null, memoryBytes: e.memoryBytes, gated: e.gated, ...own,
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
