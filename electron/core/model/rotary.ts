// Rotary position tables: inv_freq from the base and rope_scaling as Hugging Face's rope initialisers define them,
// cos/sin of position · inv_freq computed in float64 and rounded once to float32.
import type { Rotary } from './arch.js';

/** inv_freq[i] for i < dims/2, scaled as rope_scaling says (dynamic: unchanged up to its original context). */
export function invFreq(r: Rotary): Float64Array {
  const half = r.dims / 2;
  const inv = Float64Array.from({ length: half }, (_, i) => r.base ** (-(2 * i) / r.dims));
  const s = r.scaling;
  if (s.type === 'linear') return inv.map((f) => f / s.factor);
  if (s.type !== 'llama3') return inv;
  // llama3: long wavelengths divided by factor, short ones kept, the band between interpolated
  const lowWavelen = s.original_max / s.low_freq_factor, highWavelen = s.original_max / s.high_freq_factor;
  return inv.map((f) => {
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highWavelen) return f;
    if (wavelen > lowWavelen) return f / s.factor;
    const smooth = (s.original_max / wavelen - s.low_freq_factor) / (s.high_freq_factor - s.low_freq_factor);
    return (1 - smooth) * (f / s.factor) + smooth * f;
  });
}

/** cos and sin tables [positions, dims/2], row-major float32. */
export function rotaryTables(r: Rotary, positions: number): { cos: Float32Array; sin: Float32Array } {
  const inv = invFreq(r), half = inv.length;
  const cos = new Float32Array(positions * half), sin = new Float32Array(positions * half);
  for (let t = 0; t < positions; t++) {
    for (let i = 0; i < half; i++) {
      const a = t * inv[i]!;
      cos[t * half + i] = Math.cos(a);
      sin[t * half + i] = Math.sin(a);
    }
  }
  return { cos, sin };
}

/** The longest input a rotary is exact for: dynamic NTK rescales past its original context, which normscope does not build. */
export function rotaryLimit(r: Rotary): number {
  return r.scaling.type === 'dynamic' ? r.scaling.original_max : Infinity;
}
