// The corpus figures' plot of layers by lags: a band per layer on x holding a band per lag, a linear y with its grid,
// the legend at the right; the figure draws its marks in between.
import { axisBottom, axisLeft, range, scaleBand, type NumberValue, type ScaleBand, type ScaleLinear } from 'd3';
import { drawAxes } from './axes.js';
import { plotGroup, type Frame, type G } from './frame.js';
import { drawGrid } from './grid.js';
import { layerAxisLabel, layerLabel } from './labels.js';
import { xAxisSpace, yAxisSpace } from './layout.js';
import { drawLegend, layoutLegend, type LegendEntry } from './legend.js';

export interface LayerLagSpec {
  layers: number[];
  lags: number;
  /** The inner padding between lag bands within a layer's band. */
  lagPadding: number;
  entries: LegendEntry[];
  /** The y scale with its domain; its range is set here. */
  y: ScaleLinear<number, number>;
  yTicks: number[];
  yFormat: (v: NumberValue) => string;
  yLabel: string;
}

export interface LayerLagPlot {
  plot: G;
  innerWidth: number;
  innerHeight: number;
  x: ScaleBand<number>;
  xLag: ScaleBand<number>;
  /** Over the marks: the layer and y axes, then the legend at the right (as depthPlot's finish). */
  finish(): void;
}

/** Margins from the y ticks and the legend, the plot group, the band scales and the grid behind the marks. */
export function layoutLayerLagPlot(frame: Frame, spec: LayerLagSpec): LayerLagPlot {
  const { theme } = frame;
  const { y, yTicks } = spec;
  const ySpace = yAxisSpace(yTicks.map(spec.yFormat), theme);
  const top = frame.top + 10;
  const bottom = xAxisSpace(theme);
  const legend = layoutLegend(spec.entries, theme, frame.height - top - bottom);
  const margin = { top, right: legend.width + 20, bottom, left: ySpace.margin };
  const { plot, innerWidth, innerHeight } = plotGroup(frame, margin);
  const x = scaleBand<number>().domain(spec.layers).range([0, innerWidth]).paddingInner(0.25).paddingOuter(0.15);
  const xLag = scaleBand<number>().domain(range(1, spec.lags + 1)).range([0, x.bandwidth()]).paddingInner(spec.lagPadding);
  y.range([innerHeight, 0]);
  drawGrid(plot, { ys: yTicks.map(y), innerWidth, innerHeight, theme });
  const finish = () => {
    drawAxes(plot, {
      bottom: axisBottom(x).tickFormat((d) => layerLabel(theme, Number(d))),
      left: axisLeft(y).tickValues(yTicks).tickFormat(spec.yFormat),
      innerWidth,
      innerHeight,
      xLabel: layerAxisLabel(theme),
      yLabel: spec.yLabel,
      yLabelOffset: ySpace.labelOffset,
      theme,
    });
    drawLegend(frame.root, spec.entries, legend, theme, frame.width - legend.width - 8, top);
  };
  return { plot, innerWidth, innerHeight, x, xLag, finish };
}
