import { axisBottom, axisLeft, axisRight, extent, interpolateViridis, range, scaleBand, scaleLinear, scaleSequential, type NumberValue, type ScaleBand, type ScaleSequential } from 'd3';
import { drawAxes } from './axes.js';
import { startFigure } from './figureStart.js';
import { plotGroup, round, type Frame, type G } from './frame.js';
import { FigureInputError } from './figureInputError.js';
import { layerAxisLabel, layerLabel } from './labels.js';
import { paddedDomain, xAxisSpace, yAxisSpace } from './layout.js';
import { estimateTextWidth } from './textWidth.js';
import type { Theme } from './theme.js';
import type { FigureOptions, HeatmapData, LayerLogNorms } from './types.js';
import { checkFinite, checkLayerCount, checkLayers } from './validate.js';

const FIGURE = 'log-norm-heatmap';
const BAR = 12;
const BAR_STEPS = 64;

/** The colour scale and the colour bar's ticks, which size the right margin. */
interface ColourKey {
  colour: ScaleSequential<string>;
  ticks: number[];
  format: (v: NumberValue) => string;
  /** The bar, its ticks and its label, in px. */
  width: number;
}

/**
 * Tokens × layers heat map of log norms (tokens 1..T-1 across, layer 0 on top), one `rect.heat-cell`
 * per value carrying data-layer, data-token and data-value for hover linking.
 */
export function logNormHeatmap(data: HeatmapData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const { layers, T } = checkHeatmapData(data);
  const { theme, frame } = startFigure(document, FIGURE, data.component, options);

  const key = colourKey(layers, theme);
  const ySpace = yAxisSpace(layers.map((l) => layerLabel(theme, l.layer)), theme);
  const top = frame.top + 10;
  const margin = { top, right: key.width + 16, bottom: xAxisSpace(theme), left: ySpace.margin };
  const { plot, innerWidth, innerHeight } = plotGroup(frame, margin);
  const x = scaleBand<number>().domain(range(1, Math.max(1, T))).range([0, innerWidth]);
  const y = scaleBand<number>().domain(layers.map((l) => l.layer)).range([0, innerHeight]);
  drawCells(plot, layers, { x, y, T, colour: key.colour });

  const tokenTicks = scaleLinear().domain([1, Math.max(1, T - 1)]).ticks(Math.max(2, Math.floor(innerWidth / 60))).filter((t) => Number.isInteger(t) && t >= 1 && t < T);
  const everyLayer = Math.max(1, Math.ceil(14 / Math.max(1, y.bandwidth())));
  drawAxes(plot, {
    bottom: axisBottom(x).tickValues(tokenTicks).tickFormat((d) => String(d)),
    left: axisLeft(y).tickValues(layers.map((l) => l.layer).filter((_, i) => i % everyLayer === 0)).tickFormat((d) => layerLabel(theme, Number(d))),
    innerWidth,
    innerHeight,
    xLabel: 'Token',
    yLabel: layerAxisLabel(theme),
    yLabelOffset: ySpace.labelOffset,
    theme,
  });
  drawColourBar(frame, key, { x: margin.left + innerWidth + 16, y: top, height: innerHeight });
  return frame.svg;
}

/** The layers in order, each with one finite log norm per token, and that token count T. */
function checkHeatmapData(data: HeatmapData): { layers: LayerLogNorms[]; T: number } {
  checkLayerCount(data?.nLayers);
  const layers = checkLayers<LayerLogNorms>(data.layers, FIGURE).slice().sort((a, b) => a.layer - b.layer);
  for (const l of layers) checkFinite(l.logNorms, `${FIGURE}: layer ${l.layer} log norms`);
  const T = layers.length ? layers[0]!.logNorms.length : 0;
  if (layers.some((l) => l.logNorms.length !== T)) throw new FigureInputError(`${FIGURE}: every layer needs one log norm per token (${T})`);
  return { layers, T };
}

/** viridis over the shown values' range (a flat range padded, none [0, 1]), and the bar's nice ticks within it. */
function colourKey(layers: LayerLogNorms[], theme: Theme): ColourKey {
  const values = layers.flatMap((l) => Array.from(l.logNorms).slice(1));
  const [lo, hi] = extent(values) as [number, number] | [undefined, undefined];
  const colour = scaleSequential(interpolateViridis).domain(lo === undefined ? [0, 1] : lo === hi ? paddedDomain(lo, hi!) : [lo, hi!]);
  const barScale = scaleLinear().domain(colour.domain()).nice();
  const ticks = barScale.ticks(5).filter((t) => t >= colour.domain()[0]! && t <= colour.domain()[1]!);
  const format = barScale.tickFormat(5);
  const width = BAR + 6 + 5 + Math.max(0, ...ticks.map((t) => estimateTextWidth(format(t), theme.tickSize))) + 10 + theme.labelSize + 8;
  return { colour, ticks, format, width };
}

/** One cell per layer and token 1..T-1. */
function drawCells(plot: G, layers: LayerLogNorms[], at: { x: ScaleBand<number>; y: ScaleBand<number>; T: number; colour: ScaleSequential<string> }): void {
  const { x, y } = at;
  // crisp, slightly overlapping cells: antialiased edges of thousands of thin cells leave seams
  const w = round(x.bandwidth() + 0.4);
  const h = round(y.bandwidth() + 0.4);
  const cells = plot.append('g').attr('class', 'heat-cells').attr('shape-rendering', 'crispEdges');
  for (const l of layers) {
    const row = cells.append('g').attr('class', 'heat-row').attr('data-layer', l.layer);
    for (let t = 1; t < at.T; t++) {
      const v = l.logNorms[t]!;
      row
        .append('rect')
        .attr('class', 'heat-cell')
        .attr('data-layer', l.layer)
        .attr('data-token', t)
        .attr('data-value', +v.toPrecision(6))
        .attr('x', round(x(t)!))
        .attr('y', round(y(l.layer)!))
        .attr('width', w)
        .attr('height', h)
        .attr('fill', at.colour(v));
    }
  }
}

/** The colour bar: stacked strips rather than a gradient, so no ids can clash between figures on a page. */
function drawColourBar(frame: Frame, key: ColourKey, at: { x: number; y: number; height: number }): void {
  const { theme } = frame;
  const { colour } = key;
  const { height } = at;
  const bar = frame.root.append('g').attr('class', 'colour-bar').attr('shape-rendering', 'crispEdges').attr('transform', `translate(${round(at.x)},${round(at.y)})`);
  const [d0, d1] = colour.domain() as [number, number];
  const by = scaleLinear().domain([d0, d1]).range([height, 0]);
  const step = height / BAR_STEPS;
  for (let i = 0; i < BAR_STEPS; i++) {
    const v = d0 + ((i + 0.5) / BAR_STEPS) * (d1 - d0);
    bar.append('rect').attr('x', 0).attr('y', round(height - (i + 1) * step)).attr('width', BAR).attr('height', round(step + 0.4)).attr('fill', colour(v));
  }
  const barAxis = bar.append('g').attr('transform', `translate(${BAR},0)`).call(axisRight(by).tickValues(key.ticks).tickFormat(key.format).tickSize(6).tickSizeOuter(0).tickPadding(5));
  barAxis.attr('font-family', null).attr('font-size', round(theme.tickSize)).attr('fill', null);
  barAxis.select('.domain').remove();
  barAxis.selectAll('.tick line').attr('stroke', theme.axis);
  barAxis.selectAll('.tick text').attr('fill', theme.muted);
  bar
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(${round(key.width - 4)},${round(height / 2)}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('font-size', round(theme.labelSize))
    .attr('font-weight', theme.labelWeight)
    .attr('fill', theme.text)
    .text('Log norm');
}
