// Margins from the labels they must hold (estimated: no layout engine on the server).
import { range } from 'd3';
import type { Theme } from './theme.js';
import { estimateTextWidth } from './textWidth.js';

const PAD = 5;

/** Left margin for a y axis with these tick labels, and where its rotated label sits. */
export function yAxisSpace(tickLabels: string[], theme: Theme): { margin: number; labelOffset: number } {
  const widest = Math.max(0, ...tickLabels.map((t) => estimateTextWidth(t, theme.tickSize)));
  const labelOffset = widest + theme.tickLength + PAD + 10;
  return { margin: labelOffset + theme.labelSize + 6, labelOffset };
}

/** Bottom margin under an x axis with one line of tick labels and an axis label. */
export function xAxisSpace(theme: Theme): number {
  return theme.tickSize + 30 + 10;
}

/** Integer layer ticks from first to last, thinned so labels stay at least `minGap` px apart. */
export function layerTicks(first: number, last: number, innerWidth: number, minGap = 24): number[] {
  const n = last - first + 1;
  if (n <= 0) return [];
  const perTick = innerWidth / n;
  const step = [1, 2, 4, 5, 10, 20, 50].find((s) => perTick * s >= minGap) ?? 100;
  return range(first, last + 1).filter((l) => (l - first) % step === 0);
}

/** [lo, hi] with `air` of the span on each side; a flat range gets ±0.5. */
export function paddedDomain(lo: number, hi: number, air = 0.04): [number, number] {
  const pad = hi > lo ? (hi - lo) * air : 0.5;
  return [lo - pad, hi + pad];
}
