// The user's model library: import a folder (registered in place), remove a model, choose the default.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NormscopeError } from '../errors.js';
import { checkModelFolder, type ArchitectureDescription } from '../model/index.js';
import { isDirectory } from './folder.js';
import { CachedRepo, repoFolderName } from './hf-cache.js';
import { listModels } from './list.js';
import { hfHubCache } from './locations.js';
import { findRegistryEntry, isRepoId } from './registry.js';
import { isDemoName, resolveSpec } from './resolve.js';
import { readModelSettings, updateModelSettings } from './settings.js';

export interface ImportResult {
  name: string;
  dir: string;
  config: ArchitectureDescription;
  /** Size of model.safetensors. */
  bytes: number;
}

export interface RemoveResult {
  name: string;
  /** import: only the registration went (the folder is untouched); cache: the repository left the Hugging Face cache. */
  removed: 'import' | 'cache';
  paths: string[];
  freedBytes: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** Registers a local GPT-2 folder under `name` (default: the folder's name) after the engine's checks. The folder is
 * read in place, not copied: GPT-2 weights run to gigabytes, and an air-gapped copy should not become two. */
export async function importModel(dir: string, opts: { name?: string } = {}): Promise<ImportResult> {
  const abs = path.resolve(expandHome(dir));
  if (!(await isDirectory(abs))) throw new NormscopeError('MODEL_NOT_FOUND', `no folder at ${abs}`, { path: abs });
  const name = opts.name ?? path.basename(abs);
  if (!NAME.test(name)) {
    throw new NormscopeError('BAD_INPUT', `${JSON.stringify(name)} cannot name a model: use letters, digits, '.', '_' and '-' (up to 64), e.g. --name my-gpt2`, { name });
  }
  if (findRegistryEntry(name) || isDemoName(name)) {
    throw new NormscopeError('BAD_INPUT', `${name} is a built-in model name: choose another with --name`, { name });
  }
  const existing = (await readModelSettings()).imported[name];
  if (existing && path.resolve(existing.dir) !== abs) {
    throw new NormscopeError('BAD_INPUT', `${name} is already imported from ${existing.dir}: remove it first or choose another --name`, { name });
  }
  const check = await checkModelFolder(abs);
  await updateModelSettings((s) => {
    s.imported[name] = { dir: abs, added: new Date().toISOString() };
  });
  return { name, dir: abs, config: check.config, bytes: check.bytes };
}

async function treeBytes(p: string): Promise<number> {
  let st;
  try {
    st = await fs.lstat(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.isFile() ? st.size : 0;
  const names = await fs.readdir(p);
  const sizes = await Promise.all(names.map((n) => treeBytes(path.join(p, n))));
  return sizes.reduce((a, b) => a + b, 0);
}

/** Forgets an imported model (its folder stays), or deletes a downloaded one from the Hugging Face cache — which
 * Python shares: it is gone for both. The demo model cannot be removed. */
export async function removeModel(name: string): Promise<RemoveResult> {
  if (isDemoName(name)) throw new NormscopeError('BAD_INPUT', 'the demo model ships with normscope and cannot be removed');
  const settings = await readModelSettings();
  const imported = settings.imported[name];
  if (imported) {
    await updateModelSettings((s) => {
      delete s.imported[name];
      if (s.defaultModel === name) s.defaultModel = null;
    });
    return { name, removed: 'import', paths: [imported.dir], freedBytes: 0 };
  }
  const entry = findRegistryEntry(name);
  const repos = entry ? [entry.repo, ...entry.legacyRepos] : isRepoId(name) ? [name] : [];
  const cache = hfHubCache();
  const dirs = (await Promise.all(repos.map(async (r) => ((await isDirectory(new CachedRepo(r, cache).dir)) ? r : null)))).filter((r): r is string => r !== null);
  if (!dirs.length) throw new NormscopeError('MODEL_NOT_FOUND', `${name} is neither imported nor in the Hugging Face cache (${cache})`, { name });
  let freedBytes = 0;
  const paths: string[] = [];
  for (const r of dirs) {
    const dir = new CachedRepo(r, cache).dir;
    freedBytes += await treeBytes(path.join(dir, 'blobs'));
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(path.join(cache, '.locks', repoFolderName(r)), { recursive: true, force: true });
    paths.push(dir);
  }
  const shown = entry?.name ?? name;
  await updateModelSettings((s) => {
    if (s.defaultModel && (s.defaultModel === name || findRegistryEntry(s.defaultModel)?.name === shown)) s.defaultModel = null;
  });
  return { name: shown, removed: 'cache', paths, freedBytes };
}

/** Sets the model used when none is named (it must resolve now); null clears the setting. Resolves to what is stored. */
export async function setDefaultModel(spec: string | null): Promise<string | null> {
  let stored: string | null = null;
  if (spec !== null) {
    const resolved = await resolveSpec(spec);
    const entry = findRegistryEntry(spec);
    stored = entry ? entry.name : resolved.source === 'folder' ? resolved.dir : resolved.demo ? 'demo' : spec.trim();
  }
  await updateModelSettings((s) => {
    s.defaultModel = stored;
  });
  return stored;
}

/** The app's choice of default: only a name the model list shows as installed, stored as that name, never a folder
 * (a renderer's request must not make the app resolve a path relative to its working folder). */
export async function setDefaultInstalledModel(name: string): Promise<string> {
  const listed = (await listModels()).find((m) => m.name === name && m.status === 'installed');
  if (!listed) throw new NormscopeError('MODEL_NOT_FOUND', `${JSON.stringify(name)} is not an installed model: choose one the model list shows as installed`, { name });
  const stored = listed.demo ? 'demo' : listed.name;
  await updateModelSettings((s) => {
    s.defaultModel = stored;
  });
  return stored;
}

export async function getDefaultModel(): Promise<string | null> {
  return (await readModelSettings()).defaultModel;
}
