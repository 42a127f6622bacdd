// Gemma 2 and Gemma 3 (text): (1 + w) RMSNorm, √hidden embedding scale, post-attention and pre/post-feed-forward norms,
// query_pre_attn_scalar, soft-capping (2), q/k norms and a local rotary base (3), sliding-window layers, gelu-tanh gated MLP.
import type { ArchitectureDescription } from '../arch.js';
import { layerWindows } from './llama.js';
import { LLAMA_IGNORED, LLAMA_RENAMES, type NameMap } from './names.js';
import type { ConfigFields } from './read.js';

function softcap(f: ConfigFields, key: string, fallback: number | null): number | null {
  const v = f.c[key] === undefined ? fallback : f.c[key];
  return v === null ? null : f.num(key, fallback ?? undefined);
}

export function describeGemma(f: ConfigFields, version: 2 | 3): ArchitectureDescription {
  const D = f.int('hidden_size'), n_layer = f.int('num_hidden_layers'), n_positions = f.int('max_position_embeddings');
  const heads = f.heads(D, 'num_attention_heads', 'num_key_value_heads');
  if (!f.has('head_dim')) heads.head_dim = 256; // both config classes default head_dim to 256
  const actKey = f.has('hidden_activation') ? 'hidden_activation' : 'hidden_act';
  const act = f.act(actKey, 'gelu_pytorch_tanh', { gelu_pytorch_tanh: 'gelu_tanh' as const });
  if (version === 3) f.absent('use_bidirectional_attention', 'Gemma 3 with bidirectional attention is an embedding model');
  const window = f.has('sliding_window') ? f.int('sliding_window') : null;
  const pattern = version === 2 ? 2 : f.int('sliding_window_pattern', (f.c._sliding_window_pattern as number | undefined) ?? 6);
  const windows = layerWindows(f, n_layer, window, (i) => (i + 1) % pattern !== 0);
  const theta = f.num('rope_theta', version === 2 ? 10000 : 1_000_000);
  const global = f.rotary(heads.head_dim, theta, f.ropeScaling(n_positions));
  const local = version === 3 ? f.rotary(heads.head_dim, f.num('rope_local_base_freq', 10000), { type: 'none' }) : global;
  return {
    family: version === 2 ? 'gemma2' : 'gemma3_text', model_type: String(f.c.model_type), n_layer, ...heads, n_embd: D,
    n_inner: f.int('intermediate_size'), n_positions, vocab_size: f.int('vocab_size'),
    norm: { kind: 'rmsnorm1p', eps: f.num('rms_norm_eps', 1e-6), bias: false },
    positions: { kind: 'rotary', global, local },
    attention: {
      qkvBias: f.bool('attention_bias', false), oBias: f.bool('attention_bias', false), fusedNeox: false, qkNorm: version === 3,
      scale: f.num('query_pre_attn_scalar', 256) ** -0.5, softcap: softcap(f, 'attn_logit_softcapping', version === 2 ? 50 : null), windows,
    },
    mlp: { kind: 'gated', act, bias: false },
    residual: 'sequential', postNorms: true, embedScale: Math.fround(Math.sqrt(D)), tieWordEmbeddings: f.bool('tie_word_embeddings', true),
    finalSoftcap: softcap(f, 'final_logit_softcapping', version === 2 ? 30 : null),
  };
}

export const GEMMA_NAMES: NameMap = {
  // 'language_model.' last: the multimodal Gemma 3's older checkpoints keep its head as language_model.lm_head.weight
  prefixes: ['model.language_model.', 'language_model.model.', 'model.', 'language_model.'],
  renames: [
    ...LLAMA_RENAMES,
    [/^layers\.(\d+)\.post_attention_layernorm\.weight$/, 'layers.$1.ln_attn_post.weight'],
    [/^layers\.(\d+)\.pre_feedforward_layernorm\.weight$/, 'layers.$1.ln_mlp.weight'],
    [/^layers\.(\d+)\.post_feedforward_layernorm\.weight$/, 'layers.$1.ln_mlp_post.weight'],
  ],
  lmHead: 'lm_head.weight',
  ignored: LLAMA_IGNORED,
};
