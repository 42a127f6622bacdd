// GPT-2 as one instance of the description: its config.json checked (parseGpt2Config), then described; its graph stays
// graph.ts's.
import { NormscopeError } from '../../errors.js';
import type { ArchitectureDescription } from '../arch.js';
import type { Gpt2Config } from '../types.js';

function badConfig(file: string, message: string): NormscopeError {
  return new NormscopeError('BAD_CONFIG', `${file}: ${message}`, { path: file });
}

function unsupported(file: string, message: string): NormscopeError {
  return new NormscopeError('UNSUPPORTED_MODEL', `${file}: ${message}`, { path: file });
}

/** Validates a parsed GPT-2 config.json (`file` names it in messages). */
export function parseGpt2Config(json: unknown, file: string): Gpt2Config {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw badConfig(file, 'not a JSON object');
  const c = json as Record<string, unknown>;
  // distilgpt2 and every GPT-2 size declare model_type "gpt2"
  if (c.model_type !== 'gpt2') {
    throw unsupported(file, `model_type ${JSON.stringify(c.model_type)} is not a GPT-2 (normscope reads model_type "gpt2" only)`);
  }
  const activation = c.activation_function ?? 'gelu_new';
  if (activation !== 'gelu_new') {
    throw unsupported(file, `activation_function ${JSON.stringify(activation)}: GPT-2 checkpoints use "gelu_new", the only one supported`);
  }
  const positive = (key: string): number => {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw badConfig(file, `${key} must be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const n_layer = positive('n_layer'), n_head = positive('n_head'), n_embd = positive('n_embd');
  const n_positions = positive('n_positions'), vocab_size = positive('vocab_size');
  if (n_embd % n_head !== 0) throw badConfig(file, `n_embd ${n_embd} is not divisible by n_head ${n_head}`);
  const eps = c.layer_norm_epsilon ?? 1e-5;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) throw badConfig(file, `layer_norm_epsilon must be a positive number, got ${JSON.stringify(eps)}`);
  // options that change the computation away from the standard GPT-2 forward the graph builds
  if (c.n_inner != null && c.n_inner !== 4 * n_embd) throw unsupported(file, `n_inner ${JSON.stringify(c.n_inner)} differs from 4·n_embd`);
  if (c.scale_attn_weights === false) throw unsupported(file, 'scale_attn_weights=false is not supported');
  if (c.scale_attn_by_inverse_layer_idx === true) throw unsupported(file, 'scale_attn_by_inverse_layer_idx=true is not supported');
  if (c.add_cross_attention === true) throw unsupported(file, 'add_cross_attention=true is not supported');
  return { model_type: 'gpt2', n_layer, n_head, n_embd, n_positions, vocab_size, layer_norm_epsilon: eps, activation_function: 'gelu_new' };
}

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
