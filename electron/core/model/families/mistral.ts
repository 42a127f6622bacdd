// Mistral: Llama plus sliding_window on every layer (null: full attention).
import type { ArchitectureDescription } from '../arch.js';
import { llamaLike } from './llama.js';
import type { ConfigFields } from './read.js';

export const describeMistral = (f: ConfigFields): ArchitectureDescription =>
  llamaLike(f, {
    family: 'mistral', qkvBias: false, oBias: false, qkNorm: false,
    windows: (g, n) => Array(n).fill(g.has('sliding_window') ? g.int('sliding_window') : null),
  });

