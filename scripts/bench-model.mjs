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

/** The first `vocab` ids of GPT-2's tokenizer as a tokenizer.json: its vocabulary below `vocab` and the merges that make
 * them (a BPE with its first merges is still a BPE), so any real shape's embedding can take the licenses' ids. */
function gpt2TokenizerBelow(vocab) {
  const json = JSON.parse(fs.readFileSync(path.join(shared, 'fixtures/gpt2-tokenizer/tokenizer.json'), 'utf8'));
  if (vocab > 50256) return json;
  const kept = Object.fromEntries(Object.entries(json.model.vocab).filter(([, id]) => id < vocab));
  json.model.vocab = kept;
  json.model.merges = json.model.merges.filter((m) => (Array.isArray(m) ? m.join('') : m.replace(' ', '')) in kept);
  json.added_tokens = json.added_tokens.filter((t) => t.id < vocab);
  return json;
}

/** A model folder of a real shape (families/shapes.ts: config.json as published) with deterministic float32 weights and
 * GPT-2's tokenizer cut to its vocabulary, generated once into node_modules/.cache (call after ensureBuilt). */
export async function shapeModel(name) {
  if (name === 'gpt2') return benchModel();
  const { SHAPES } = await import(pathToFileURL(path.join(root, 'dist/electron/core/model/families/shapes.js')).href);
  const shape = SHAPES[name];
  if (!shape) throw new Error(`--shape must be one of ${Object.keys(SHAPES).join(', ')}, got ${name}`);
  const recipe = JSON.stringify({ config: shape.config, files: { dtype: 'F32' } });
  const dir = path.join(root, 'node_modules/.cache/normscope-bench', name);
  const marker = path.join(dir, 'normscope-bench.json');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === recipe) return dir;
  console.log(`generating the ${name}-shaped model (once)…`);
  const { writeFamilyFolder } = await import('./make-family-folder.mjs');
  fs.rmSync(dir, { recursive: true, force: true });
  writeFamilyFolder(JSON.parse(recipe), dir);
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(gpt2TokenizerBelow(shape.config.vocab_size)));
  fs.writeFileSync(marker, recipe);
  return dir;
}

/** FLOPs one token needs in a forward pass of this description over documents of these lengths: 2 per weight of every
 * layer's projections, and 4·heads·head_dim per key each query attends to (causal, within any sliding window). */
export function flopsPerToken(a, lengths) {
  const q = a.n_head * a.head_dim, kv = a.n_kv_head * a.head_dim;
  const weights = a.n_embd * (q + 2 * kv) + q * a.n_embd + (a.mlp.kind === 'gated' ? 3 : 2) * a.n_embd * a.n_inner;
  let keys = 0, tokens = 0;
  for (const T of lengths) {
    tokens += T;
    for (const w of a.attention.windows) for (let t = 0; t < T; t++) keys += w === null ? t + 1 : Math.min(t + 1, w);
  }
  return a.n_layer * 2 * weights + (4 * q * keys) / tokens;
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
