// What the bench scripts run: the GPT-2-small-shaped model (GPT-2 small's shapes and cost with deterministic weights,
// generated once into node_modules/.cache and reused while its recipe is unchanged), the licenses texts, fresh dist/ code.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared');

/** The model folder, generated on the first call. */
export function benchModel() {
  const args = ['--layers', '12', '--heads', '12', '--embd', '768', '--positions', '1024', '--seed', '1'];
  const dir = path.join(root, 'node_modules/.cache/normscope-bench/gpt2-small-shape');
  const marker = path.join(dir, 'normscope-bench.json');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === JSON.stringify(args)) return dir;
  console.log('generating the GPT-2-small-shaped model (once)…');
  execFileSync(process.execPath, [path.join(shared, 'tools/make-gpt2-folder.mjs'), '--out', dir, ...args], { stdio: 'ignore' });
  fs.writeFileSync(marker, JSON.stringify(args));
  return dir;
}

/** The first `limit` documents of ../shared/corpus/licenses in name order, as text: what bench and bench:profile run. */
export function licenseTexts(limit = Infinity) {
  const corpus = path.join(shared, 'corpus/licenses');
  return fs.readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort().slice(0, limit).map((f) => fs.readFileSync(path.join(corpus, f), 'utf8'));
}

/** Compiles with tsc when dist/ is missing or older than any core or shared source, so a bench never times stale code. */
export function ensureBuilt() {
  const sources = ['electron/core', 'shared']
    .flatMap((d) => fs.readdirSync(path.join(root, d), { recursive: true }).map((f) => path.join(d, String(f))))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  const stale = sources.some((f) => {
    const js = path.join(root, 'dist', f.replace(/\.ts$/, '.js'));
    return !fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(path.join(root, f)).mtimeMs;
  });
  if (!stale) return;
  console.log('dist/ is older than the sources: compiling with tsc…');
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: 'ignore' });
  } catch {
    console.log('tsc reported type errors (files are still emitted); running what it wrote');
  }
}

/** The CPU's model name and the ISA onnxruntime's MatMul uses (electron/core/model/cpu-isa.ts; call after ensureBuilt). */
export async function cpuInfo() {
  const { matmulIsa } = await import(pathToFileURL(path.join(root, 'dist/electron/core/model/cpu-isa.js')).href);
  return { cpu: os.cpus()[0]?.model?.trim() ?? 'unknown', matmul_isa: matmulIsa() };
}
