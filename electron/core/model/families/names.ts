// Checkpoint key → canonical tensor name for the decoder families, by rename rules; one table per family lives in
// its own file. Canonical names are the graph's (`layers.0.attn.q.weight`); nn.Linear weights keep their [out, in].
import type { ArchitectureDescription } from '../arch.js';

export interface WeightSpec {
  /** canonical name */
  name: string;
  shape: number[];
}

/** Canonical name of an untied LM head's [vocab, hidden] weight, read only when logits are asked for. */
export const LM_HEAD = 'lm_head.weight';

/** A family's mapping: prefixes a checkpoint may put before every key, renames, the LM head, and keys that hold nothing
 * the graph needs. */
export interface NameMap {
  prefixes: readonly string[];
  renames: readonly [RegExp, string][];
  /** the key of an untied LM head, after any prefix (`lm_head.weight`, GPT-NeoX's `embed_out.weight`) */
  lmHead: string;
  /** rotary and mask buffers, other towers: never part of the graph */
  ignored: RegExp;
}

/** Canonical name of a checkpoint key (LM_HEAD for the LM head), or null for an ignored key, or undefined for a key the
 * family has no place for. */
export function mapName(map: NameMap, key: string): string | null | undefined {
  let k = key;
  for (const p of map.prefixes) {
    if (k.startsWith(p)) {
      k = k.slice(p.length);
      break;
    }
  }
  if (k === map.lmHead) return LM_HEAD;
  if (map.ignored.test(k) || map.ignored.test(key)) return null;
  for (const [re, to] of map.renames) if (re.test(k)) return k.replace(re, to);
  return undefined;
}

/** Llama-style module paths (llama, mistral, qwen2, qwen3; Gemma differs in its norms). */
export const LLAMA_RENAMES: readonly [RegExp, string][] = [
  [/^embed_tokens\.weight$/, 'embed.weight'],
  [/^norm\.weight$/, 'norm_f.weight'],
  [/^layers\.(\d+)\.input_layernorm\.weight$/, 'layers.$1.ln_attn.weight'],
  [/^layers\.(\d+)\.self_attn\.([qkvo])_proj\.(weight|bias)$/, 'layers.$1.attn.$2.$3'],
  [/^layers\.(\d+)\.self_attn\.([qk])_norm\.weight$/, 'layers.$1.attn.$2_norm.weight'],
  [/^layers\.(\d+)\.mlp\.(gate|up|down)_proj\.(weight|bias)$/, 'layers.$1.mlp.$2.$3'],
];

/** What a checkpoint may carry beyond the graph's weights: rotary inv_freq buffers. */
export const LLAMA_IGNORED = /^layers\.\d+\.self_attn\.rotary_emb\.inv_freq$/;

/** Every tensor the description needs, in canonical names and HF's shapes; the untied LM head only with `lmHead`. */
export function expectedWeights(a: ArchitectureDescription, lmHead = false): WeightSpec[] {
  const D = a.n_embd, I = a.n_inner, q = a.n_head * a.head_dim, kv = a.n_kv_head * a.head_dim;
  const specs: WeightSpec[] = [{ name: 'embed.weight', shape: [a.vocab_size, D] }];
  const norm = (name: string) => {
    specs.push({ name: `${name}.weight`, shape: [D] });
    if (a.norm.bias) specs.push({ name: `${name}.bias`, shape: [D] });
  };
  const linear = (name: string, out: number, inp: number, bias: boolean) => {
    specs.push({ name: `${name}.weight`, shape: [out, inp] });
    if (bias) specs.push({ name: `${name}.bias`, shape: [out] });
  };
  for (let i = 0; i < a.n_layer; i++) {
    const p = `layers.${i}`;
    norm(`${p}.ln_attn`);
    if (a.attention.fusedNeox) linear(`${p}.attn.qkv`, 3 * q, D, a.attention.qkvBias);
    else {
      linear(`${p}.attn.q`, q, D, a.attention.qkvBias);
      linear(`${p}.attn.k`, kv, D, a.attention.qkvBias);
      linear(`${p}.attn.v`, kv, D, a.attention.qkvBias);
    }
    if (a.attention.qkNorm) specs.push({ name: `${p}.attn.q_norm.weight`, shape: [a.head_dim] }, { name: `${p}.attn.k_norm.weight`, shape: [a.head_dim] });
    linear(`${p}.attn.o`, D, q, a.attention.oBias);
    if (a.postNorms) norm(`${p}.ln_attn_post`);
    norm(`${p}.ln_mlp`);
    if (a.postNorms) norm(`${p}.ln_mlp_post`);
    if (a.mlp.kind === 'gated') linear(`${p}.mlp.gate`, I, D, a.mlp.bias);
    linear(`${p}.mlp.up`, I, D, a.mlp.bias);
    linear(`${p}.mlp.down`, D, I, a.mlp.bias);
  }
  norm('norm_f');
  if (lmHead && !a.tieWordEmbeddings) specs.push({ name: LM_HEAD, shape: [a.vocab_size, D] });
  return specs;
}
