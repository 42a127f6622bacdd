// The one description of a decoder-only transformer that the engine builds from: every config.json is converted into
// this once (families/*.ts), and the graph, the weight list, the parameter count and the memory estimate read it alone.

export type Family = 'gpt2' | 'llama' | 'mistral' | 'qwen2' | 'qwen3' | 'gpt_neox' | 'gemma2' | 'gemma3_text';

/** layernorm: (x − mean)/√(var + eps)·w + b; rmsnorm: x/√(mean x² + eps)·w; rmsnorm1p: Gemma's x/√(mean x² + eps)·(1 + w). */
export type NormKind = 'layernorm' | 'rmsnorm' | 'rmsnorm1p';

/** How rope_scaling changes the rotary frequencies (dynamic NTK changes nothing up to `original_max`, past which
 * the context is refused). */
export type RopeScaling =
  | { type: 'none' }
  | { type: 'linear'; factor: number }
  | { type: 'dynamic'; factor: number; original_max: number }
  | { type: 'llama3'; factor: number; low_freq_factor: number; high_freq_factor: number; original_max: number };

export interface Rotary {
  /** rotated dims of each head (the first `dims`; the rest pass through), even */
  dims: number;
  base: number;
  scaling: RopeScaling;
}

export type Positions = { kind: 'learned' } | { kind: 'rotary'; global: Rotary; /** sliding-window layers' own rotary (Gemma 3) */ local: Rotary };

export interface AttentionDescription {
  /** q, k, v projections carry biases */
  qkvBias: boolean;
  /** the output projection carries a bias */
  oBias: boolean;
  /** fused per-head interleaved query_key_value (GPT-NeoX) rather than separate q/k/v projections */
  fusedNeox: boolean;
  /** an RMSNorm over head_dim on each head's q and k before the rotation (Qwen3, Gemma 3), of the model's norm kind */
  qkNorm: boolean;
  /** multiplies q·k */
  scale: number;
  /** scores → cap·tanh(scores/cap) before the mask (Gemma 2); null for none */
  softcap: number | null;
  /** per layer: the sliding window (query i sees key j iff i − window < j ≤ i), null for full causal attention */
  windows: (number | null)[];
}

export interface ArchitectureDescription {
  family: Family;
  /** config.json's model_type, as given */
  model_type: string;
  n_layer: number;
  n_head: number;
  n_kv_head: number;
  head_dim: number;
  /** hidden size */
  n_embd: number;
  /** MLP hidden size */
  n_inner: number;
  /** the model's context: n_positions / max_position_embeddings */
  n_positions: number;
  vocab_size: number;
  norm: { kind: NormKind; eps: number; bias: boolean };
  positions: Positions;
  attention: AttentionDescription;
  /** gated: down(act(gate(x)) · up(x)); plain: down(act(up(x))) */
  mlp: { kind: 'gated' | 'plain'; act: 'gelu_tanh' | 'gelu' | 'silu'; bias: boolean };
  /** sequential: x + attn(n1(x)) then + mlp(n2(·)); parallel: x + attn(n1(x)) + mlp(n2(x)) (GPT-NeoX) */
  residual: 'sequential' | 'parallel';
  /** Gemma's post_attention_layernorm and post_feedforward_layernorm (applied after the tap, before the residual add) */
  postNorms: boolean;
  /** embeddings are multiplied by this (Gemma: √hidden_size, rounded to float32) */
  embedScale: number;
  tieWordEmbeddings: boolean;
  /** logits → cap·tanh(logits/cap) (Gemma 2), null for none */
  finalSoftcap: number | null;
}

/** Parameters as `model.num_parameters()` counts them for the base model (embeddings, no separate LM head). */
export function paramCount(a: ArchitectureDescription): number {
  const D = a.n_embd, hd = a.head_dim, q = a.n_head * hd, kv = a.n_kv_head * hd;
  const normP = a.norm.bias ? 2 * D : D;
  let layer = D * (q + 2 * kv) + q * D;
  if (a.attention.qkvBias) layer += q + 2 * kv;
  if (a.attention.oBias) layer += D;
  if (a.attention.qkNorm) layer += 2 * hd;
  layer += (a.mlp.kind === 'gated' ? 3 : 2) * D * a.n_inner;
  if (a.mlp.bias) layer += a.n_inner * (a.mlp.kind === 'gated' ? 2 : 1) + D;
  layer += normP * (a.postNorms ? 4 : 2);
  const positions = a.positions.kind === 'learned' ? a.n_positions * D : 0;
  return a.vocab_size * D + positions + a.n_layer * layer + normP;
}

/** Parameters of an untied LM head (counted in the weights a session holds only when logits are asked for). */
export function lmHeadParams(a: ArchitectureDescription): number {
  return a.tieWordEmbeddings ? 0 : a.vocab_size * a.n_embd;
}

/**
 * float32 bytes a session needs for a forward pass of `context` tokens: the weights in float32 (an untied LM head only
 * when logits are asked for), the activations of one layer (a few [T, D] and [T, inner] buffers and one [heads, T, T]
 * score matrix), and a fixed runtime overhead.
 */
export function float32Bytes(a: ArchitectureDescription, context: number, logits = false): number {
  const weights = 4 * (paramCount(a) + (logits ? lmHeadParams(a) : 0));
  const T = context;
  const activations = 4 * T * (8 * a.n_embd + 3 * a.n_inner + a.n_head * T);
  return weights + activations + 300 * 2 ** 20;
}
