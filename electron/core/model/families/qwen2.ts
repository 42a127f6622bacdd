// Qwen 2 / 2.5: Llama with q, k, v biases; a sliding window only when use_sliding_window, on layers from max_window_layers on.
import type { ArchitectureDescription } from '../arch.js';
import { layerWindows, llamaLike } from './llama.js';
import type { ConfigFields } from './read.js';

/** HF's Qwen layer_types default: sliding from max_window_layers on, when use_sliding_window sets a window. */
export function qwenWindows(f: ConfigFields, n: number): (number | null)[] {
  const window = f.bool('use_sliding_window', false) && f.has('sliding_window') ? f.int('sliding_window') : null;
  const from = window === null ? 0 : f.int('max_window_layers', 28);
  return layerWindows(f, n, window, (i) => i >= from);
}

export const describeQwen2 = (f: ConfigFields): ArchitectureDescription =>
  llamaLike(f, { family: 'qwen2', qkvBias: true, oBias: false, qkNorm: false, windows: qwenWindows });

