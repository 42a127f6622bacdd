// Qwen 3: Llama with per-head RMSNorm on q and k before the rotation, attention_bias, and head_dim 128 unless given.
import type { ArchitectureDescription } from '../arch.js';
import { llamaLike } from './llama.js';
import { qwenWindows } from './qwen2.js';
import type { ConfigFields } from './read.js';

export const describeQwen3 = (f: ConfigFields): ArchitectureDescription =>
  llamaLike(f, { family: 'qwen3', qkvBias: 'attention_bias', oBias: 'attention_bias', qkNorm: true, windows: qwenWindows, headDimDefault: 128 });

