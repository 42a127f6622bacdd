// taps → series: log norms, ln of the float32 norm computed in float64 (DESIGN step 3).
import type { TokenJSON } from '../../../shared/result.js';
import { SITES, tapName, type Site } from '../../../shared/taps.js';
import { NormscopeError } from '../errors.js';

/** ln‖tap[t]‖₂ per token; a zero norm gives -Infinity, which checkFinite reports before any fit. */
export function logNorms(norms: ArrayLike<number>): Float64Array {
  const out = new Float64Array(norms.length);
  for (let t = 0; t < norms.length; t++) out[t] = Math.log(norms[t]!);
  return out;
}

/** Site → per layer log norms, from the tap-name map that tapNorms returns. */
export function logNormsBySite(norms: Map<string, ArrayLike<number>>, nLayer: number): Record<Site, Float64Array[]> {
  const bySite = {} as Record<Site, Float64Array[]>;
  for (const site of SITES) {
    bySite[site] = Array.from({ length: nLayer }, (_, layer) => {
      const n = norms.get(tapName(layer, site));
      if (!n) throw new RangeError(`no norms for ${tapName(layer, site)}`);
      return logNorms(n);
    });
  }
  return bySite;
}

/** Throws NONFINITE naming the first token whose log norm is not a finite number (a zero-norm activation, or NaN). */
export function checkFinite(series: ArrayLike<number>, tap: string, tokens: readonly TokenJSON[]): void {
  for (let t = 0; t < series.length; t++) {
    const v = series[t]!;
    if (Number.isFinite(v)) continue;
    const why = v === -Infinity ? 'has a zero-norm activation, so its log norm is undefined' : 'has a non-finite activation norm';
    throw new NormscopeError('NONFINITE', `token ${t} (${JSON.stringify(tokens[t]?.text ?? '')}) ${why} at ${tap}`, { tap, token: t });
  }
}
