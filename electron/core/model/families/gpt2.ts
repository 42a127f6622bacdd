// GPT-2 as one instance of the description: config.ts validates its config.json as before; its graph stays graph.ts's.
import type { ArchitectureDescription } from '../arch.js';
import type { Gpt2Config } from '../types.js';

export function describeGpt2(c: Gpt2Config): ArchitectureDescription {
  const D = c.n_embd, hd = D / c.n_head;
  return {
    family: 'gpt2', model_type: 'gpt2', n_layer: c.n_layer, n_head: c.n_head, n_kv_head: c.n_head, head_dim: hd, n_embd: D, n_inner: 4 * D,
    n_positions: c.n_positions, vocab_size: c.vocab_size,
    norm: { kind: 'layernorm', eps: c.layer_norm_epsilon, bias: true },
    positions: { kind: 'learned' },
    attention: { qkvBias: true, oBias: true, fusedNeox: false, qkNorm: false, scale: hd ** -0.5, softcap: null, windows: Array(c.n_layer).fill(null) },
    mlp: { kind: 'plain', act: 'gelu_tanh', bias: true },
    residual: 'sequential', postNorms: false, embedScale: 1, tieWordEmbeddings: true, finalSoftcap: null,
  };
}

/** The GPT-2 config a GPT-2 description came from (graph.ts and weights.ts read this form). */
export function gpt2Config(a: ArchitectureDescription): Gpt2Config {
  return {
    model_type: 'gpt2', n_layer: a.n_layer, n_head: a.n_head, n_embd: a.n_embd, n_positions: a.n_positions, vocab_size: a.vocab_size,
    layer_norm_epsilon: a.norm.eps, activation_function: 'gelu_new',
  };
}
