// Where models live and how the hub is reached: the environment variables huggingface_hub reads, read the same way,
// at call time (so the app, the CLI and the tests each see their own environment).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { env, expandHome, normscopeHome } from '../home.js';
import { projectRoot } from '../version.js';

export { normscopeHome };

const DEFAULT_ENDPOINT = 'https://huggingface.co';

/** huggingface_hub's truthy spellings of a boolean variable. */
function isTrue(v: string | undefined): boolean {
  return v !== undefined && ['1', 'ON', 'YES', 'TRUE'].includes(v.toUpperCase());
}

/** `$HF_HOME`, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`. */
export function hfHome(): string {
  const home = env('HF_HOME');
  if (home) return expandHome(home);
  const xdg = env('XDG_CACHE_HOME');
  return path.join(xdg ? expandHome(xdg) : path.join(os.homedir(), '.cache'), 'huggingface');
}

/** The hub cache: `$HF_HUB_CACHE`, else `<hfHome>/hub`. */
export function hfHubCache(): string {
  const cache = env('HF_HUB_CACHE');
  return cache ? expandHome(cache) : path.join(hfHome(), 'hub');
}

/** `HF_HUB_OFFLINE=1` forbids every network call, as in huggingface_hub. */
export function hfOffline(): boolean {
  return isTrue(env('HF_HUB_OFFLINE'));
}

/** The hub's base URL, without a trailing slash (`HF_ENDPOINT` overrides it, e.g. for a mirror). */
export function hfEndpoint(): string {
  return (env('HF_ENDPOINT') ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
}

/** `HF_TOKEN`, else the token `huggingface-cli login` saved (`$HF_TOKEN_PATH`, else `<hfHome>/token`); null when none. */
export function hfToken(): string | null {
  const t = env('HF_TOKEN');
  if (t) return t.trim();
  try {
    const saved = fs.readFileSync(expandHome(env('HF_TOKEN_PATH') ?? path.join(hfHome(), 'token')), 'utf8').trim();
    return saved || null;
  } catch {
    return null;
  }
}

/** Bundled resources: `$NORMSCOPE_RESOURCES`, else `<project>/resources`. */
export function resourcesDir(): string {
  const r = env('NORMSCOPE_RESOURCES');
  return r ? expandHome(r) : path.join(projectRoot(), 'resources');
}

/** The demo model (random weights, GPT-2 tokenizer), generated at build time. */
export function demoModelDir(): string {
  return path.join(resourcesDir(), 'demo-model');
}
