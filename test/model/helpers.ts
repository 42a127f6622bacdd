// Test support for the model engine: generated model folders (cached), a small safetensors writer for crafted files,
// and an independent float64 GPT-2 forward written straight from the Hugging Face module definitions.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SHARED = path.resolve(here, '../../../shared');
export const REPO = path.resolve(here, '../..');
const CACHE = path.join(REPO, 'node_modules/.cache/normscope-test');

export const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * A model folder made by the shared generator with these arguments, generated once into the test cache
 * (written to a private folder and renamed, so test files running side by side never see half a model).
 */
export function generatedModel(args: string): string {
  const name = args.replace(/--/g, '').trim().replace(/\s+/g, '_');
  const dir = path.join(CACHE, name);
  if (fs.existsSync(path.join(dir, 'done'))) return dir;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-gen-'));
  execFileSync(process.execPath, [path.join(SHARED, 'tools/make-gpt2-folder.mjs'), '--out', tmp, ...args.split(/\s+/).filter(Boolean)]);
  fs.writeFileSync(path.join(tmp, 'done'), '');
  fs.mkdirSync(CACHE, { recursive: true });
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another worker won the race: its copy is identical
  }
  return dir;
}

/** A fresh temporary folder holding copies of `files` from `from`. */
export function copyFolder(from: string, files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-model-'));
  for (const f of files) fs.copyFileSync(path.join(from, f), path.join(dir, f));
  return dir;
}

export interface RawTensor {
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

/** Parses a (valid) safetensors file into name → raw tensor, in file order. */
export function readRawSafetensors(file: string): Map<string, RawTensor> {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const out = new Map<string, RawTensor>();
  for (const [k, v] of Object.entries(header)) {
    if (k === '__metadata__') continue;
    out.set(k, { dtype: v.dtype, shape: v.shape, bytes: new Uint8Array(buf.subarray(8 + n + v.data_offsets[0], 8 + n + v.data_offsets[1])) });
  }
  return out;
}

/** Writes tensors as a safetensors file (header padded to 8 bytes, data in the given order). */
export function writeRawSafetensors(file: string, tensors: Map<string, RawTensor>): void {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const [k, t] of tensors) {
    header[k] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + t.bytes.length] };
    off += t.bytes.length;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  fs.writeFileSync(file, Buffer.concat([len, json, ...[...tensors.values()].map((t) => t.bytes)]));
}

/** Float32 values of a raw F32, F16 or BF16 tensor (the widening written out arithmetically, independent of the reader's bit tricks). */
export function rawToFloat64(t: RawTensor): Float64Array {
  const dv = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const width = t.dtype === 'F32' ? 4 : 2;
  const out = new Float64Array(t.bytes.length / width);
  for (let i = 0; i < out.length; i++) {
    if (t.dtype === 'F32') out[i] = dv.getFloat32(i * 4, true);
    else if (t.dtype === 'BF16') {
      const b = new DataView(new ArrayBuffer(4));
      b.setUint16(2, dv.getUint16(i * 2, true), true);
      out[i] = b.getFloat32(0, true);
    } else {
      const h = dv.getUint16(i * 2, true);
      const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, man = h & 0x3ff;
      out[i] = exp === 0 ? sign * man * 2 ** -24 : exp === 31 ? (man ? NaN : sign * Infinity) : sign * (1 + man / 1024) * 2 ** (exp - 15);
    }
  }
  return out;
}

export interface RefConfig {
  n_layer: number;
  n_head: number;
  n_embd: number;
  layer_norm_epsilon: number;
}

export interface RefResult {
  /** tap name → [T][n_embd] */
  taps: Map<string, Float64Array[]>;
  /** [T][vocab] */
  logits: Float64Array[];
}

/**
 * GPT-2 forward in float64, straight from Hugging Face's GPT2Block: x = wte[id] + wpe[t];
 * a = c_proj(attn(ln_1(x))); r = x + a; m = c_proj(gelu_new(c_fc(ln_2(r)))); x = r + m; logits = ln_f(x) · wteᵀ.
 * `w(name)` returns a canonical weight as float64.
 */
export function referenceForward(c: RefConfig, w: (name: string) => Float64Array, ids: number[]): RefResult {
  const D = c.n_embd, H = c.n_head, hd = D / H, T = ids.length;
  const wte = w('wte.weight'), wpe = w('wpe.weight');
  const ln = (x: Float64Array, g: Float64Array, b: Float64Array): Float64Array => {
    let mean = 0;
    for (const v of x) mean += v;
    mean /= D;
    let v2 = 0;
    for (const v of x) v2 += (v - mean) ** 2;
    const inv = 1 / Math.sqrt(v2 / D + c.layer_norm_epsilon);
    return x.map((v, i) => (v - mean) * inv * g[i]! + b[i]!);
  };
  // Conv1D: y = x W + b with W stored [in, out]
  const conv = (x: Float64Array, W: Float64Array, b: Float64Array): Float64Array => {
    const out = Float64Array.from(b);
    for (let i = 0; i < x.length; i++) for (let j = 0; j < out.length; j++) out[j]! += x[i]! * W[i * out.length + j]!;
    return out;
  };
  const gelu = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  const taps = new Map<string, Float64Array[]>();
  let xs = ids.map((id, t) => Float64Array.from({ length: D }, (_, k) => wte[id * D + k]! + wpe[t * D + k]!));
  for (let l = 0; l < c.n_layer; l++) {
    const p = `h.${l}.`;
    const qkv = xs.map((x) => conv(ln(x, w(p + 'ln_1.weight'), w(p + 'ln_1.bias')), w(p + 'attn.c_attn.weight'), w(p + 'attn.c_attn.bias')));
    const ctx = xs.map(() => new Float64Array(D));
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        const scores: number[] = [];
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let k = 0; k < hd; k++) dot += qkv[t]![h * hd + k]! * qkv[s]![D + h * hd + k]!;
          scores.push(dot / Math.sqrt(hd));
        }
        const max = Math.max(...scores);
        const e = scores.map((v) => Math.exp(v - max));
        const sum = e.reduce((a, b) => a + b, 0);
        for (let s = 0; s <= t; s++) for (let k = 0; k < hd; k++) ctx[t]![h * hd + k]! += (e[s]! / sum) * qkv[s]![2 * D + h * hd + k]!;
      }
    }
    const attn = ctx.map((v) => conv(v, w(p + 'attn.c_proj.weight'), w(p + 'attn.c_proj.bias')));
    const r = xs.map((x, t) => x.map((v, k) => v + attn[t]![k]!));
    const mlp = r.map((v) => conv(conv(ln(v, w(p + 'ln_2.weight'), w(p + 'ln_2.bias')), w(p + 'mlp.c_fc.weight'), w(p + 'mlp.c_fc.bias')).map(gelu),
      w(p + 'mlp.c_proj.weight'), w(p + 'mlp.c_proj.bias')));
    xs = r.map((v, t) => v.map((u, k) => u + mlp[t]![k]!));
    taps.set(`h.${l}.attn`, attn).set(`h.${l}.mlp`, mlp).set(`h.${l}`, xs);
  }
  const V = wte.length / D;
  const logits = xs.map((x) => {
    const y = ln(x, w('ln_f.weight'), w('ln_f.bias'));
    return Float64Array.from({ length: V }, (_, v) => {
      let s = 0;
      for (let k = 0; k < D; k++) s += y[k]! * wte[v * D + k]!;
      return s;
    });
  });
  return { taps, logits };
}

/** Weights of a model folder as canonical name → float64 (prefix dropped), for referenceForward. */
export function folderWeights(dir: string): (name: string) => Float64Array {
  const raw = readRawSafetensors(path.join(dir, 'model.safetensors'));
  const cache = new Map<string, Float64Array>();
  return (name) => {
    let v = cache.get(name);
    if (!v) {
      const t = raw.get(name) ?? raw.get('transformer.' + name);
      if (!t) throw new Error(`reference: no tensor ${name}`);
      v = rawToFloat64(t);
      cache.set(name, v);
    }
    return v;
  };
}

export const l2 = (v: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! ** 2;
  return Math.sqrt(s);
};

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** mulberry32: a small seeded generator, so a failing mutation can be replayed. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
