#!/usr/bin/env node
// `node test/gpu/check.mjs [--skip-small]`: the GPU check for a machine with a real GPU. For WebGPU, and CUDA where its
// libraries are installed, on the tiny-a fixture and on a GPT-2-small-shaped model (generated here): normscope's own
// parity probe against the CPU (forced provider, fresh verdict cache), the largest |Δ log norm| against the CPU on a
// long input (and against Hugging Face's reference for tiny-a), and forward tokens/s against the CPU. Prints progress
// on stderr and one JSON line on stdout. Runs the compiled dist/ (no TypeScript tooling needed), so it works from a
// copy of the built project made by test/gpu/pack.sh, with a carried Node binary (see test/gpu/README.md).
// Exit 0: every GPU provider that started passed; 1: one failed parity or could not start; 2: no GPU provider to check.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = process.env.NORMSCOPE_SHARED ?? path.resolve(root, '../shared');
const skipSmall = process.argv.includes('--skip-small');
const log = (s) => process.stderr.write(`gpu-check: ${s}\n`);
const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
if (!fs.existsSync(path.join(root, 'dist/electron/core/model/index.js'))) {
  console.error('gpu-check: dist/ is missing: run `npm run build` first (or use a copy made by test/gpu/pack.sh)');
  process.exit(2);
}

// no verdictsDir: a fresh verdict cache in this process, so the probe runs here and its cost is reported
const { loadModel } = await imp('electron/core/model/index.js');
const { unavailable } = await imp('electron/core/model/providers.js');
const { ORT_VERSION } = await imp('electron/core/model/session.js');
const { allTaps } = await imp('electron/core/analysis/index.js');
const cache = path.join(root, 'node_modules/.cache/normscope-gpu-check');

/** A model folder from the shared generator, made once into the cache (checked against the recipe's sha256 when given). */
function generated(name, args, sha256) {
  const dir = path.join(cache, name);
  if (!fs.existsSync(path.join(dir, 'done'))) {
    log(`generating ${name} (${args})…`);
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync(process.execPath, [path.join(shared, 'tools/make-gpt2-folder.mjs'), '--out', dir, ...args.split(' ')], { stdio: ['ignore', 'ignore', 'inherit'] });
    fs.writeFileSync(path.join(dir, 'done'), '');
  }
  if (sha256) {
    const got = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'model.safetensors'))).digest('hex');
    if (got !== sha256) throw new Error(`${name} weights ${got} differ from the recipe's ${sha256}`);
  }
  return dir;
}

const recipe = JSON.parse(fs.readFileSync(path.join(shared, 'fixtures/tiny-a/recipe.json'), 'utf8'));
const expected = JSON.parse(fs.readFileSync(path.join(shared, 'fixtures/tiny-a/expected.json'), 'utf8'));
const models = [{ name: 'tiny-a', dir: generated('tiny-a', recipe.args, recipe.made.sha256), reference: expected }];
if (!skipSmall) models.push({ name: 'gpt2-small-shape', dir: generated('gpt2-small-shape', '--layers 12 --heads 12 --embd 768 --positions 1024 --seed 3') });

const maxAbs = (a, b) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
const ids = (T, V) => Array.from({ length: T }, (_, i) => (i * 7919 + 11) % V);

/** Forward tokens/s on one T-token input (one warm-up, then `runs`), and the log norms of that input. */
async function speed(model, T, runs) {
  const input = ids(T, model.config.vocab_size);
  const taps = allTaps(model.config.n_layer);
  const first = await model.forward(input, { norms: taps });
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) await model.forward(input, { norms: taps });
  const logNorms = new Map([...first.norms].map(([tap, v]) => [tap, Array.from(v, Math.log)]));
  return { tokensPerS: (T * runs) / ((performance.now() - t0) / 1000), logNorms };
}

const providers = ['cuda', 'webgpu'].filter((p) => {
  const why = unavailable(p);
  if (why) log(`skipping ${why}`);
  return !why;
});
const results = [];
for (const m of models) {
  const cpu = await loadModel(m.dir, { provider: 'cpu' });
  const T = Math.min(512, cpu.config.n_positions);
  const runs = m.name === 'tiny-a' ? 20 : 5;
  const cpuRun = await speed(cpu, T, runs);
  await cpu.dispose();
  for (const p of providers) {
    const row = { provider: p, model: m.name, tokens: T };
    const t0 = performance.now();
    try {
      const model = await loadModel(m.dir, { provider: p });
      row.load_ms = Math.round(performance.now() - t0);
      row.probe_ms = Math.round(model.providerProbe.ms);
      row.probe = model.providerReason;
      const run = await speed(model, T, runs);
      row.max_abs_vs_cpu = Math.max(...[...run.logNorms].map(([tap, v]) => maxAbs(v, cpuRun.logNorms.get(tap))));
      if (m.reference) {
        let worst = 0;
        for (const doc of Object.values(m.reference.documents)) {
          const r = await model.forward(doc.ids, { norms: Object.keys(doc.taps) });
          for (const [tap, ref] of Object.entries(doc.taps)) worst = Math.max(worst, maxAbs(Array.from(r.norms.get(tap), Math.log), ref.log_norms));
        }
        row.max_abs_vs_torch = worst;
      }
      row.tokens_per_s = Math.round(run.tokensPerS);
      row.cpu_tokens_per_s = Math.round(cpuRun.tokensPerS);
      row.speedup = +(run.tokensPerS / cpuRun.tokensPerS).toFixed(2);
      row.parity = row.max_abs_vs_cpu <= 1e-4 && (row.max_abs_vs_torch ?? 0) <= 1e-4 ? 'pass' : 'fail';
      await model.dispose();
    } catch (e) {
      row.parity = e?.code === 'PROVIDER_REFUSED' ? 'fail' : 'error';
      row.error = `${e?.code ?? 'ERROR'}: ${e?.message ?? e}`;
    }
    log(`${m.name} on ${p}: ${row.parity}${row.speedup ? `, ${row.tokens_per_s} tokens/s (${row.speedup}× the CPU)` : ''}${row.error ? ` — ${row.error}` : ''}`);
    results.push(row);
  }
}

let gpu = null;
try {
  gpu = execFileSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8' }).trim();
} catch {
  // no NVIDIA tools: WebGPU may still run (another vendor's GPU)
}
const pass = results.length > 0 && results.every((r) => r.parity === 'pass');
console.log(JSON.stringify({
  check: 'normscope-gpu', pass, node: process.version, onnxruntime: ORT_VERSION, platform: `${process.platform}-${process.arch}`,
  cpu: os.cpus()[0]?.model ?? null, cores: os.availableParallelism(), gpu, results,
}));
process.exit(results.length === 0 ? 2 : pass ? 0 : 1);
