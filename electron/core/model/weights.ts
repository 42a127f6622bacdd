// GPT-2 weight names and shapes: checkpoint keys normalized (with or without `transformer.`), the tied LM head and
// legacy attention buffers ignored, every expected tensor checked for presence, shape and a float dtype.
import path from 'node:path';
import { NormscopeError } from '../errors.js';
import { elementCount, isFloatDtype, readTensorF32, type SafetensorsFile, type TensorEntry } from './safetensors.js';
import type { Gpt2Config } from './types.js';

export interface WeightSpec {
  /** Canonical name, as Hugging Face's GPT2Model stores it (`h.0.attn.c_attn.weight`). */
  name: string;
  shape: number[];
}

/** Every tensor a GPT-2 of this config needs, in canonical names. Conv1D weights are stored [in, out]. */
export function expectedWeights(c: Gpt2Config): WeightSpec[] {
  const D = c.n_embd;
  const specs: WeightSpec[] = [
    { name: 'wte.weight', shape: [c.vocab_size, D] },
    { name: 'wpe.weight', shape: [c.n_positions, D] },
  ];
  for (let i = 0; i < c.n_layer; i++) {
    const p = `h.${i}.`;
    specs.push(
      { name: p + 'ln_1.weight', shape: [D] },
      { name: p + 'ln_1.bias', shape: [D] },
      { name: p + 'attn.c_attn.weight', shape: [D, 3 * D] },
      { name: p + 'attn.c_attn.bias', shape: [3 * D] },
      { name: p + 'attn.c_proj.weight', shape: [D, D] },
      { name: p + 'attn.c_proj.bias', shape: [D] },
      { name: p + 'ln_2.weight', shape: [D] },
      { name: p + 'ln_2.bias', shape: [D] },
      { name: p + 'mlp.c_fc.weight', shape: [D, 4 * D] },
      { name: p + 'mlp.c_fc.bias', shape: [4 * D] },
      { name: p + 'mlp.c_proj.weight', shape: [4 * D, D] },
      { name: p + 'mlp.c_proj.bias', shape: [D] },
    );
  }
  specs.push({ name: 'ln_f.weight', shape: [D] }, { name: 'ln_f.bias', shape: [D] });
  return specs;
}

const PREFIX = 'transformer.';
/** Stored by some checkpoints and not needed: the LM head is tied to wte; the causal mask buffers are rebuilt by the graph. */
const IGNORED = /^(?:lm_head\.weight|h\.\d+\.attn\.(?:bias|masked_bias))$/;

/** Canonical name of a checkpoint key: the GPT2LMHeadModel `transformer.` prefix dropped. */
export function canonicalName(key: string): string {
  return key.startsWith(PREFIX) ? key.slice(PREFIX.length) : key;
}

/**
 * Maps every expected weight (canonical name) to its entry in the file, or throws MISSING_TENSOR, BAD_TENSOR_SHAPE,
 * BAD_SAFETENSORS (non-float dtype, a key stored twice) or UNSUPPORTED_MODEL (a tensor this config has no place for).
 */
export function resolveWeights(file: SafetensorsFile, config: Gpt2Config): Map<string, TensorEntry> {
  const specs = expectedWeights(config);
  const wanted = new Map(specs.map((s) => [s.name, s]));
  const found = new Map<string, TensorEntry>();
  for (const [key, entry] of file.tensors) {
    const name = canonicalName(key);
    if (IGNORED.test(name)) continue;
    if (!wanted.has(name)) {
      throw new NormscopeError('UNSUPPORTED_MODEL',
        `${file.path}: tensor "${key}" has no place in a GPT-2 with n_layer=${config.n_layer} (does config.json match the weights?)`,
        { path: file.path, tensor: key });
    }
    if (found.has(name)) {
      throw new NormscopeError('BAD_SAFETENSORS', `${file.path}: tensor "${name}" is stored twice (with and without "${PREFIX}")`, { path: file.path, tensor: key });
    }
    found.set(name, entry);
  }
  for (const spec of specs) {
    const entry = found.get(spec.name);
    if (!entry) {
      throw new NormscopeError('MISSING_TENSOR', `${file.path}: tensor "${spec.name}" is missing`, { path: file.path, tensor: spec.name });
    }
    if (entry.shape.length !== spec.shape.length || entry.shape.some((d, i) => d !== spec.shape[i])) {
      throw new NormscopeError('BAD_TENSOR_SHAPE',
        `${file.path}: tensor "${entry.name}" has shape [${entry.shape.join(', ')}], expected [${spec.shape.join(', ')}] for this config.json`,
        { path: file.path, tensor: entry.name });
    }
    if (!isFloatDtype(entry.dtype)) {
      throw new NormscopeError('BAD_SAFETENSORS', `${file.path}: tensor "${entry.name}" is ${entry.dtype}; weights must be F32, F16 or BF16`,
        { path: file.path, tensor: entry.name });
    }
  }
  return found;
}

/** Where a weight's float32 little-endian bytes lie: a file the session knows (on disk or in memory) and a byte range in it. */
export interface WeightRef {
  location: string;
  offset: number;
  length: number;
}

export interface PlacedWeights {
  refs: Map<string, WeightRef>;
  /** the folder that on-disk locations are relative to (the weights file's real folder) */
  folder: string;
  /** float32 copies of the weights the file does not hold as aligned F32, as in-memory external files */
  memoryFiles: { path: string; data: Uint8Array }[];
}

/** Largest in-memory weight file: typed arrays stay well under every Node version's buffer limit. */
const MEMORY_FILE_BYTES = 1 << 30;

/**
 * Decides where the graph reads the weights: an all-F32 file (4-byte aligned) straight from the safetensors file by offset,
 * no copy; otherwise every weight converted once to float32 into in-memory files of at most 1 GiB (onnxruntime reads a
 * graph's external data either all from memory or all from disk).
 */
export async function placeWeights(file: SafetensorsFile, entries: ReadonlyMap<string, TensorEntry>): Promise<PlacedWeights> {
  const refs = new Map<string, WeightRef>();
  const all = [...entries];
  const folder = path.dirname(file.path);
  if (all.every(([, t]) => t.dtype === 'F32' && t.begin % 4 === 0)) {
    const location = path.basename(file.path);
    for (const [name, t] of all) refs.set(name, { location, offset: t.begin, length: t.end - t.begin });
    return { refs, folder, memoryFiles: [] };
  }
  const memoryFiles: PlacedWeights['memoryFiles'] = [];
  let i = 0;
  while (i < all.length) {
    // pack consecutive tensors into one file up to the size cap (a single larger tensor gets a file of its own)
    let bytes = 0, j = i;
    while (j < all.length && (j === i || bytes + elementCount(all[j]![1]) * 4 <= MEMORY_FILE_BYTES)) bytes += elementCount(all[j++]![1]) * 4;
    const data = new Float32Array(bytes / 4);
    const location = `normscope-f32-${memoryFiles.length}.bin`;
    let offset = 0;
    for (const [name, t] of all.slice(i, j)) {
      await readTensorF32(file, t, data, offset);
      const n = elementCount(t);
      refs.set(name, { location, offset: offset * 4, length: n * 4 });
      offset += n;
    }
    memoryFiles.push({ path: location, data: new Uint8Array(data.buffer) });
    i = j;
  }
  return { refs, folder, memoryFiles };
}
