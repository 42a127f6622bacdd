import { quantileSorted } from 'd3';
import { FigureInputError } from './figureInputError.js';

/**
 * Histogram bin edges by numpy's `np.histogram_bin_edges(values, bins='fd')`: width 2·IQR·n^(-1/3),
 * ceil((max − min) / width) equal bins from min to max; one bin when the IQR is 0; [v − 0.5, v + 0.5]
 * when every value is v; [0, 1] when there are none.
 */
export function freedmanDiaconisEdges(values: ArrayLike<number>): number[] {
  const n = values.length;
  if (n === 0) return [0, 1];
  // a typed-array sort is numeric and puts NaN last, where the finiteness check finds it
  const sorted = Array.from(Float64Array.from(values).sort());
  const lo = sorted[0]!;
  const hi = sorted[n - 1]!;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new FigureInputError(`histogram values must be finite (range [${lo}, ${hi}])`);
  }
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  const iqr = quantileSorted(sorted, 0.75)! - quantileSorted(sorted, 0.25)!;
  const width = 2 * iqr * n ** (-1 / 3);
  const count = width > 0 ? Math.ceil((hi - lo) / width) : 1;
  // numpy.linspace: start + i·step, the last edge set to stop exactly
  const step = (hi - lo) / count;
  const edges = Array.from({ length: count + 1 }, (_, i) => i * step + lo);
  edges[count] = hi;
  return edges;
}
