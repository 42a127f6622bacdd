// The models' own settings (default model, imported folders) in <normscopeHome>/models.json, written atomically.
import fs from 'node:fs/promises';
import path from 'node:path';
import { NormscopeError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { normscopeHome } from './locations.js';

export interface ImportedModel {
  /** The folder, read in place (imports are registered, not copied). */
  dir: string;
  /** ISO-8601 time of the import. */
  added: string;
}

export interface ModelSettings {
  /** A name or folder resolveModel accepts; null: the best GPT-2 found, else the demo. */
  defaultModel: string | null;
  imported: Record<string, ImportedModel>;
}

export function modelSettingsPath(): string {
  return path.join(normscopeHome(), 'models.json');
}

/** The settings; defaults when the file does not exist yet. A damaged file is reported, never overwritten. */
export async function readModelSettings(): Promise<ModelSettings> {
  const file = modelSettingsPath();
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { defaultModel: null, imported: {} };
    throw e;
  }
  try {
    const raw = JSON.parse(text) as Partial<ModelSettings>;
    const imported: Record<string, ImportedModel> = {};
    for (const [name, m] of Object.entries(raw.imported ?? {})) {
      if (m && typeof m.dir === 'string') imported[name] = { dir: m.dir, added: typeof m.added === 'string' ? m.added : '' };
    }
    return { defaultModel: typeof raw.defaultModel === 'string' ? raw.defaultModel : null, imported };
  } catch (e) {
    throw new NormscopeError('BAD_INPUT', `${file} is damaged (${(e as Error).message}): fix or delete it`, { path: file });
  }
}

/** Reads, changes and writes the settings back in one atomic replace. */
export async function updateModelSettings(change: (s: ModelSettings) => void): Promise<ModelSettings> {
  const s = await readModelSettings();
  change(s);
  await writeFileAtomic(modelSettingsPath(), JSON.stringify({ version: 1, ...s }, null, 2) + '\n');
  return s;
}
