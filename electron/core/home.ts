// normscope's own settings folder, read from the environment at call time, for the model library (models/) and the
// engine's callers (CLI, app), which hand it to the engine as LoadOptions.verdictsDir: the engine never reads it itself.
import os from 'node:os';
import path from 'node:path';

/** A variable of the environment, undefined when unset or empty. */
export function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** `~` and `~/…` → the user's home folder. */
export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** normscope's settings folder: `$NORMSCOPE_HOME`, else the platform's per-user config folder. */
export function normscopeHome(): string {
  const home = env('NORMSCOPE_HOME');
  if (home) return expandHome(home);
  if (process.platform === 'win32') return path.join(env('APPDATA') ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'normscope');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'normscope');
  const xdg = env('XDG_CONFIG_HOME');
  return path.join(xdg ? expandHome(xdg) : path.join(os.homedir(), '.config'), 'normscope');
}
