import { axisBottom, axisLeft, line, range, scaleLinear, type ScaleLinear, type Selection } from 'd3';
import { drawAxes } from './axes.js';
import { startFigure } from './figureStart.js';
import { plotGroup, round, type G } from './frame.js';
import { FigureInputError } from './figureInputError.js';
import { drawGrid, drawReferenceLine } from './grid.js';
import { layerTicks, paddedDomain, xAxisSpace, yAxisSpace } from './layout.js';
import { layerLabel, lagLabel } from './labels.js';
import { drawInsetLegend, drawLegend, layoutLegend, type LegendEntry } from './legend.js';
import { appendLagMarker, xMarkPath } from './markers.js';
import { NOTEBOOK } from './notebookStyle.js';
import { lagColor, type Theme } from './theme.js';
import type { BetaData, FigureOptions, LayerFit } from './types.js';
import { checkFinite, checkLayerCount, checkLayers } from './validate.js';

const FIGURE = 'beta-across-layers';
const ALPHA = 0.05;
const SIZE = 11;
const DODGE = 0.07;
const nb = NOTEBOOK.beta;

interface BetaMark {
  layer: number;
  lag: number;
  beta: number;
  p: number;
  significant: boolean;
}

/** What places and styles the marks: the scales, the dodge of lags around a layer, the style. */
interface MarkSpec {
  xOf: (layer: number, lag: number) => number;
  y: ScaleLinear<number, number>;
  theme: Theme;
  notebook: boolean;
}

/**
 * "Predicting token update from previous token updates": β of each lag across layers; a filled
 * marker (lag 1 square, lag 2 circle, then other symbols) where p < .05, an `x` where not. The notebook
 * style draws its own: pastel lines 0.6 pt wide, 12 pt markers, white 6 pt `x`s, a "t-1, t-2…" legend
 * inside the axes at 14 pt, a dashed 0.1 pt grid and a grey zero line, no x label.
 */
export function betaAcrossLayers(data: BetaData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const { lags, layers } = checkBetaData(data);
  const { o, theme, notebook, frame } = startFigure(document, FIGURE, data.component, options);

  const marks = layers.flatMap((l) => range(1, lags + 1).map((lag) => ({ layer: l.layer, lag, beta: l.params[lag]!, p: l.pvalues[lag]!, significant: l.pvalues[lag]! < ALPHA })));
  const betas = marks.map((m) => m.beta).concat(0);
  const y = scaleLinear().domain(paddedDomain(Math.min(...betas), Math.max(...betas), 0.08)).nice();
  const yTicks = y.ticks(6);
  const yFormat = y.tickFormat(6);
  const ySpace = yAxisSpace(yTicks.map(yFormat), theme);

  // normscope's legend sits beside the plot; the notebook's goes inside the axes, drawn last
  const entries = notebook ? [] : legendEntries(theme, lags);
  const top = frame.top + 10;
  const bottom = xAxisSpace(theme);
  const legend = layoutLegend(entries, theme, o.height - top - bottom);
  // the notebook's β figure has no x label to make room for
  const margin = { top, right: entries.length ? legend.width + 20 : 18, bottom: notebook ? bottom - 20 : bottom, left: ySpace.margin };
  const { plot, innerWidth, innerHeight } = plotGroup(frame, margin);
  const first = layers.length ? layers[0]!.layer : 0;
  const last = layers.length ? layers[layers.length - 1]!.layer : 0;
  const x = scaleLinear().domain([first - 0.6, last + 0.6]).range([0, innerWidth]);
  y.range([innerHeight, 0]);
  const xTicks = layerTicks(first, last, innerWidth);
  drawBetaGrid(plot, { xs: xTicks.map(x), ys: yTicks.map(y), zero: y(0), innerWidth, innerHeight, theme, notebook });

  // lags side by side around the layer, so equal βs don't hide each other (the notebook draws them on the layer)
  const xOf = (layer: number, lag: number) => x(layer + (notebook ? 0 : (lag - (lags + 1) / 2) * DODGE));
  const lines = drawLags(plot, marks, lags, { xOf, y, theme, notebook });

  drawAxes(plot, {
    bottom: axisBottom(x).tickValues(xTicks).tickFormat((d) => layerLabel(theme, Number(d))),
    left: axisLeft(y).tickValues(yTicks).tickFormat(yFormat),
    innerWidth,
    innerHeight,
    xLabel: notebook ? '' : 'Layer',
    yLabel: notebook ? 'Beta' : 'β',
    yLabelOffset: ySpace.labelOffset,
    theme,
  });
  if (notebook) {
    drawInsetLegend(plot, {
      labels: range(1, lags + 1).map((lag) => ({ label: lagLabel(theme, lag), colour: lagColor(theme, lag), lineWidth: nb.lineWidth, data: { lag } })),
      fontSize: nb.legendSize,
      innerWidth,
      innerHeight,
      lines,
      background: theme.background,
      text: theme.text,
    });
  } else {
    drawLegend(frame.root, entries, legend, theme, o.width - legend.width - 8, top);
  }
  return frame.svg;
}

/** The lag count, and the layers in order, each with the intercept's and every lag's finite β and p. */
function checkBetaData(data: BetaData): { lags: number; layers: LayerFit[] } {
  const lags = checkLayerCount(data?.lags, 'lags');
  const layers = checkLayers<LayerFit>(data.layers, FIGURE).slice().sort((a, b) => a.layer - b.layer);
  for (const l of layers) {
    for (const [name, arr] of [['params', l.params], ['pvalues', l.pvalues]] as const) {
      checkFinite(arr, `${FIGURE}: layer ${l.layer} ${name}`);
      if (arr.length !== lags + 1) {
        throw new FigureInputError(`${FIGURE}: layer ${l.layer} ${name} must hold the intercept and ${lags} lags (${lags + 1} values, got ${arr.length})`);
      }
    }
  }
  return { lags, layers };
}

/** normscope's legend: each lag's marker, then the `x` of p ≥ .05. */
function legendEntries(theme: Theme, lags: number): LegendEntry[] {
  const entries: LegendEntry[] = range(1, lags + 1).map((lag) => ({
    label: lagLabel(theme, lag),
    data: { lag },
    swatch: (g) => {
      appendLagMarker(g, lag, 0, 0, SIZE * 0.8).attr('fill', lagColor(theme, lag));
    },
  }));
  entries.push({
    label: 'p ≥ .05',
    swatch: (g) => {
      g.append('path').attr('d', xMarkPath(0, 0, 4)).attr('stroke', theme.neutral).attr('stroke-width', 2).attr('fill', 'none');
    },
  });
  return entries;
}

/** The grid and the zero line: the notebook's dashed thin grid and solid grey line, or the theme's grid and dashed line. */
function drawBetaGrid(plot: G, spec: { xs: number[]; ys: number[]; zero: number; innerWidth: number; innerHeight: number; theme: Theme; notebook: boolean }): void {
  const { xs, ys, zero, innerWidth, innerHeight, theme } = spec;
  if (spec.notebook) {
    drawGrid(plot, { xs, ys, innerWidth, innerHeight, theme, colour: nb.gridColor, width: nb.gridWidth, dash: nb.gridDash });
    plot.append('line').attr('class', 'zero-line').attr('x1', 0).attr('x2', innerWidth).attr('y1', round(zero)).attr('y2', round(zero)).attr('stroke', nb.zeroColor).attr('stroke-width', round(nb.zeroWidth));
  } else {
    drawGrid(plot, { xs, ys, innerWidth, innerHeight, theme });
    drawReferenceLine(plot, { y: zero, innerWidth, theme, className: 'zero-line' });
  }
}

/** Each lag's line and markers; returns the lines as pixel polylines, for the notebook legend's placement. */
function drawLags(plot: G, marks: BetaMark[], lags: number, spec: MarkSpec): [number, number][][] {
  const { xOf, y, theme, notebook } = spec;
  const lines: [number, number][][] = [];
  const linesG = plot.append('g').attr('class', 'beta-lines');
  const markersG = plot.append('g').attr('class', 'beta-markers');
  for (const lag of range(1, lags + 1)) {
    const mine = marks.filter((m) => m.lag === lag);
    const path = line<BetaMark>()
      .x((m) => round(xOf(m.layer, lag)))
      .y((m) => round(y(m.beta)));
    const drawn = linesG.append('path').attr('class', 'beta-line').attr('data-lag', lag).attr('d', path(mine) ?? '').attr('fill', 'none').attr('stroke', lagColor(theme, lag));
    if (notebook) drawn.attr('stroke-width', round(nb.lineWidth));
    else drawn.attr('stroke-width', 1.2).attr('stroke-opacity', 0.45);
    lines.push(mine.map((m) => [xOf(m.layer, lag), y(m.beta)]));
    for (const m of mine) drawMarker(markersG, m, spec);
  }
  return lines;
}

/** One fit's marker, with its data attributes and tooltip. */
function drawMarker(markersG: G, m: BetaMark, spec: MarkSpec): void {
  const cx = spec.xOf(m.layer, m.lag);
  const cy = spec.y(m.beta);
  const marker = spec.notebook ? notebookMarker(markersG, m, cx, cy, spec.theme) : themeMarker(markersG, m, cx, cy, spec.theme);
  marker
    .attr('class', m.significant ? 'beta-marker' : 'beta-marker beta-x')
    .attr('data-layer', m.layer)
    .attr('data-lag', m.lag)
    .attr('data-significant', String(m.significant))
    .attr('data-beta', m.beta)
    .attr('data-p', m.p);
  marker.append('title').text(`Layer ${m.layer}, lag ${m.lag}: β = ${m.beta.toFixed(3)}, p = ${formatP(m.p)}`);
}

type Mark = Selection<SVGElement, unknown, null, undefined>;

/** matplotlib's: a square's side and a circle's diameter are the marker size; an x spans it; edges 1 pt. */
function notebookMarker(g: G, m: BetaMark, cx: number, cy: number, theme: Theme): Mark {
  if (!m.significant) return g.append<SVGElement>('path').attr('d', xMarkPath(cx, cy, nb.xSize / 2)).attr('fill', 'none').attr('stroke', nb.xColor).attr('stroke-width', round(nb.xWidth));
  const colour = lagColor(theme, m.lag);
  const filled = m.lag === 2 ? g.append<SVGElement>('circle').attr('cx', round(cx)).attr('cy', round(cy)).attr('r', round(nb.markerSize / 2)) : appendLagMarker(g, m.lag, cx, cy, nb.markerSize);
  return filled.attr('fill', colour).attr('stroke', colour).attr('stroke-width', round(nb.xWidth));
}

/** normscope's: the lag's symbol outlined in the background where p < .05, a round-capped `x` in the lag's colour where not. */
function themeMarker(g: G, m: BetaMark, cx: number, cy: number, theme: Theme): Mark {
  const colour = lagColor(theme, m.lag);
  return m.significant
    ? appendLagMarker(g, m.lag, cx, cy, SIZE).attr('fill', colour).attr('stroke', theme.background).attr('stroke-width', 0.8)
    : g.append<SVGElement>('path').attr('d', xMarkPath(cx, cy, SIZE * 0.4)).attr('fill', 'none').attr('stroke', colour).attr('stroke-width', 2.2).attr('stroke-linecap', 'round');
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}
