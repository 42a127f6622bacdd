// The notebook's matplotlib settings ("Least squares part 4", its dark-mode cell), in CSS pixels: the one
// place the `notebook` figure style takes its numbers from. matplotlib sizes are points (1/72 in).
import type { FigureName } from './types.js';

/** CSS pixels per matplotlib point (96 px and 72 pt to the inch). */
export const PT = 96 / 72;

/** matplotlib's `to_hex` of an RGB triple in 0..1 (Python rounds half to even: .9·255 → 230, .7·255 → 178). */
export function mplHex(rgb: readonly [number, number, number]): string {
  const half = (v: number) => {
    const f = Math.floor(v);
    return v - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(v);
  };
  return `#${rgb.map((c) => half(c * 255).toString(16).padStart(2, '0')).join('')}`;
}

export const NOTEBOOK = {
  /** Figure and axes face. */
  face: '#383838',
  /** Axes edges, labels, ticks and all text. */
  ink: '#dde2f4',
  /** matplotlib's defaults the cell keeps: 10 pt text, 12 pt ('large') titles, 0.8 pt spines, 3.5 pt ticks. */
  fontSize: 10 * PT,
  titleSize: 12 * PT,
  spineWidth: 0.8 * PT,
  tickLength: 3.5 * PT,
  strip: { jitterSd: 0.08, markerSize: 10 * PT, alpha: 0.4, edge: '#ffffff', edgeWidth: 1 * PT },
  // plt.plot(x[:-1], y, 's-'): matplotlib's default line width and marker size
  histogram: { markerSize: 6 * PT, lineWidth: 1.5 * PT, edgeWidth: 1 * PT },
  beta: {
    /** t-1, t-2, then further lags in the same pastel family. */
    lagColors: ([[0.9, 0.7, 0.7], [0.7, 0.7, 0.9], [0.7, 0.9, 0.7], [0.9, 0.9, 0.7], [0.9, 0.7, 0.9], [0.7, 0.9, 0.9]] as const).map(mplHex),
    lineWidth: 0.6 * PT,
    markerSize: 12 * PT,
    xSize: 6 * PT,
    xColor: '#ffffff',
    xWidth: 1 * PT,
    legendSize: 14 * PT,
    // plt.grid(linestyle='--', linewidth=.1): matplotlib scales its dash pattern (3.7, 1.6) by the line width
    gridColor: '#b0b0b0',
    gridWidth: 0.1 * PT,
    gridDash: [3.7 * 0.1 * PT, 1.6 * 0.1 * PT],
    zeroColor: '#808080',
    zeroWidth: 1 * PT,
  },
} as const;

/**
 * The notebook's canvas for its three figures, in CSS pixels: the strip and the histograms share one 12×4-inch
 * canvas (6×4 in each), the β figure has a 12×4-inch one. Other figures have no notebook size (undefined).
 */
export function notebookSize(figure: FigureName): { width: number; height: number } | undefined {
  if (figure === 'beta-across-layers') return { width: 12 * 96, height: 4 * 96 };
  if (figure === 'attention-norm-strip' || figure === 'attention-norm-histograms') return { width: 6 * 96, height: 4 * 96 };
  return undefined;
}
