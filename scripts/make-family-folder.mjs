#!/usr/bin/env node
// Writes a Hugging Face-style model folder of any supported family with deterministic pseudo-random weights, under the
// checkpoint names that family's transformers class saves: config.json and model.safetensors, or model-0000k-of-0000n
// shards with model.safetensors.index.json. Same case, same bytes on any machine (integer PRNG, exact rounding).
//
//   node scripts/make-family-folder.mjs --case NAME --out DIR [--tokenizer FILE]   (a case of test/model/families/cases.json)
//   import { writeFamilyFolder } from './make-family-folder.mjs'                    (any { config, files } spec)
// Tensors are generated and written one at a time, so real shapes (the bench's) need no more memory than their largest tensor.
//
// files: { dtype: F32|F16|BF16, prefix: true|false (model. / gpt_neox. before the body's keys), shards: N }.
// The LM head (lm_head.weight, GPT-NeoX's embed_out.weight) is written when tie_word_embeddings is false.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** uniform in [center − half, center + half), float32, from a stream seeded by the tensor's name */
function uniform(seed, name, shape, center, half) {
  const r = mulberry32(crypto.createHash('sha256').update(`${seed}:${name}`).digest().readUInt32LE(0));
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = center + (2 * r() - 1) * half;
  return out;
}

const gemma = (t) => t.startsWith('gemma');

/** [name, shape, center, half] of every tensor of the body, in HF names without the prefix. */
function bodyTensors(c) {
  const D = c.hidden_size, I = c.intermediate_size, H = c.num_attention_heads, KV = c.num_key_value_heads ?? H;
  const hd = c.head_dim ?? (c.model_type.startsWith('gemma') ? 256 : c.model_type === 'qwen3' ? 128 : D / H);
  const normCenter = gemma(c.model_type) ? 0 : 1;
  const lin = (name, out, inp, bias) => [[`${name}.weight`, [out, inp], 0, 1.5 / Math.sqrt(inp)], ...(bias ? [[`${name}.bias`, [out], 0, 0.05]] : [])];
  const norm = (name, width, bias) => [[`${name}.weight`, [width], normCenter, 0.2], ...(bias ? [[`${name}.bias`, [width], 0, 0.05]] : [])];
  const t = [];
  if (c.model_type === 'gpt_neox') {
    t.push(['embed_in.weight', [c.vocab_size, D], 0, 0.5]);
    for (let i = 0; i < c.num_hidden_layers; i++) {
      const p = `layers.${i}`;
      t.push(...norm(`${p}.input_layernorm`, D, true), ...norm(`${p}.post_attention_layernorm`, D, true));
      t.push(...lin(`${p}.attention.query_key_value`, 3 * D, D, true), ...lin(`${p}.attention.dense`, D, D, true));
      t.push(...lin(`${p}.mlp.dense_h_to_4h`, I, D, true), ...lin(`${p}.mlp.dense_4h_to_h`, D, I, true));
    }
    t.push(...norm('final_layer_norm', D, true));
    return t;
  }
  const qkvBias = c.model_type === 'qwen2' || c.attention_bias === true, oBias = c.attention_bias === true;
  t.push(['embed_tokens.weight', [c.vocab_size, D], 0, gemma(c.model_type) ? 0.1 : 0.5]);
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `layers.${i}`;
    t.push(...norm(`${p}.input_layernorm`, D, false));
    t.push(...lin(`${p}.self_attn.q_proj`, H * hd, D, qkvBias), ...lin(`${p}.self_attn.k_proj`, KV * hd, D, qkvBias));
    t.push(...lin(`${p}.self_attn.v_proj`, KV * hd, D, qkvBias), ...lin(`${p}.self_attn.o_proj`, D, H * hd, oBias));
    if (c.model_type === 'qwen3' || c.model_type === 'gemma3_text') t.push(...norm(`${p}.self_attn.q_norm`, hd, false), ...norm(`${p}.self_attn.k_norm`, hd, false));
    t.push(...norm(`${p}.post_attention_layernorm`, D, false));
    if (gemma(c.model_type)) t.push(...norm(`${p}.pre_feedforward_layernorm`, D, false), ...norm(`${p}.post_feedforward_layernorm`, D, false));
    for (const m of ['gate', 'up']) t.push(...lin(`${p}.mlp.${m}_proj`, I, D, c.mlp_bias === true));
    t.push(...lin(`${p}.mlp.down_proj`, D, I, c.mlp_bias === true));
  }
  t.push(...norm('norm', D, false));
  return t;
}

/** float32 → IEEE half bits, round to nearest even */
function f16bits(f) {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, f);
  const x = b.getUint32(0), sign = (x >>> 16) & 0x8000, exp = (x >>> 23) & 0xff, man = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = man | 0x800000, shift = 14 - e;
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1), half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (man >>> 13);
  const rem = man & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++;
  return sign | h;
}

/** float32 → bfloat16 bits, round to nearest even */
function bf16bits(f) {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, f);
  const x = b.getUint32(0);
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

function encode(data, dtype) {
  if (dtype === 'F32') return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const u = new Uint16Array(data.length);
  const bits = dtype === 'F16' ? f16bits : bf16bits;
  for (let i = 0; i < u.length; i++) u[i] = bits(data[i]);
  return Buffer.from(u.buffer);
}

const WIDTH = { F32: 4, F16: 2, BF16: 2 };

/** Writes tensors { name, shape, data() } as one safetensors file, generating each one's values as it is written. */
function writeSafetensors(file, tensors, dtype) {
  const header = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const t of tensors) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * WIDTH[dtype];
    header[t.name] = { dtype, shape: t.shape, data_offsets: [off, off + bytes] };
    off += bytes;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, len);
    fs.writeSync(fd, json);
    for (const t of tensors) fs.writeSync(fd, encode(t.data(), dtype));
  } finally {
    fs.closeSync(fd);
  }
  return off;
}

/** Writes the folder of a spec { config, files, seed? } into `out`; returns the weight file names. */
export function writeFamilyFolder(spec, out, { tokenizer } = {}) {
  const c = spec.config, files = spec.files ?? {}, seed = spec.seed ?? 1, dtype = files.dtype ?? 'F32';
  const prefix = files.prefix === false ? '' : c.model_type === 'gpt_neox' ? 'gpt_neox.' : 'model.';
  const tensors = bodyTensors(c).map(([name, shape, center, half]) => ({ name: prefix + name, shape, data: () => uniform(seed, name, shape, center, half) }));
  if (c.tie_word_embeddings === false) {
    const head = c.model_type === 'gpt_neox' ? 'embed_out.weight' : 'lm_head.weight';
    tensors.push({ name: head, shape: [c.vocab_size, c.hidden_size], data: () => uniform(seed, head, [c.vocab_size, c.hidden_size], 0, 0.5) });
  }
  tensors.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'config.json'), JSON.stringify(c, null, 2));
  if (tokenizer) fs.copyFileSync(tokenizer, path.join(out, 'tokenizer.json'));
  const n = files.shards ?? 1;
  if (n === 1) {
    writeSafetensors(path.join(out, 'model.safetensors'), tensors, dtype);
    return ['model.safetensors'];
  }
  const names = [], weight_map = {};
  let total = 0;
  const per = Math.ceil(tensors.length / n);
  for (let k = 0; k < n; k++) {
    const name = `model-${String(k + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`;
    const part = tensors.slice(k * per, (k + 1) * per);
    total += writeSafetensors(path.join(out, name), part, dtype);
    for (const t of part) weight_map[t.name] = name;
    names.push(name);
  }
  fs.writeFileSync(path.join(out, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: total }, weight_map }, null, 2));
  return names;
}

export const CASES = JSON.parse(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/model/families/cases.json'), 'utf8'));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = (await import('node:util')).parseArgs({ options: { case: { type: 'string' }, out: { type: 'string' }, tokenizer: { type: 'string' } } });
  if (!values.case || !values.out || !CASES[values.case]) {
    console.error(`usage: make-family-folder.mjs --case ${Object.keys(CASES).join('|')} --out DIR [--tokenizer FILE]`);
    process.exit(2);
  }
  writeFamilyFolder(CASES[values.case], values.out, { tokenizer: values.tokenizer });
}
