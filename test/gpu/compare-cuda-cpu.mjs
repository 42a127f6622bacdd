#!/usr/bin/env node
// `node test/gpu/compare-cuda-cpu.mjs`: runs the tiny-a fixture (../shared/fixtures/tiny-a) through normscope on the
// CUDA execution provider and on the CPU, and compares every tap's log norms: CUDA against CPU, and both against the
// PyTorch reference. For Linux x64 machines with an NVIDIA GPU and onnxruntime-node's CUDA provider installed
// (`npm run gpu:install-cuda`, which needs CUDA 12 and cuDNN 9 on the machine). Not part of `npm test`.
// Exit 0: CUDA ran and agrees; 1: CUDA ran and disagrees, or failed to start; 2: this machine cannot run the check.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(root, '../shared');
// float32 on both providers; CUDA's matmuls may use TF32 on Ampere and later (10-bit mantissa), hence 1e-3, not 1e-4
const TOLERANCE = 1e-3;

function cannotRun(why) {
  console.error(`compare-cuda-cpu: cannot run here: ${why}`);
  process.exit(2);
}

const smi = spawnSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8' });
if (smi.error || smi.status !== 0) cannotRun('no NVIDIA GPU found (nvidia-smi is missing or failed); this check is for machines with one');
if (`${process.platform}-${process.arch}` !== 'linux-x64') cannotRun(`onnxruntime-node ships its CUDA provider for linux-x64 only, not ${process.platform}-${process.arch}`);
const ortBin = path.join(root, 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64');
if (!fs.existsSync(path.join(ortBin, 'libonnxruntime_providers_cuda.so'))) {
  cannotRun(`onnxruntime-node's CUDA provider is not installed (no libonnxruntime_providers_cuda.so in ${ortBin}): run \`npm run gpu:install-cuda\` once (downloads it from NuGet)`);
}
console.log(`GPU: ${smi.stdout.trim()}`);

/** tiny-a, generated once as the tests generate it, checked against the recipe's sha256. */
function tinyA() {
  const recipe = JSON.parse(fs.readFileSync(path.join(shared, 'fixtures/tiny-a/recipe.json'), 'utf8'));
  const dir = path.join(root, 'node_modules/.cache/normscope-test/tiny-a');
  if (!fs.existsSync(path.join(dir, 'config.json'))) {
    execFileSync(process.execPath, [path.join(shared, 'tools/make-gpt2-folder.mjs'), '--out', dir, ...recipe.args.split(' ')], { stdio: 'ignore' });
  }
  const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'model.safetensors'))).digest('hex');
  if (sha !== recipe.made.sha256) throw new Error(`tiny-a weights ${sha} differ from the recipe's ${recipe.made.sha256}`);
  return dir;
}

// loaded only now, so that a machine that cannot run the check hears why without any dependency installed
const { tsImport } = await import('tsx/esm/api');
const imp = (p) => tsImport(path.join(root, p), import.meta.url);
const { loadModel } = await imp('electron/core/model/index.ts');
const { computeTaps } = await imp('electron/core/analysis/index.ts');
const expected = JSON.parse(fs.readFileSync(path.join(shared, 'fixtures/tiny-a/expected.json'), 'utf8'));
const dir = tinyA();

/** site → per layer log norms, for each document, on one provider; with the forward time. */
async function run(provider) {
  const model = await loadModel(dir, { providers: [provider] });
  if (model.executionProvider !== provider) {
    await model.dispose();
    return { error: `${provider} did not start: ${model.providerNotes.join('; ') || `got ${model.executionProvider}`}` };
  }
  const docs = {};
  let tokens = 0;
  await computeTaps(model, 'warm up');
  const t = performance.now();
  for (const [name, doc] of Object.entries(expected.documents)) {
    docs[name] = await computeTaps(model, doc.text);
    tokens += docs[name].tokens.length;
  }
  const seconds = (performance.now() - t) / 1000;
  await model.dispose();
  return { docs, tokensPerS: tokens / seconds };
}

let cuda;
try {
  cuda = await run('cuda');
} catch (e) {
  cuda = { error: `cuda failed: ${e.message}` };
}
if (cuda.error) {
  console.error(`compare-cuda-cpu: ${cuda.error}`);
  process.exit(1);
}
const cpu = await run('cpu');

const maxAbs = (a, b) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
let worst = 0;
let worstTorch = 0;
for (const [name, doc] of Object.entries(expected.documents)) {
  for (const site of ['attn', 'mlp', 'block']) {
    cuda.docs[name].logNorms[site].forEach((layerNorms, layer) => {
      const cpuNorms = cpu.docs[name].logNorms[site][layer];
      const tap = site === 'block' ? `h.${layer}` : `h.${layer}.${site}`;
      const vsCpu = maxAbs(Array.from(layerNorms), Array.from(cpuNorms));
      const vsTorch = maxAbs(Array.from(layerNorms), doc.taps[tap].log_norms);
      worst = Math.max(worst, vsCpu);
      worstTorch = Math.max(worstTorch, vsTorch);
      console.log(`${name.padEnd(15)} ${tap.padEnd(9)} |cuda−cpu| ≤ ${vsCpu.toExponential(2)}  |cuda−torch| ≤ ${vsTorch.toExponential(2)}`);
    });
  }
}
console.log(`forward: cuda ${Math.round(cuda.tokensPerS)} tokens/s, cpu ${Math.round(cpu.tokensPerS)} tokens/s (tiny-a is too small to show the GPU's speed)`);
const pass = worst <= TOLERANCE && worstTorch <= TOLERANCE;
console.log(JSON.stringify({ max_abs_cuda_cpu: worst, max_abs_cuda_torch: worstTorch, tolerance: TOLERANCE, pass }));
process.exit(pass ? 0 : 1);
