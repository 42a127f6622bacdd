import { axisBottom, axisLeft, line, range, scaleLinear } from 'd3';
import { drawAxes } from './axes.js';
import { figureFrame, plotGroup, round } from './frame.js';
import { FigureInputError } from './figureInputError.js';
import { drawGrid, drawReferenceLine } from './grid.js';
import { layerTicks, paddedDomain, xAxisSpace, yAxisSpace } from './layout.js';
import { drawLegend, layoutLegend, type LegendEntry } from './legend.js';
import { appendLagMarker, xMarkPath } from './markers.js';
import { resolveOptions } from './options.js';
import { lagColor } from './theme.js';
import { figureTitle } from './titles.js';
import type { BetaData, FigureOptions } from './types.js';
import { checkFinite, checkLayerCount, checkLayers } from './validate.js';

const FIGURE = 'beta-across-layers';
const ALPHA = 0.05;
const SIZE = 11;
const DODGE = 0.07;

/**
 * "Predicting token update from previous token updates": β of each lag across layers; a filled
 * marker (lag 1 square, lag 2 circle, then other symbols) where p < .05, an `x` where not.
 */
export function betaAcrossLayers(data: BetaData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const lags = checkLayerCount(data?.lags, 'lags');
  const layers = checkLayers<BetaData['layers'][number]>(data.layers, FIGURE).slice().sort((a, b) => a.layer - b.layer);
  for (const l of layers) {
    for (const [name, arr] of [['params', l.params], ['pvalues', l.pvalues]] as const) {
      checkFinite(arr, `${FIGURE}: layer ${l.layer} ${name}`);
      if (arr.length !== lags + 1) {
        throw new FigureInputError(`${FIGURE}: layer ${l.layer} ${name} must hold the intercept and ${lags} lags (${lags + 1} values, got ${arr.length})`);
      }
    }
  }
  const o = resolveOptions(options);
  const theme = o.theme;
  const frame = figureFrame(document, { figure: FIGURE, title: o.title ?? figureTitle(FIGURE, data.component), width: o.width, height: o.height, theme });

  const marks = layers.flatMap((l) =>
    range(1, lags + 1).map((lag) => ({ layer: l.layer, lag, beta: l.params[lag]!, p: l.pvalues[lag]!, significant: l.pvalues[lag]! < ALPHA })),
  );
  const betas = marks.map((m) => m.beta).concat(0);
  const y = scaleLinear().domain(paddedDomain(Math.min(...betas), Math.max(...betas), 0.08)).nice();
  const yTicks = y.ticks(6);
  const yFormat = y.tickFormat(6);
  const ySpace = yAxisSpace(yTicks.map(yFormat), theme);

  const entries: LegendEntry[] = range(1, lags + 1).map((lag) => ({
    label: `Lag ${lag}`,
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
  const top = frame.top + 10;
  const bottom = xAxisSpace(theme);
  const legend = layoutLegend(entries, theme, o.height - top - bottom);
  const margin = { top, right: legend.width + 20, bottom, left: ySpace.margin };
  const { plot, innerWidth, innerHeight } = plotGroup(frame, margin);
  const first = layers.length ? layers[0]!.layer : 0;
  const last = layers.length ? layers[layers.length - 1]!.layer : 0;
  const x = scaleLinear().domain([first - 0.6, last + 0.6]).range([0, innerWidth]);
  y.range([innerHeight, 0]);
  const xTicks = layerTicks(first, last, innerWidth);
  drawGrid(plot, { xs: xTicks.map(x), ys: yTicks.map(y), innerWidth, innerHeight, theme });
  drawReferenceLine(plot, { y: y(0), innerWidth, theme, className: 'zero-line' });

  // lags side by side around the layer, so equal βs don't hide each other
  const xOf = (layer: number, lag: number) => x(layer + (lag - (lags + 1) / 2) * DODGE);
  const linesG = plot.append('g').attr('class', 'beta-lines');
  const markersG = plot.append('g').attr('class', 'beta-markers');
  for (const lag of range(1, lags + 1)) {
    const colour = lagColor(theme, lag);
    const mine = marks.filter((m) => m.lag === lag);
    const path = line<(typeof mine)[number]>()
      .x((m) => round(xOf(m.layer, lag)))
      .y((m) => round(y(m.beta)));
    linesG.append('path').attr('class', 'beta-line').attr('data-lag', lag).attr('d', path(mine) ?? '').attr('fill', 'none').attr('stroke', colour).attr('stroke-width', 1.2).attr('stroke-opacity', 0.45);
    for (const m of mine) {
      const cx = xOf(m.layer, lag);
      const cy = y(m.beta);
      const marker = m.significant
        ? appendLagMarker(markersG, lag, cx, cy, SIZE).attr('fill', colour).attr('stroke', theme.background).attr('stroke-width', 0.8)
        : markersG.append<SVGElement>('path').attr('d', xMarkPath(cx, cy, SIZE * 0.4)).attr('fill', 'none').attr('stroke', colour).attr('stroke-width', 2.2).attr('stroke-linecap', 'round');
      marker
        .attr('class', m.significant ? 'beta-marker' : 'beta-marker beta-x')
        .attr('data-layer', m.layer)
        .attr('data-lag', lag)
        .attr('data-significant', String(m.significant))
        .attr('data-beta', m.beta)
        .attr('data-p', m.p);
      marker.append('title').text(`Layer ${m.layer}, lag ${lag}: β = ${m.beta.toFixed(3)}, p = ${formatP(m.p)}`);
    }
  }

  drawAxes(plot, {
    bottom: axisBottom(x).tickValues(xTicks).tickFormat((d) => String(d)),
    left: axisLeft(y).tickValues(yTicks).tickFormat(yFormat),
    innerWidth,
    innerHeight,
    xLabel: 'Layer',
    yLabel: 'β',
    yLabelOffset: ySpace.labelOffset,
    theme,
  });
  drawLegend(frame.root, entries, legend, theme, o.width - legend.width - 8, top);
  return frame.svg;
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}
