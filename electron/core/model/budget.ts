// What a model will cost before it is loaded: the context a session is built for (the model's, capped so that CPU
// attention stays practical) and the float32 bytes that needs, refused with MODEL_TOO_LARGE past this machine's memory.
import os from 'node:os';
import { formatBytes } from '../../../shared/bytes.js';
import { NormscopeError } from '../errors.js';
import { float32Bytes, paramCount, type ArchitectureDescription } from './arch.js';
import { rotaryLimit } from './rotary.js';

/** The default longest window: the model's context, at most this many tokens. */
export const CONTEXT_CAP = 4096;

/** The window length a session runs: `asked`, else the model's context capped at CONTEXT_CAP; BAD_INPUT past what is exact. */
export function resolveContext(a: ArchitectureDescription, asked?: number): number {
  const limit = Math.min(a.n_positions, a.positions.kind === 'rotary' ? Math.min(rotaryLimit(a.positions.global), rotaryLimit(a.positions.local)) : Infinity);
  if (asked === undefined) return Math.min(limit, CONTEXT_CAP);
  if (!Number.isSafeInteger(asked) || asked < 1 || asked > limit) {
    throw new NormscopeError('BAD_INPUT', `context must be a whole number of tokens from 1 to ${limit} for this model, got ${asked}`);
  }
  return asked;
}

// memory in GB whatever its size, so need and limit read side by side: one decimal under 10 GB, none above
const gb = (bytes: number) => formatBytes(bytes, { unit: 'GB', decimals: bytes < 1e10 ? 1 : 0 });

/** Throws MODEL_TOO_LARGE, naming need and limit, when a session of `context` tokens (with its untied LM head when
 * `logits`) needs more than `limit` bytes (this machine's memory unless given). */
export function checkMemory(a: ArchitectureDescription, context: number, name: string, o: { limit?: number; logits?: boolean } = {}): void {
  const { limit = os.totalmem(), logits = false } = o;
  const need = float32Bytes(a, context, logits);
  if (need > limit) {
    throw new NormscopeError('MODEL_TOO_LARGE', `${name} needs about ${gb(need)} in float32; this machine has ${gb(limit)}`,
      { need, limit, params: paramCount(a) });
  }
}

/** What a config.json describes, for listings and pulls: family, shape, parameters, float32 bytes at the default context. */
export function modelSummary(a: ArchitectureDescription): {
  family: string; n_layer: number; n_head: number; n_kv_head: number; head_dim: number; n_embd: number; n_positions: number; context: number;
  params: number; float32_bytes: number;
} {
  const context = resolveContext(a);
  return {
    family: a.family, n_layer: a.n_layer, n_head: a.n_head, n_kv_head: a.n_kv_head, head_dim: a.head_dim, n_embd: a.n_embd,
    n_positions: a.n_positions, context, params: paramCount(a), float32_bytes: float32Bytes(a, context),
  };
}
