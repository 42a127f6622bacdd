// Each models test runs in a world of its own: a temporary HOME, cache, settings folder and resources folder,
// and none of the Hugging Face variables of the machine it runs on.
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../analysis/fixtures.js';

const VARS = ['HOME', 'HF_HOME', 'HF_HUB_CACHE', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'HF_HUB_OFFLINE', 'HF_ENDPOINT', 'HF_TOKEN', 'HF_TOKEN_PATH', 'NORMSCOPE_HOME', 'NORMSCOPE_RESOURCES'] as const;

export interface TestWorld {
  root: string;
  home: string;
  /** ~/.cache/huggingface/hub of that HOME: where the cache is found when no variable names it. */
  hubCache: string;
  settingsDir: string;
  resources: string;
  restore(): void;
}

/** Points HOME, NORMSCOPE_HOME and NORMSCOPE_RESOURCES into a fresh temporary folder and clears the HF_* variables. */
export function testWorld(label: string, extra: Record<string, string> = {}): TestWorld {
  const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
  const root = tempDir(label);
  const home = path.join(root, 'home');
  const world = {
    root,
    home,
    hubCache: path.join(home, '.cache', 'huggingface', 'hub'),
    settingsDir: path.join(root, 'settings'),
    resources: path.join(root, 'resources'),
    restore() {
      for (const v of VARS) {
        if (saved[v] === undefined) delete process.env[v];
        else process.env[v] = saved[v];
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  fs.mkdirSync(home, { recursive: true });
  for (const v of VARS) delete process.env[v];
  Object.assign(process.env, { HOME: home, NORMSCOPE_HOME: world.settingsDir, NORMSCOPE_RESOURCES: world.resources }, extra);
  return world;
}
