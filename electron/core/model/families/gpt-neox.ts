// GPT-NeoX (Pythia): LayerNorm, fused per-head interleaved query_key_value, partial rotary, parallel or sequential residual.
import type { ArchitectureDescription } from '../arch.js';
import type { NameMap } from './names.js';
import type { ConfigFields } from './read.js';

export function describeGptNeox(f: ConfigFields): ArchitectureDescription {
  const D = f.int('hidden_size'), n_layer = f.int('num_hidden_layers'), n_positions = f.int('max_position_embeddings');
  const heads = f.heads(D, 'num_attention_heads', null);
  if (heads.head_dim * heads.n_head !== D) throw f.bad(`head_dim must be hidden_size / num_attention_heads for GPT-NeoX`);
  // newer configs call these partial_rotary_factor and rope_theta
  const pct = f.has('rotary_pct') ? f.num('rotary_pct') : f.num('partial_rotary_factor', 0.25);
  if (pct > 1) throw f.bad(`rotary_pct must be at most 1, got ${pct}`);
  const base = f.has('rotary_emb_base') ? f.num('rotary_emb_base') : f.num('rope_theta', 10000);
  const rotary = f.rotary(Math.floor(heads.head_dim * pct), base, f.ropeScaling(n_positions));
  const bias = f.bool('attention_bias', true);
  return {
    family: 'gpt_neox', model_type: 'gpt_neox', n_layer, ...heads, n_kv_head: heads.n_head, n_embd: D, n_inner: f.int('intermediate_size'),
    n_positions, vocab_size: f.int('vocab_size'),
    norm: { kind: 'layernorm', eps: f.num('layer_norm_eps', 1e-5), bias: true },
    positions: { kind: 'rotary', global: rotary, local: rotary },
    attention: { qkvBias: bias, oBias: bias, fusedNeox: true, qkNorm: false, scale: heads.head_dim ** -0.5, softcap: null, windows: Array(n_layer).fill(null) },
    mlp: { kind: 'plain', act: f.act('hidden_act', 'gelu', { gelu: 'gelu' as const, gelu_new: 'gelu_tanh' as const, gelu_pytorch_tanh: 'gelu_tanh' as const }), bias: true },
    residual: f.bool('use_parallel_residual', true) ? 'parallel' : 'sequential',
    postNorms: false, embedScale: 1, tieWordEmbeddings: f.bool('tie_word_embeddings', false), finalSoftcap: null,
  };
}

export const GPT_NEOX_NAMES: NameMap = {
  prefixes: ['gpt_neox.'],
  renames: [
    [/^embed_in\.weight$/, 'embed.weight'],
    [/^final_layer_norm\.(weight|bias)$/, 'norm_f.$1'],
    [/^layers\.(\d+)\.input_layernorm\.(weight|bias)$/, 'layers.$1.ln_attn.$2'],
    [/^layers\.(\d+)\.post_attention_layernorm\.(weight|bias)$/, 'layers.$1.ln_mlp.$2'],
    [/^layers\.(\d+)\.attention\.query_key_value\.(weight|bias)$/, 'layers.$1.attn.qkv.$2'],
    [/^layers\.(\d+)\.attention\.dense\.(weight|bias)$/, 'layers.$1.attn.o.$2'],
    [/^layers\.(\d+)\.mlp\.dense_h_to_4h\.(weight|bias)$/, 'layers.$1.mlp.up.$2'],
    [/^layers\.(\d+)\.mlp\.dense_4h_to_h\.(weight|bias)$/, 'layers.$1.mlp.down.$2'],
  ],
  lmHead: 'embed_out.weight',
  ignored: /^layers\.\d+\.attention\.(?:bias|masked_bias|rotary_emb\.inv_freq)$/,
};
