// The compare figures' plot area over relative depth: legend beside it, x from 0 to 1 (a little air each side), grid.
import { axisBottom, axisLeft, scaleLinear, type ScaleLinear } from 'd3';
import { drawAxes } from './axes.js';
import { plotGroup, type Frame, type G } from './frame.js';
import { drawGrid } from './grid.js';
import { xAxisSpace } from './layout.js';
import { drawLegend, layoutLegend, type LegendEntry } from './legend.js';

const DEPTH_TICKS = [0, 0.25, 0.5, 0.75, 1];

export interface DepthPlot {
  plot: G;
  innerWidth: number;
  innerHeight: number;
  x: ScaleLinear<number, number>;
  /** Draws both axes (x: relative depth) and the legend: call after the data, so they sit on top. */
  finish(yLabel: string, yTickFormat: (d: number) => string): void;
}

/** Lays out the legend and the plot, sets `y`'s range to the plot's height, and draws the grid at the ticks. */
export function depthPlot(frame: Frame, spec: { entries: LegendEntry[]; y: ScaleLinear<number, number>; yTicks: number[]; yMargin: number; yLabelOffset: number }): DepthPlot {
  const { theme, width, height } = frame;
  const top = frame.top + 10;
  const bottom = xAxisSpace(theme);
  const legend = layoutLegend(spec.entries, theme, height - top - bottom);
  const margin = { top, right: legend.width + 20, bottom, left: spec.yMargin };
  const { plot, innerWidth, innerHeight } = plotGroup(frame, margin);
  const x = scaleLinear().domain([-0.04, 1.04]).range([0, innerWidth]);
  spec.y.range([innerHeight, 0]);
  drawGrid(plot, { xs: DEPTH_TICKS.map(x), ys: spec.yTicks.map(spec.y), innerWidth, innerHeight, theme });
  return {
    plot,
    innerWidth,
    innerHeight,
    x,
    finish(yLabel, yTickFormat) {
      drawAxes(plot, {
        bottom: axisBottom(x).tickValues(DEPTH_TICKS).tickFormat((d) => String(d)),
        left: axisLeft(spec.y).tickValues(spec.yTicks).tickFormat((d) => yTickFormat(Number(d))),
        innerWidth,
        innerHeight,
        xLabel: 'Relative depth (layer / (layers − 1))',
        yLabel,
        yLabelOffset: spec.yLabelOffset,
        theme,
      });
      drawLegend(frame.root, spec.entries, legend, theme, width - legend.width - 8, top);
    },
  };
}
