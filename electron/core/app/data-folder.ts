// The app's data folder: preferences, the recent-files list and every result the user waited for.
// Files are written whole to a temporary name, flushed, then renamed, so a crash never leaves half a file.
import fs from 'node:fs/promises';
import path from 'node:path';
import { THEME_NAMES } from '../../../shared/figures/types.js';
import { PNG_RESOLUTIONS, type Prefs } from '../../../shared/ipc.js';
import { PROVIDER_CHOICES } from '../../../shared/providers.js';
import type { AnalysisDocument } from '../../../shared/result.js';
import { writeFileAtomic } from '../fs/atomic.js';

export const DEFAULT_PREFS: Prefs = { theme: 'system', exportTheme: 'light', pngResolution: '2x', provider: 'auto' };
const RECENT_MAX = 12;

export interface RecentEntry {
  path: string;
  openedAt: string;
}

export interface AppStore {
  readonly resultsDir: string;
  readPrefs(): Promise<Prefs>;
  writePrefs(prefs: Prefs): Promise<void>;
  readRecent(): Promise<RecentEntry[]>;
  /** Moves `filePath` to the top of the recent list; returns the new list. */
  touchRecent(filePath: string): Promise<RecentEntry[]>;
  /** Writes one analysis document under results/ and returns its path. */
  saveResult(name: string, sha256: string, doc: AnalysisDocument): Promise<string>;
}

export function createAppStore(dataDir: string): AppStore {
  const prefsFile = path.join(dataDir, 'prefs.json');
  const recentFile = path.join(dataDir, 'recent.json');
  const resultsDir = path.join(dataDir, 'results');
  return {
    resultsDir,
    async readPrefs() {
      const raw = await readJson(prefsFile);
      return sanitizePrefs(raw);
    },
    async writePrefs(prefs) {
      await writeFileAtomic(prefsFile, JSON.stringify(prefs, null, 2));
    },
    async readRecent() {
      const raw = await readJson(recentFile);
      if (!Array.isArray(raw)) return [];
      return raw.filter(
        (e): e is RecentEntry => typeof e?.path === 'string' && path.isAbsolute(e.path) && typeof e?.openedAt === 'string',
      );
    },
    async touchRecent(filePath) {
      const now = new Date().toISOString();
      const list = [{ path: filePath, openedAt: now }, ...(await this.readRecent()).filter((e) => e.path !== filePath)].slice(0, RECENT_MAX);
      await writeFileAtomic(recentFile, JSON.stringify(list, null, 2));
      return list;
    },
    async saveResult(name, sha256, doc) {
      const stamp = doc.provenance.created.replace(/[-:]/g, '').replace(/\..*$/, '');
      const stem = name.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_').slice(0, 60) || 'document';
      const file = path.join(resultsDir, `${stamp}-${stem}-${sha256.slice(0, 8)}-${doc.settings.component}.json`);
      await writeFileAtomic(file, JSON.stringify(doc));
      return file;
    },
  };
}

/** Unknown or damaged preference files fall back to the defaults key by key. */
export function sanitizePrefs(raw: unknown): Prefs {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    theme: r.theme === 'light' || r.theme === 'dark' || r.theme === 'system' ? r.theme : DEFAULT_PREFS.theme,
    // an older file's 'current' (the theme on screen) is no style: it falls back too
    exportTheme: (THEME_NAMES as readonly unknown[]).includes(r.exportTheme) ? (r.exportTheme as Prefs['exportTheme']) : DEFAULT_PREFS.exportTheme,
    pngResolution: (PNG_RESOLUTIONS as readonly unknown[]).includes(r.pngResolution)
      ? (r.pngResolution as Prefs['pngResolution'])
      : DEFAULT_PREFS.pngResolution,
    provider: (PROVIDER_CHOICES as readonly unknown[]).includes(r.provider) ? (r.provider as Prefs['provider']) : DEFAULT_PREFS.provider,
  };
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return null;
  }
}
