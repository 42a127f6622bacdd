// Test fixtures shared by the analysis and CLI tests: generated model folders (cached under
// node_modules/.cache/normscope-test/), the tiny-a reference, and a way to run the built CLI.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
const cacheDir = path.join(repoRoot, 'node_modules', '.cache', 'normscope-test');

export interface TinyA {
  model: Record<string, unknown>;
  documents: Record<string, { text: string; ids: number[]; taps: Record<string, { log_norms: number[]; ar2: Record<string, unknown> }> }>;
}

export function tinyAExpected(): TinyA {
  return JSON.parse(fs.readFileSync(path.join(sharedDir, 'fixtures/tiny-a/expected.json'), 'utf8')) as TinyA;
}

/** A model folder from ../shared/tools/make-gpt2-folder.mjs, generated once and reused (written aside, then renamed). */
export function generatedModel(name: string, args: string): string {
  const dir = path.join(cacheDir, name);
  if (fs.existsSync(path.join(dir, 'config.json'))) return dir;
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(cacheDir, `${name}.tmp-`));
  const r = spawnSync(process.execPath, [path.join(sharedDir, 'tools/make-gpt2-folder.mjs'), '--out', tmp, ...args.split(' ')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make-gpt2-folder failed: ${r.stderr}`);
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another test file made it first
  }
  return dir;
}

/** The tiny-a fixture model, checked against the recipe's sha256. */
export function tinyAModel(): string {
  const recipe = JSON.parse(fs.readFileSync(path.join(sharedDir, 'fixtures/tiny-a/recipe.json'), 'utf8')) as { args: string; made: { sha256: string } };
  const dir = generatedModel('tiny-a', recipe.args);
  const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'model.safetensors'))).digest('hex');
  if (sha !== recipe.made.sha256) throw new Error(`tiny-a weights ${sha} differ from the recipe's ${recipe.made.sha256}`);
  return dir;
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `normscope-${label}-`));
}

/** Runs the built CLI (`node bin/normscope.js …`); `npm run build` must have run. */
export function normscope(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  if (!fs.existsSync(path.join(repoRoot, 'dist/electron/cli.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  return spawnSync(process.execPath, [path.join(repoRoot, 'bin/normscope.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

/** |a − b| ≤ tol·max(|b|, floor) elementwise; returns the worst offender for a readable failure. */
export function worstRelative(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-8): { index: number; rel: number } {
  let worst = { index: -1, rel: 0 };
  if (a.length !== b.length) return { index: -2, rel: Infinity };
  for (let i = 0; i < b.length; i++) {
    const rel = Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor);
    if (!(rel <= worst.rel)) worst = { index: i, rel };
  }
  return worst;
}

export function worstAbsolute(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}
