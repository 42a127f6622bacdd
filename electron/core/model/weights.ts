// Weight names and shapes: checkpoint keys normalized to canonical names (GPT-2's here, with or without `transformer.`;
// the other families' by their name maps), legacy buffers ignored, an untied LM head read only when logits are asked
// for, every expected tensor checked for presence, shape and a float dtype, across one file or a sharded checkpoint's shards.
import path from 'node:path';
import { NormscopeError } from '../errors.js';
import type { ArchitectureDescription, Family } from './arch.js';
import { NAMES } from './families/index.js';
import { gpt2Config } from './families/gpt2.js';
import { expectedWeights as decoderWeights, LM_HEAD, mapName } from './families/names.js';
import { elementCount, isFloatDtype, readTensorF32, type SafetensorsFile, type TensorEntry } from './safetensors.js';
import type { Gpt2Config } from './types.js';

/** A tensor entry and the file (one shard of a sharded checkpoint) that holds it. */
export interface LocatedTensor extends TensorEntry {
  source: SafetensorsFile;
}

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
/** Stored by some checkpoints and not needed: GPT-2's LM head is tied to wte; the causal mask buffers are rebuilt by the graph. */
const IGNORED = /^(?:lm_head\.weight|h\.\d+\.attn\.(?:bias|masked_bias))$/;

/** Canonical name of a checkpoint key: the GPT2LMHeadModel `transformer.` prefix dropped. */
export function canonicalName(key: string): string {
  return key.startsWith(PREFIX) ? key.slice(PREFIX.length) : key;
}

/** A description's checkpoint names: canonical name, null (ignored) or undefined (no place for it), and its expected
 * tensors; an untied LM head is expected only when logits are asked for, and ignored otherwise. */
function naming(config: Gpt2Config | ArchitectureDescription, logits: boolean): {
  name: (key: string) => string | null | undefined; specs: WeightSpec[]; what: string; lmHead?: string;
} {
  const arch = 'family' in config ? config : null;
  if (!arch || arch.family === 'gpt2') {
    const c = arch ? gpt2Config(arch) : (config as Gpt2Config);
    return { name: (k) => (IGNORED.test(canonicalName(k)) ? null : canonicalName(k)), specs: expectedWeights(c), what: `a GPT-2 with n_layer=${c.n_layer}` };
  }
  const map = NAMES[arch.family as Exclude<Family, 'gpt2'>];
  const head = logits && !arch.tieWordEmbeddings;
  return {
    name: (k) => {
      const name = mapName(map, k);
      return name === LM_HEAD && !head ? null : name;
    },
    specs: decoderWeights(arch, head), what: `a ${arch.family} with ${arch.n_layer} layers`, lmHead: map.lmHead,
  };
}

/**
 * Maps every expected weight (canonical name) to its entry in the file(s), or throws MISSING_TENSOR, BAD_TENSOR_SHAPE,
 * BAD_SAFETENSORS (non-float dtype, a key stored twice), UNSUPPORTED_MODEL (a tensor this config has no place for) or
 * BAD_MODEL (logits asked for, and the untied LM head missing). The LM head is read only with `logits`.
 */
export function resolveWeights(files: SafetensorsFile | readonly SafetensorsFile[], config: Gpt2Config | ArchitectureDescription,
  { logits = false }: { logits?: boolean } = {}): Map<string, LocatedTensor> {
  const all = Array.isArray(files) ? (files as readonly SafetensorsFile[]) : [files as SafetensorsFile];
  const { name: nameOf, specs, what, lmHead } = naming(config, logits);
  const wanted = new Map(specs.map((s) => [s.name, s]));
  const found = new Map<string, LocatedTensor>();
  for (const file of all) {
    for (const [key, entry] of file.tensors) {
      const name = nameOf(key);
      if (name === null) continue;
      if (name === undefined || !wanted.has(name)) {
        throw new NormscopeError('UNSUPPORTED_MODEL', `${file.path}: tensor "${key}" has no place in ${what} (does config.json match the weights?)`,
          { path: file.path, tensor: key });
      }
      if (found.has(name)) {
        throw new NormscopeError('BAD_SAFETENSORS', `${file.path}: tensor "${name}" is stored twice (with and without a prefix, or in two shards)`, { path: file.path, tensor: key });
      }
      found.set(name, { ...entry, source: file });
    }
  }
  const where = all.length === 1 ? all[0]!.path : path.dirname(all[0]!.path);
  for (const spec of specs) {
    const entry = found.get(spec.name);
    if (!entry && spec.name === LM_HEAD) {
      throw new NormscopeError('BAD_MODEL', `${where}: config.json unties the LM head (tie_word_embeddings false), but the checkpoint has no "${lmHead}" tensor for the logits`,
        { path: where, tensor: lmHead });
    }
    if (!entry) {
      throw new NormscopeError('MISSING_TENSOR', `${where}: tensor "${spec.name}" is missing`, { path: where, tensor: spec.name });
    }
    const file = entry.source;
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
export async function placeWeights(files: SafetensorsFile | readonly SafetensorsFile[], entries: ReadonlyMap<string, LocatedTensor>): Promise<PlacedWeights> {
  const refs = new Map<string, WeightRef>();
  const all = [...entries];
  const folder = path.dirname((Array.isArray(files) ? (files as readonly SafetensorsFile[])[0]! : (files as SafetensorsFile)).path);
  // by offset only when every shard lies in one folder (a Hugging Face cache's blobs/ does)
  if (all.every(([, t]) => t.dtype === 'F32' && t.begin % 4 === 0 && path.dirname(t.source.path) === folder)) {
    for (const [name, t] of all) refs.set(name, { location: path.basename(t.source.path), offset: t.begin, length: t.end - t.begin });
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
      await readTensorF32(t.source, t, data, offset);
      const n = elementCount(t);
      refs.set(name, { location, offset: offset * 4, length: n * 4 });
      offset += n;
    }
    memoryFiles.push({ path: location, data: new Uint8Array(data.buffer) });
    i = j;
  }
  return { refs, folder, memoryFiles };
}
