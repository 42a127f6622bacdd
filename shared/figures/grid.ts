// A light grid behind the data, at the axes' tick positions (pixels within the plot).
import type { G } from './frame.js';
import { round } from './frame.js';
import type { Theme } from './theme.js';

export function drawGrid(plot: G, spec: { xs?: number[]; ys?: number[]; innerWidth: number; innerHeight: number; theme: Theme; colour?: string; width?: number; dash?: readonly number[] }): void {
  const g = plot.append('g').attr('class', 'grid').attr('stroke', spec.colour ?? spec.theme.grid).attr('stroke-width', round(spec.width ?? 1));
  if (spec.dash) g.attr('stroke-dasharray', spec.dash.map((d) => +d.toFixed(3)).join(' '));
  for (const x of spec.xs ?? []) g.append('line').attr('x1', round(x)).attr('x2', round(x)).attr('y1', 0).attr('y2', spec.innerHeight);
  for (const y of spec.ys ?? []) g.append('line').attr('x1', 0).attr('x2', spec.innerWidth).attr('y1', round(y)).attr('y2', round(y));
}

/** A dashed horizontal reference line across the plot (the zero line, the 5% line). */
export function drawReferenceLine(plot: G, spec: { y: number; innerWidth: number; theme: Theme; className: string }): void {
  plot
    .append('line')
    .attr('class', spec.className)
    .attr('x1', 0)
    .attr('x2', spec.innerWidth)
    .attr('y1', round(spec.y))
    .attr('y2', round(spec.y))
    .attr('stroke', spec.theme.reference)
    .attr('stroke-width', 1.2)
    .attr('stroke-dasharray', '5 4');
}
