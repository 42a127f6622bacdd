// config.json: read, checked, and refused when it describes anything the graph would compute differently; GPT-2's own
// checks are here, the other families' in families/*.ts.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NormscopeError } from '../errors.js';
import type { ArchitectureDescription } from './arch.js';
import { describeConfig } from './families/index.js';
import type { Gpt2Config } from './types.js';

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

/** Reads and validates `dir/config.json` into the architecture description the engine builds from. */
export async function readConfig(dir: string): Promise<ArchitectureDescription> {
  const file = path.join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new NormscopeError('MODEL_NOT_FOUND', `${dir} is not a model folder: no readable config.json`, { path: file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw badConfig(file, `not JSON (${(e as Error).message})`);
  }
  return describeConfig(json, file);
}
