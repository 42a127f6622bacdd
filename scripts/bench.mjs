#!/usr/bin/env node
// `npm run bench [-- --docs N] [--repeat R] [--threads N] [--model DIR | --shape NAME] [--provider auto|cpu|webgpu|cuda|dml|coreml]`: normscope's model engine and analysis pipeline
// on a GPT-2-small-shaped model (or, with --shape, random weights of a real model's shapes: pythia-160m, smollm2-135m,
// qwen2.5-0.5b, gemma-3-270m, gpt2, … as in families/shapes.ts) over ../shared/corpus/licenses. Prints model load seconds, forward tokens/s, end-to-end
// tokens/s (tokenize + forward + log norms + the notebook's AR(2) fit of every layer, through the real analysis
// pipeline), peak RSS, and this CPU's onnxruntime MatMul throughput probed before and after every pass (the best round is the ceiling); the last line is one JSON
// object. It runs the compiled code in dist/ (as shipped), recompiling first when a source is newer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// the MatMul probe times onnxruntime itself, outside normscope's session wrapper, so the ceiling is the runtime's own
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { benchArgs, count, text } from './bench-args.mjs';
import { benchModel, cpuInfo, ensureBuilt, flopsPerToken, licenseTexts, shapeModel } from './bench-model.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Without --shape: the figure every earlier README run used for GPT-2 small. With --shape: counted for the shape (flopsPerToken). */
const GFLOP_PER_TOKEN = 0.2;

/** onnxruntime's MatMul [T×768]·[768×3072] as a probe to run between passes: each round is the best GFLOP/s of 25 runs at each
 * T = 256, 512, 1024. On a shared machine one round can land in a slow minute, so the ceiling is the best of all rounds. */
async function gemmProbe(threads) {
  const { onnx } = onnxProto;
  const K = 768, N = 3072;
  const w = new Float32Array(K * N);
  for (let i = 0; i < w.length; i++) w[i] = ((i * 2654435761) % 2000) / 1000 - 1;
  const dim = (d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  const model = onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 10, opsetImport: [{ domain: '', version: 20 }],
    graph: {
      name: 'matmul', node: [{ opType: 'MatMul', input: ['a', 'w'], output: ['y'] }],
      initializer: [{ name: 'w', dims: [K, N], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(w.buffer) }],
      input: [{ name: 'a', type: { tensorType: { elemType: 1, shape: { dim: ['T', K].map(dim) } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: ['T', N].map(dim) } } } }],
    },
  })).finish();
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: threads });
  const inputs = [256, 512, 1024].map((T) => new ort.Tensor('float32', new Float32Array(T * K).map((_, i) => ((i % 97) - 48) / 97), [T, K]));
  const rounds = [];
  return {
    rounds,
    async round() {
      let best = 0;
      for (const a of inputs) {
        const T = a.dims[0];
        for (let r = 0; r < 25; r++) {
          const t0 = performance.now();
          await session.run({ a });
          best = Math.max(best, (2 * T * K * N) / ((performance.now() - t0) / 1000) / 1e9);
        }
      }
      rounds.push(best);
      return best;
    },
    release: () => session.release(),
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Loads the model, timed. This machine class evicts page cache within minutes: the weights are read once first, so
 * the load times normscope and onnxruntime rather than the disk (the read is timed and printed on its own). */
async function loadTimed(loadModel, dir, threads, provider, verdictsDir) {
  let t0 = performance.now();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.safetensors'))) for await (const _ of fs.createReadStream(path.join(dir, f), { highWaterMark: 1 << 24 }));
  const weightsRead = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const model = await loadModel(dir, { threads, verdictsDir, ...(provider ? { provider } : {}) });
  const load = (performance.now() - t0) / 1000;
  console.log(`model: ${dir} (${model.config.n_layer} layers, ${model.config.n_embd} wide) on ${model.executionProvider}, ${threads} threads` +
    `${model.providerNotes.length ? ` [${model.providerNotes.join('; ')}]` : ''}, loaded in ${load.toFixed(3)} s` +
    (model.providerProbe.probed.length ? ` (provider probe ${(model.providerProbe.ms / 1000).toFixed(3)} s)` : '') +
    ` after reading the weights in ${weightsRead.toFixed(3)} s`);
  return { model, load, weightsRead };
}

async function main() {
  const opts = benchArgs(process.argv.slice(2), { docs: count(Infinity), repeat: count(1), threads: count(), model: text(), shape: text(), provider: text() },
    'bench [--docs N] [--repeat R] [--threads N] [--model DIR | --shape NAME] [--provider P]');
  // the model and the MatMul probe use the same threads: what normscope's session uses by default unless --threads says
  const threads = opts.threads ?? os.availableParallelism();
  ensureBuilt();
  const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
  const { loadModel } = await imp('electron/core/model/index.js');
  const { normscopeHome } = await imp('electron/core/home.js');
  const { computeTaps, fitLayers, allTaps } = await imp('electron/core/analysis/index.js');
  const { DEFAULT_SETTINGS } = await imp('shared/result.js');
  const { paramCount } = await imp('electron/core/model/arch.js');

  const dir = opts.model ? path.resolve(opts.model) : opts.shape ? await shapeModel(opts.shape) : benchModel();
  const texts = licenseTexts(opts.docs);

  const { model, load, weightsRead } = await loadTimed(loadModel, dir, threads, opts.provider, normscopeHome());

  const taps = allTaps(model.config.n_layer);
  const idsOf = texts.map((t) => model.tokenize(t).ids);
  const tokens = idsOf.reduce((a, ids) => a + ids.length, 0);
  const gflopPerToken = opts.shape ? flopsPerToken(model.config, idsOf.map((ids) => ids.length)) / 1e9 : GFLOP_PER_TOKEN;
  // the longest document through both paths first: onnxruntime grows its arena to size, V8 compiles the analysis code
  const longest = idsOf.reduce((a, ids, i) => (ids.length > idsOf[a].length ? i : a), 0);
  await model.forward(idsOf[longest], { norms: taps });
  fitLayers(await computeTaps(model, texts[longest]), DEFAULT_SETTINGS);

  const probe = await gemmProbe(threads);
  await probe.round();
  const forward = [], e2e = [];
  for (let r = 0; r < opts.repeat; r++) {
    let t = performance.now();
    for (const ids of idsOf) await model.forward(ids, { norms: taps });
    forward.push(tokens / ((performance.now() - t) / 1000));

    t = performance.now();
    for (const text of texts) fitLayers(await computeTaps(model, text), DEFAULT_SETTINGS);
    e2e.push(tokens / ((performance.now() - t) / 1000));
    console.log(`pass ${r + 1}/${opts.repeat}: ${texts.length} documents, ${tokens} tokens: forward ${forward.at(-1).toFixed(0)} tokens/s, ` +
      `end-to-end ${e2e.at(-1).toFixed(0)} tokens/s; MatMul probe after it ${(await probe.round()).toFixed(1)} GFLOP/s`);
  }
  await model.dispose();
  await probe.release();

  const gemm = Math.max(...probe.rounds);
  const cpu = await cpuInfo();
  console.log(`onnxruntime MatMul [T×768]·[768×3072], best over T = 256, 512, 1024 and ${probe.rounds.length} rounds ` +
    `(${probe.rounds.map((g) => g.toFixed(0)).join(', ')}): ${gemm.toFixed(1)} GFLOP/s on ${cpu.cpu}, ` +
    `MLAS ${cpu.matmul_isa} kernels (from the CPU flags; GroupQueryAttention's flash kernel ` +
    `${process.env.ORT_GQA_DISABLE_FLASH_ATTENTION === '1' ? 'off' : 'on'})`);

  const result = {
    provider: model.executionProvider,
    load_s: +load.toFixed(3),
    weights_read_s: +weightsRead.toFixed(3),
    forward_tokens_per_s: Math.round(median(forward)),
    e2e_tokens_per_s: Math.round(median(e2e)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    gemm_gflops: +gemm.toFixed(1),
    gemm_gflops_min_round: +Math.min(...probe.rounds).toFixed(1),
    ceiling_ratio: +((median(e2e) * gflopPerToken) / gemm).toFixed(3),
    ...(opts.shape ? { shape: opts.shape, family: model.config.family, gflop_per_token: +gflopPerToken.toFixed(4), float32_weights_mb: Math.round(4 * paramCount(model.config) / 2 ** 20) } : {}),
    cpu: cpu.cpu,
    matmul_isa: cpu.matmul_isa,
    threads,
  };
  console.log(`load ${result.load_s} s · forward ${result.forward_tokens_per_s} tokens/s · end-to-end ${result.e2e_tokens_per_s} tokens/s · ` +
    `peak RSS ${result.peak_rss_mb} MB · MatMul ${result.gemm_gflops} GFLOP/s · ceiling ratio ${result.ceiling_ratio}` +
    (opts.repeat > 1 ? ` (medians of ${opts.repeat} passes)` : ''));
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
