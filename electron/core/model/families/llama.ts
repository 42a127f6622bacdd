// Llama (Llama 2/3/3.1/3.2, SmolLM2, TinyLlama): config.json → description, and its checkpoint names. Mistral, Qwen 2
// and Qwen 3 are Llama with a few fields more (llamaLike's options).
import type { ArchitectureDescription, Family } from '../arch.js';
import { LLAMA_IGNORED, LLAMA_RENAMES, type NameMap } from './names.js';
import type { ConfigFields } from './read.js';

export interface LlamaLike {
  family: Family;
  /** q, k, v biases: a config field's value, or fixed by the family */
  qkvBias: boolean | 'attention_bias';
  oBias: boolean | 'attention_bias';
  qkNorm: boolean;
  /** per-layer windows from the config (Mistral's sliding_window, Qwen's use_sliding_window…) */
  windows: (f: ConfigFields, nLayer: number) => (number | null)[];
  /** head_dim when config.json has none (Qwen 3's config class defaults to 128) */
  headDimDefault?: number;
}

/** The fields every Llama-like config shares; the family options add the rest. */
export function llamaLike(f: ConfigFields, o: LlamaLike): ArchitectureDescription {
  const D = f.int('hidden_size'), n_layer = f.int('num_hidden_layers'), n_positions = f.int('max_position_embeddings');
  const heads = f.heads(D, 'num_attention_heads', 'num_key_value_heads');
  if (!f.has('head_dim') && o.headDimDefault) heads.head_dim = o.headDimDefault;
  const act = f.act('hidden_act', 'silu', { silu: 'silu' as const });
  const bias = (b: boolean | 'attention_bias') => (b === 'attention_bias' ? f.bool('attention_bias', false) : b);
  const partial = f.has('partial_rotary_factor') ? f.num('partial_rotary_factor') : 1;
  if (partial > 1) throw f.bad(`partial_rotary_factor must be at most 1, got ${partial}`);
  const rotary = f.rotary(Math.floor(heads.head_dim * partial), f.num('rope_theta', 10000), f.ropeScaling(n_positions));
  return {
    family: o.family, model_type: String(f.c.model_type), n_layer, ...heads, n_embd: D, n_inner: f.int('intermediate_size'), n_positions,
    vocab_size: f.int('vocab_size'),
    norm: { kind: 'rmsnorm', eps: f.num('rms_norm_eps', 1e-6), bias: false },
    positions: { kind: 'rotary', global: rotary, local: rotary },
    attention: {
      qkvBias: bias(o.qkvBias), oBias: bias(o.oBias), fusedNeox: false, qkNorm: o.qkNorm, scale: heads.head_dim ** -0.5, softcap: null,
      windows: o.windows(f, n_layer),
    },
    mlp: { kind: 'gated', act, bias: f.bool('mlp_bias', false) },
    residual: 'sequential', postNorms: false, embedScale: 1, tieWordEmbeddings: f.bool('tie_word_embeddings', false), finalSoftcap: null,
  };
}

/** Per-layer windows from HF's `layer_types` when given (each "sliding_attention" or "full_attention"), else `fallback`. */
export function layerWindows(f: ConfigFields, nLayer: number, window: number | null, fallback: (i: number) => boolean): (number | null)[] {
  const types = f.c.layer_types;
  if (types !== undefined && types !== null) {
    if (!Array.isArray(types) || types.length !== nLayer) throw f.bad(`layer_types must list ${nLayer} layer types`);
    return types.map((t, i) => {
      if (t === 'full_attention') return null;
      if (t === 'sliding_attention') {
        if (window === null) throw f.bad(`layer_types[${i}] is "sliding_attention" but sliding_window is not set`);
        return window;
      }
      throw f.unsupported(`layer_types[${i}]`, t, 'supported: sliding_attention, full_attention');
    });
  }
  return Array.from({ length: nLayer }, (_, i) => (window !== null && fallback(i) ? window : null));
}

export const describeLlama = (f: ConfigFields): ArchitectureDescription =>
  llamaLike(f, { family: 'llama', qkvBias: 'attention_bias', oBias: 'attention_bias', qkNorm: false, windows: (_, n) => Array(n).fill(null) });

export const LLAMA_NAMES: NameMap = { prefixes: ['model.'], renames: [
  ...LLAMA_RENAMES,
  [/^layers\.(\d+)\.post_attention_layernorm\.weight$/, 'layers.$1.ln_mlp.weight'],
], lmHead: 'lm_head.weight', ignored: LLAMA_IGNORED };
