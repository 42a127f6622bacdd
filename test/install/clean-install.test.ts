// A new user's first two commands on a fresh clone: `npm ci` and `npx normscope --help`, with npm's cache allowed
// (--prefer-offline) but nothing else from this checkout. Neither may print an npm warning about the project's own
// config, except the one .npmrc key kept on purpose: onnxruntime-node-install=skip, the only switch npm 10 passes to
// onnxruntime-node's script (README, "Install scripts"); install scripts must all be decided by allowScripts.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../analysis/fixtures.js';

const KEPT_KEY = /^npm warn Unknown project config "onnxruntime-node-install"\..*$/gm;
const PROJECT_CONFIG_WARNING = /^npm warn (Unknown (project|user|builtin) config|install-scripts|config)\b/m;
/** npm's output less the kept key's warning (each other warning about the project's config still fails the test). */
const withoutKeptKey = (out: string): string => out.replace(KEPT_KEY, '');

let clone: string;
beforeAll(() => {
  clone = tempDir('clean-install');
  // what a clone holds: the tracked files (and new ones not ignored), no node_modules, no dist
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (!fs.existsSync(path.join(repoRoot, f))) continue;
    fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, f), path.join(clone, f));
  }
}, 120_000);
afterAll(() => fs.rmSync(clone, { recursive: true, force: true }));

describe('a fresh clone', () => {
  let ci: ReturnType<typeof spawnSync>;
  it('npm ci installs and builds offline with no warning from the project’s config but the kept .npmrc key', () => {
    ci = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: clone, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'warn' } });
    const out = `${ci.stdout}${ci.stderr}`;
    expect(ci.status, out.slice(-3000)).toBe(0);
    expect(withoutKeptKey(out)).not.toMatch(PROJECT_CONFIG_WARNING);
    // onnxruntime-node's install script (the CUDA download) stayed out
    const ortBin = path.join(clone, 'node_modules/onnxruntime-node/bin/napi-v6', process.platform, process.arch);
    expect(fs.existsSync(path.join(ortBin, 'libonnxruntime_providers_cuda.so'))).toBe(false);
    expect(fs.existsSync(path.join(clone, 'dist/electron/cli.js'))).toBe(true);
  }, 900_000);

  it('npx normscope --help lists the commands, with no warning from the project’s config', () => {
    const r = spawnSync('npx', ['normscope', '--help'], { cwd: clone, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage: normscope COMMAND/m);
    expect(withoutKeptKey(`${r.stdout}${r.stderr}`)).not.toMatch(PROJECT_CONFIG_WARNING);
  }, 300_000);
});
