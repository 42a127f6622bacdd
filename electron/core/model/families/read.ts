// Reading config.json fields for a family's description: a missing or absurd value is BAD_CONFIG, a value that would
// change the forward pass in a way the engine does not build is UNSUPPORTED_MODEL naming the field and the value.
import { NormscopeError } from '../../errors.js';
import type { RopeScaling, Rotary } from '../arch.js';

/** Upper bounds no real checkpoint reaches: anything past them is a broken config, refused before any allocation. */
const LIMITS: Record<string, number> = {
  num_hidden_layers: 1024, n_layer: 1024, num_attention_heads: 1024, n_head: 1024, num_key_value_heads: 1024,
  hidden_size: 65536, n_embd: 65536, intermediate_size: 1 << 20, head_dim: 2048, vocab_size: 1 << 22,
  max_position_embeddings: 1 << 24, n_positions: 1 << 24, sliding_window: 1 << 24, max_window_layers: 1 << 20,
  sliding_window_pattern: 1024, query_pre_attn_scalar: 1 << 20,
};

export class ConfigFields {
  constructor(readonly c: Record<string, unknown>, readonly file: string) {}

  bad(message: string): NormscopeError {
    return new NormscopeError('BAD_CONFIG', `${this.file}: ${message}`, { path: this.file });
  }

  unsupported(field: string, value: unknown, why: string): NormscopeError {
    return new NormscopeError('UNSUPPORTED_MODEL', `${this.file}: ${field} ${JSON.stringify(value)} is not supported (${why})`,
      { path: this.file, field, value });
  }

  has(key: string): boolean {
    return this.c[key] !== undefined && this.c[key] !== null;
  }

  /** A positive integer field; `fallback` when absent (undefined: required). */
  int(key: string, fallback?: number): number {
    const v = this.c[key] ?? fallback;
    const limit = LIMITS[key] ?? 1 << 30;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0 || v > limit) {
      throw this.bad(`${key} must be a positive integer${limit < 1 << 30 ? ` of at most ${limit}` : ''}, got ${JSON.stringify(this.c[key])}`);
    }
    return v;
  }

  /** A positive finite number field. */
  num(key: string, fallback?: number): number {
    const v = this.c[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw this.bad(`${key} must be a positive number, got ${JSON.stringify(this.c[key])}`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.c[key] ?? fallback;
    if (typeof v !== 'boolean') throw this.bad(`${key} must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A field that must have one value (its default when absent) for the graph to compute what HF computes. */
  only(key: string, allowed: readonly unknown[], why: string): void {
    const v = this.c[key];
    if (v === undefined || v === null) return;
    if (!allowed.includes(v)) throw this.unsupported(key, v, why);
  }

  /** A key that must be absent, null or false. */
  absent(key: string, why: string): void {
    const v = this.c[key];
    if (v !== undefined && v !== null && v !== false) throw this.unsupported(key, v, why);
  }

  /** The activation named by `key`, mapped to the engine's; any other is UNSUPPORTED_MODEL. */
  act<T extends string>(key: string, fallback: string, map: Record<string, T>): T {
    const v = this.c[key] ?? fallback;
    const a = typeof v === 'string' ? map[v] : undefined;
    if (!a) throw this.unsupported(key, v, `supported: ${Object.keys(map).join(', ')}`);
    return a;
  }

  /** Heads and head size: head_dim given (any value) or hidden / heads (which must divide). */
  heads(hidden: number, headsKey: string, kvKey: string | null): { n_head: number; n_kv_head: number; head_dim: number } {
    const n_head = this.int(headsKey);
    const n_kv_head = kvKey ? this.int(kvKey, n_head) : n_head;
    if (n_head % n_kv_head !== 0) throw this.bad(`${headsKey} ${n_head} is not a multiple of ${kvKey} ${n_kv_head}`);
    let head_dim: number;
    if (this.has('head_dim')) head_dim = this.int('head_dim');
    else {
      if (hidden % n_head !== 0) throw this.bad(`hidden size ${hidden} is not divisible by ${headsKey} ${n_head}`);
      head_dim = hidden / n_head;
    }
    return { n_head, n_kv_head, head_dim };
  }

  /** rope_scaling (null, linear, dynamic, llama3) as HF's rope initialisation reads it; anything else is refused. */
  ropeScaling(maxPositions: number): RopeScaling {
    const rs = this.c.rope_scaling;
    if (rs === undefined || rs === null) return { type: 'none' };
    if (typeof rs !== 'object' || Array.isArray(rs)) throw this.bad(`rope_scaling must be an object or null, got ${JSON.stringify(rs)}`);
    const r = rs as Record<string, unknown>;
    const type = r.rope_type ?? r.type;
    const sub = new ConfigFields(r, this.file);
    const factor = () => {
      const f = r.factor;
      if (typeof f !== 'number' || !Number.isFinite(f) || f < 1) throw this.bad(`rope_scaling.factor must be a number ≥ 1, got ${JSON.stringify(f)}`);
      return f;
    };
    if (type === 'default') return { type: 'none' };
    if (type === 'linear') return { type: 'linear', factor: factor() };
    if (type === 'dynamic') return { type: 'dynamic', factor: factor(), original_max: sub.int('original_max_position_embeddings', maxPositions) };
    if (type === 'llama3') {
      return {
        type: 'llama3', factor: factor(), low_freq_factor: sub.num('low_freq_factor'), high_freq_factor: sub.num('high_freq_factor'),
        original_max: sub.int('original_max_position_embeddings'),
      };
    }
    throw this.unsupported('rope_scaling.rope_type', type, 'supported: linear, dynamic, llama3, or none');
  }

  rotary(dims: number, base: number, scaling: RopeScaling): Rotary {
    if (dims % 2 !== 0 || dims <= 0) throw this.bad(`the rotary dimension ${dims} must be a positive even number`);
    return { dims, base, scaling };
  }
}

/** A parsed config.json object, or BAD_CONFIG. */
export function configObject(json: unknown, file: string): ConfigFields {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new NormscopeError('BAD_CONFIG', `${file}: not a JSON object`, { path: file });
  }
  return new ConfigFields(json as Record<string, unknown>, file);
}
