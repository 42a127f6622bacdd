#!/usr/bin/env node
// `node scripts/bench-large.mjs [--keep DIR]`: proof that models over protobuf's 2 GB limit load. Generates a
// gpt2-large-shaped model (36 layers, 20 heads, 1280 wide, 1024 positions: 3.1 GB of float32 weights) with
// ../shared/tools/make-gpt2-folder.mjs into a temporary folder, loads it, analyzes a 200-token text (taps + the
// notebook's AR(2) fit of every layer), prints load time, analysis time and peak RSS, and deletes the folder
// (unless --keep DIR names where to keep it). Needs ~3.3 GB of disk and ~4 GB of memory. The last line is JSON.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared');
const SHAPE = ['--layers', '36', '--heads', '20', '--embd', '1280', '--positions', '1024', '--seed', '1'];
const TOKENS = 200;

const keepAt = process.argv.indexOf('--keep') >= 0 ? process.argv[process.argv.indexOf('--keep') + 1] : undefined;
const imp = (p) => tsImport(path.join(root, p), import.meta.url);

/** The first `TOKENS` tokens of the licenses corpus, as text (token pieces joined back). */
function benchText(model) {
  const docs = fs.readdirSync(path.join(shared, 'corpus/licenses')).sort();
  let text = '';
  for (const d of docs) {
    text += fs.readFileSync(path.join(shared, 'corpus/licenses', d), 'utf8') + '\n';
    if (model.tokenize(text).ids.length > TOKENS + 20) break;
  }
  return model.tokenize(text).texts.slice(0, TOKENS).join('');
}

/** The generated folder holds every file, and model.safetensors ends exactly where its header says its data ends. */
function checkComplete(folder) {
  for (const f of ['config.json', 'tokenizer.json', 'model.safetensors']) {
    if (!fs.existsSync(path.join(folder, f))) throw new Error(`the generator left no ${f} in ${folder}`);
  }
  const file = path.join(folder, 'model.safetensors');
  const fd = fs.openSync(file, 'r');
  try {
    const len = Buffer.alloc(8);
    fs.readSync(fd, len, 0, 8, 0);
    const n = Number(len.readBigUInt64LE(0));
    const header = Buffer.alloc(n);
    fs.readSync(fd, header, 0, n, 8);
    const ends = Object.entries(JSON.parse(header.toString('utf8'))).filter(([k]) => k !== '__metadata__').map(([, t]) => t.data_offsets[1]);
    const expected = 8 + n + Math.max(...ends);
    if (fs.fstatSync(fd).size !== expected) throw new Error(`${file} is ${fs.fstatSync(fd).size} bytes, its header says ${expected}`);
  } finally {
    fs.closeSync(fd);
  }
}

const dir = keepAt ? path.resolve(keepAt) : fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-bench-large-'));
try {
  const { loadModel } = await imp('electron/core/model/index.ts');
  const { normscopeHome } = await imp('electron/core/home.ts');
  const { computeTaps, fitLayers } = await imp('electron/core/analysis/index.ts');
  const { DEFAULT_SETTINGS } = await imp('shared/result.ts');

  if (!fs.existsSync(path.join(dir, 'model.safetensors'))) {
    console.log(`generating a gpt2-large-shaped model in ${dir} (${SHAPE.join(' ')}) …`);
    const t = performance.now();
    // a child process: the generator's own memory must not count in this process's peak RSS
    try {
      execFileSync(process.execPath, [path.join(shared, 'tools/make-gpt2-folder.mjs'), '--out', dir, ...SHAPE], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      // the generator writes every file, then hashes the weights with readFileSync, which Node refuses past 2 GiB
      if (!String(e.stderr).includes('ERR_FS_FILE_TOO_LARGE')) throw e;
    }
    checkComplete(dir);
    console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const weightsBytes = fs.statSync(path.join(dir, 'model.safetensors')).size;
  console.log(`model.safetensors: ${(weightsBytes / 1e9).toFixed(2)} GB (${weightsBytes > 2 ** 31 ? 'over' : 'under'} protobuf's 2 GiB limit)`);

  let t = performance.now();
  const model = await loadModel(dir, { verdictsDir: normscopeHome() });
  const loadS = (performance.now() - t) / 1000;
  console.log(`load: ${loadS.toFixed(2)} s on ${model.executionProvider}${model.providerNotes.length ? ` (${model.providerNotes.join('; ')})` : ''}`);

  const text = benchText(model);
  t = performance.now();
  const taps = await computeTaps(model, text);
  const forwardS = (performance.now() - t) / 1000;
  const fits = fitLayers(taps, DEFAULT_SETTINGS);
  const analyzeS = (performance.now() - t) / 1000;
  const finite = fits.every((f) => f.fit.params.every(Number.isFinite));
  console.log(`analysis of ${taps.tokens.length} tokens: ${analyzeS.toFixed(2)} s (forward ${forwardS.toFixed(2)} s, ${fits.length} layer fits${finite ? '' : ', SOME NOT FINITE'})`);
  // the first forward pays for reading the weights from disk and preparing the session: a second shows the steady state
  t = performance.now();
  await computeTaps(model, text);
  const warmS = (performance.now() - t) / 1000;
  console.log(`second forward: ${warmS.toFixed(2)} s (${Math.round(taps.tokens.length / warmS)} tokens/s)`);
  await model.dispose();

  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`peak RSS: ${peakRssMb} MB`);
  console.log(JSON.stringify({
    n_layer: 36, n_head: 20, n_embd: 1280, weights_bytes: weightsBytes, provider: model.executionProvider, load_s: +loadS.toFixed(3),
    tokens: taps.tokens.length, forward_s: +forwardS.toFixed(3), warm_forward_s: +warmS.toFixed(3), analyze_s: +analyzeS.toFixed(3), peak_rss_mb: peakRssMb, fits_finite: finite,
  }));
  if (!finite || fits.length !== 36) process.exitCode = 1;
} finally {
  if (!keepAt) fs.rmSync(dir, { recursive: true, force: true });
}
