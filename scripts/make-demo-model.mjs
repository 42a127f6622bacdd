#!/usr/bin/env node
// Writes normscope's demo model into resources/demo-model/: GPT-2's tokenizer (committed next to it)
// with small deterministic RANDOM weights (config.json + model.safetensors, generated here, offline,
// never downloaded). Run by `npm run build`; does nothing when the files are already what it would write.
// Its figures say nothing about GPT-2: everything that shows it is labelled "demo (random weights)".
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'demo-model');
// GPT-2's vocabulary and context, 12 layers like GPT-2 small, but 64 wide: 13 MB, instant to run
const recipe = { generator: 1, seed: 20240501, n_layer: 12, n_head: 4, n_embd: 64, n_positions: 1024, vocab_size: 50257 };
const MARKER = 'normscope-demo.json';

const config = {
  activation_function: 'gelu_new', architectures: ['GPT2LMHeadModel'], bos_token_id: 50256, eos_token_id: 50256,
  layer_norm_epsilon: 1e-5, model_type: 'gpt2', n_ctx: recipe.n_positions, n_embd: recipe.n_embd, n_head: recipe.n_head,
  n_layer: recipe.n_layer, n_positions: recipe.n_positions, torch_dtype: 'float32', vocab_size: recipe.vocab_size,
  normscope_demo: true,
};
const configText = JSON.stringify(config, null, 2) + '\n';

/** sfc32 (Chris Doty-Humphrey's small fast counter): an integer generator, so every machine writes the same bytes. */
function sfc32(a, b, c, d) {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Uniform weights in [center − half, center + half), one independent stream per tensor name. */
function tensor(name, shape, center, half) {
  const h = crypto.createHash('sha256').update(`normscope-demo:${recipe.seed}:${name}`).digest();
  const next = sfc32(h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12));
  for (let i = 0; i < 12; i++) next(); // sfc32's recommended warm-up
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = center + (2 * next() - 1) * half;
  return { name, shape, data };
}

function weights() {
  const { n_layer: L, n_embd: D, n_positions: P, vocab_size: V } = recipe;
  const s = (fan) => 1 / Math.sqrt(fan); // sqrt is correctly rounded in IEEE 754: same bytes everywhere
  const ts = [tensor('wte.weight', [V, D], 0, 0.2), tensor('wpe.weight', [P, D], 0, 0.1)];
  for (let i = 0; i < L; i++) {
    const p = `h.${i}.`;
    ts.push(
      tensor(p + 'ln_1.weight', [D], 1, 0.2), tensor(p + 'ln_1.bias', [D], 0, 0.05),
      tensor(p + 'attn.c_attn.weight', [D, 3 * D], 0, 1.5 * s(D)), tensor(p + 'attn.c_attn.bias', [3 * D], 0, 0.05),
      tensor(p + 'attn.c_proj.weight', [D, D], 0, s(D)), tensor(p + 'attn.c_proj.bias', [D], 0, 0.05),
      tensor(p + 'ln_2.weight', [D], 1, 0.2), tensor(p + 'ln_2.bias', [D], 0, 0.05),
      tensor(p + 'mlp.c_fc.weight', [D, 4 * D], 0, s(D)), tensor(p + 'mlp.c_fc.bias', [4 * D], 0, 0.05),
      tensor(p + 'mlp.c_proj.weight', [4 * D, D], 0, s(4 * D)), tensor(p + 'mlp.c_proj.bias', [D], 0, 0.05),
    );
  }
  ts.push(tensor('ln_f.weight', [D], 1, 0.2), tensor('ln_f.bias', [D], 0, 0.05));
  return ts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The safetensors layout: u64 header length, JSON header (space-padded to 8 bytes), then the raw little-endian tensors. */
function safetensors(ts) {
  const header = { __metadata__: { format: 'pt', normscope_demo: 'random weights' } };
  let offset = 0;
  for (const t of ts) {
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, ...ts.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))]);
}

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
const readOrNull = (file) => (fs.existsSync(file) ? fs.readFileSync(file) : null);

function upToDate() {
  const marker = readOrNull(path.join(dir, MARKER));
  const model = readOrNull(path.join(dir, 'model.safetensors'));
  if (!marker || !model || readOrNull(path.join(dir, 'config.json'))?.toString('utf8') !== configText) return false;
  const m = JSON.parse(marker.toString('utf8'));
  return JSON.stringify(m.recipe) === JSON.stringify(recipe) && m.model_sha256 === sha256(model);
}

/** Writes to a temporary name, then renames: an interrupted build never leaves a half-written model. */
function writeAtomic(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

for (const f of ['tokenizer.json', 'tokenizer_config.json']) {
  if (!fs.existsSync(path.join(dir, f))) {
    console.error(`make-demo-model: ${path.join(dir, f)} is missing (it is committed with the repository)`);
    process.exit(1);
  }
}
if (upToDate()) {
  console.log('demo model: up to date');
} else {
  const t0 = performance.now();
  const model = safetensors(weights());
  writeAtomic(path.join(dir, 'model.safetensors'), model);
  writeAtomic(path.join(dir, 'config.json'), configText);
  const marker = {
    name: 'demo (random weights)',
    random_weights: true,
    note: 'GPT-2 tokenizer with small random weights, generated offline by scripts/make-demo-model.mjs. Its results say nothing about GPT-2.',
    recipe,
    model_sha256: sha256(model),
  };
  writeAtomic(path.join(dir, MARKER), JSON.stringify(marker, null, 2) + '\n');
  console.log(`demo model: wrote ${(model.length / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}
