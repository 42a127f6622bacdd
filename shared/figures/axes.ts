// Left and bottom axes in the figures' style: thin spines, small muted ticks, labels in text colour.
import type { Axis, AxisDomain } from 'd3';
import { round, type G } from './frame.js';
import type { Theme } from './theme.js';

export interface AxesSpec<X extends AxisDomain, Y extends AxisDomain> {
  bottom: Axis<X>;
  left: Axis<Y>;
  innerWidth: number;
  innerHeight: number;
  xLabel: string;
  yLabel: string;
  /** Distance from the plot's left edge to the y label's baseline. */
  yLabelOffset: number;
  theme: Theme;
}

export function drawAxes<X extends AxisDomain, Y extends AxisDomain>(plot: G, spec: AxesSpec<X, Y>): void {
  const { theme, innerWidth, innerHeight } = spec;
  // only the left and bottom spines: no top or right one in any style
  const xg = plot.append('g').attr('class', 'axis axis-x').attr('transform', `translate(0,${innerHeight})`).call(spec.bottom.tickSizeOuter(0).tickSizeInner(theme.tickLength).tickPadding(5));
  const yg = plot.append('g').attr('class', 'axis axis-y').call(spec.left.tickSizeOuter(0).tickSizeInner(theme.tickLength).tickPadding(5));
  for (const g of [xg, yg]) {
    // d3-axis draws in currentColor with its own font: make every colour and font explicit for standalone files
    g.attr('font-family', null).attr('font-size', round(theme.tickSize)).attr('fill', null);
    g.select('.domain').attr('stroke', theme.axis).attr('stroke-width', round(theme.spineWidth));
    g.selectAll('.tick line').attr('stroke', theme.axis).attr('stroke-width', round(theme.spineWidth));
    g.selectAll('.tick text').attr('fill', theme.muted);
  }
  // an empty label draws nothing (the notebook's β figure has no x label)
  if (spec.xLabel) {
    plot
      .append('text')
      .attr('class', 'axis-label axis-label-x')
      .attr('x', innerWidth / 2)
      .attr('y', innerHeight + theme.tickSize + 30)
      .attr('text-anchor', 'middle')
      .attr('font-size', round(theme.labelSize))
      .attr('font-weight', theme.labelWeight)
      .attr('fill', theme.text)
      .text(spec.xLabel);
  }
  plot
    .append('text')
    .attr('class', 'axis-label axis-label-y')
    .attr('transform', `translate(${round(-spec.yLabelOffset)},${innerHeight / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('font-size', round(theme.labelSize))
    .attr('font-weight', theme.labelWeight)
    .attr('fill', theme.text)
    .text(spec.yLabel);
}
