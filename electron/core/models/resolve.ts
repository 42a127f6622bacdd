// Which folder a model name means: a path, an imported name, a GPT-2 family name (read from the Hugging Face cache
// in place), a cached `ORG/NAME`, or the demo. Offline: nothing here touches the network or loads weights.
import os from 'node:os';
import path from 'node:path';
import { NormscopeError } from '../errors.js';
import { isDirectory, missingModelFiles } from './folder.js';
import { findCachedSnapshot, type CachedSnapshot } from './hf-cache.js';
import { demoModelDir, hfHubCache } from './locations.js';
import { findRegistryEntry, GPT2_FAMILY, isRepoId, REGISTRY, type RegistryEntry } from './registry.js';
import { readModelSettings } from './settings.js';

export type ModelSource = 'hf-cache' | 'imported' | 'folder' | 'demo';

export interface ResolvedModel {
  dir: string;
  /** What to show and record: the family name (`gpt2`), the hub id, the import name, the folder's name, or DEMO_NAME. */
  name: string;
  /** One of ModelSource. */
  source: string;
  /** The hub commit the files come from, when known (cache snapshots); else null. */
  revision: string | null;
  /** Random weights: figures from it say nothing about GPT-2, and every view says so. */
  demo: boolean;
  /** One line for people: name, where it comes from, and for the demo that its weights are random. */
  label: string;
}

export const DEMO_NAME = 'demo (random weights)';
export const DEMO_LABEL = 'demo model: random weights with GPT-2\'s tokenizer, not a trained GPT-2';

const SNAPSHOT_PATH = /[\\/]models--([^\\/]+)[\\/]snapshots[\\/]([0-9a-f]{40})[\\/]?$/;

/** True for names that always mean the demo model. */
export function isDemoName(s: string): boolean {
  const n = s.trim().toLowerCase();
  return n === 'demo' || n === DEMO_NAME;
}

function fromSnapshot(snap: CachedSnapshot, name: string): ResolvedModel {
  return { dir: snap.dir, name, source: 'hf-cache', revision: snap.commit, demo: false, label: `${name} (Hugging Face cache: ${snap.repo} @ ${snap.commit.slice(0, 7)})` };
}

async function demoModel(): Promise<ResolvedModel> {
  const dir = demoModelDir();
  const missing = await missingModelFiles(dir);
  if (missing.length) {
    throw new NormscopeError('MODEL_NOT_FOUND', `the demo model is missing from ${dir} (no ${missing.join(', ')}): \`npm run build\` generates it`, { dir });
  }
  return { dir, name: DEMO_NAME, source: 'demo', revision: null, demo: true, label: DEMO_LABEL };
}

async function folderModel(dir: string, source: 'folder' | 'imported', name?: string): Promise<ResolvedModel> {
  if (!(await isDirectory(dir))) {
    throw new NormscopeError('MODEL_NOT_FOUND', source === 'imported' ? `the imported model ${name} was in ${dir}, which is no longer there: import it again or remove it` : `no model folder at ${dir}`, { dir });
  }
  const snap = SNAPSHOT_PATH.exec(dir);
  const shown = name ?? (snap ? snap[1].split('--').join('/') : path.basename(dir));
  const label = source === 'imported' ? `${shown} (imported from ${dir})` : `${shown} (folder ${dir})`;
  return { dir, name: shown, source, revision: snap ? snap[2] : null, demo: false, label };
}

async function registryModel(entry: RegistryEntry): Promise<ResolvedModel> {
  const snap = await findCachedSnapshot([entry.repo, ...entry.legacyRepos]);
  if (!snap) {
    throw new NormscopeError(
      'MODEL_NOT_FOUND',
      `${entry.name} is not in the Hugging Face cache (${hfHubCache()}): download it with \`normscope models pull ${entry.name}\`, or import a folder`,
      { name: entry.name, cache: hfHubCache() },
    );
  }
  return fromSnapshot(snap, entry.name);
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') || p.startsWith('~\\') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** The model a spec names. Order: an explicit path (absolute, ./, ../, ~), `demo`, an imported name, a GPT-2 family
 * name, a relative folder that exists, a cached `ORG/NAME`. */
export async function resolveSpec(spec: string): Promise<ResolvedModel> {
  const s = spec.trim();
  if (path.isAbsolute(s) || /^(\.{1,2}|~)([\\/]|$)/.test(s)) return folderModel(path.resolve(expandHome(s)), 'folder');
  if (isDemoName(s)) return demoModel();
  const imported = (await readModelSettings()).imported[s];
  if (imported) return folderModel(imported.dir, 'imported', s);
  const entry = findRegistryEntry(s);
  if (entry) return registryModel(entry);
  if (await isDirectory(s)) return folderModel(path.resolve(s), 'folder');
  if (isRepoId(s)) {
    const snap = await findCachedSnapshot([s]);
    if (snap) return fromSnapshot(snap, s);
    throw new NormscopeError('MODEL_NOT_FOUND', `${s} is not in the Hugging Face cache (${hfHubCache()}): \`normscope models pull ${s}\` downloads it`, { name: s });
  }
  throw new NormscopeError(
    'MODEL_NOT_FOUND',
    `no model named ${JSON.stringify(s)}: use a folder, an imported name, ${GPT2_FAMILY.map((e) => e.name).join(', ')}, a cached ORG/NAME, or demo (\`normscope models list\` shows them)`,
    { name: s },
  );
}

/** The model `spec` names; without one: the default-model setting, else a registry model from the Hugging Face cache
 * (GPT-2 small first, then the other GPT-2 sizes, then the suggested models of the other families), else the demo. */
export async function resolveModel(spec?: string): Promise<ResolvedModel> {
  if (spec !== undefined && spec.trim() !== '') return resolveSpec(spec);
  const { defaultModel } = await readModelSettings();
  if (defaultModel) {
    try {
      return await resolveSpec(defaultModel);
    } catch (e) {
      if (!(e instanceof NormscopeError)) throw e;
      throw new NormscopeError('MODEL_NOT_FOUND', `the default model ${defaultModel} is not available: ${e.message} (or choose another: \`normscope models default NAME\`)`, { name: defaultModel });
    }
  }
  for (const entry of REGISTRY) {
    const snap = await findCachedSnapshot([entry.repo, ...entry.legacyRepos]);
    if (snap) return fromSnapshot(snap, entry.name);
  }
  return demoModel();
}
