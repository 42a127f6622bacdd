import { axisBottom, axisLeft, extent, interpolatePlasma, randomLcg, randomNormal, scaleLinear } from 'd3';
import { drawAxes } from './axes.js';
import { startFigure } from './figureStart.js';
import { plotGroup, round, type G } from './frame.js';
import { drawGrid } from './grid.js';
import { layerAxisLabel, layerLabel, logNormAxisLabel } from './labels.js';
import { layerTicks, paddedDomain, xAxisSpace, yAxisSpace } from './layout.js';
import { hexagonPath } from './markers.js';
import { NOTEBOOK } from './notebookStyle.js';
import { markOutline } from './theme.js';
import type { FigureOptions, LogNormData } from './types.js';
import { checkLogNormData } from './validate.js';

const FIGURE = 'attention-norm-strip';
const JITTER_SD = 0.08;

/**
 * "Attention norms": per layer the log norms of tokens 1..T-1 (token 0 never shown) as a jittered strip,
 * x = layer + N(0, 0.08) from a seeded generator, colour plasma(layer / nLayers). The notebook style draws
 * its white-edged hexagons (10 pt, alpha 0.4) and `L0…` ticks; the others draw circles.
 */
export function attentionNormStrip(data: LogNormData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const { nLayers, layers } = checkLogNormData(data, FIGURE);
  const { o, theme, notebook, frame } = startFigure(document, FIGURE, data.component, options);

  const shown = layers.flatMap((l) => Array.from(l.logNorms).slice(1));
  const [lo, hi] = extent(shown) as [number, number] | [undefined, undefined];
  const y = scaleLinear().domain(lo === undefined ? [0, 1] : paddedDomain(lo, hi!)).nice();
  const yTicks = y.ticks(6);
  const yFormat = y.tickFormat(6);
  const ySpace = yAxisSpace(yTicks.map(yFormat), theme);
  const layerIds = layers.map((l) => l.layer);
  const first = layerIds.length ? Math.min(...layerIds) : 0;
  const last = layerIds.length ? Math.max(...layerIds) : 0;

  const margin = { top: frame.top + 10, right: 18, bottom: xAxisSpace(theme), left: ySpace.margin };
  const { plot, innerWidth, innerHeight } = plotGroup(frame, margin);
  const x = scaleLinear().domain([first - 0.6, last + 0.6]).range([0, innerWidth]);
  y.range([innerHeight, 0]);
  const xTicks = layerTicks(first, last, innerWidth);
  // matplotlib draws no grid unless asked, and the notebook's strip does not ask
  if (!notebook) drawGrid(plot, { ys: yTicks.map(y), innerWidth, innerHeight, theme });

  const jitter = randomNormal.source(randomLcg(o.seed))(0, JITTER_SD);
  const tokens = Math.max(0, ...layers.map((l) => l.logNorms.length));
  const r = tokens > 400 ? 2 : tokens > 150 ? 2.6 : 3.2;
  const points = plot.append('g').attr('class', 'strip-points');
  for (const l of layers) {
    const fill = interpolatePlasma(l.layer / nLayers);
    const g = points.append('g').attr('class', 'strip-layer').attr('data-layer', l.layer).attr('fill', fill);
    if (notebook) {
      // alpha applies to face and edge alike, as matplotlib's does
      const s = NOTEBOOK.strip;
      g.attr('fill-opacity', s.alpha).attr('stroke', s.edge).attr('stroke-opacity', s.alpha).attr('stroke-width', round(s.edgeWidth));
    } else {
      g.attr('fill-opacity', 0.6).attr('stroke', markOutline(theme, fill)).attr('stroke-width', 0.6);
    }
    for (let t = 1; t < l.logNorms.length; t++) {
      const v = l.logNorms[t]!;
      const cx = x(l.layer + jitter());
      const cy = y(v);
      const point = notebook ? appendHexagon(g, cx, cy) : g.append<SVGElement>('circle').attr('cx', round(cx)).attr('cy', round(cy)).attr('r', r);
      point.attr('class', 'strip-point').attr('data-layer', l.layer).attr('data-token', t).attr('data-value', +v.toPrecision(6));
    }
  }

  drawAxes(plot, {
    bottom: axisBottom(x).tickValues(xTicks).tickFormat((d) => layerLabel(theme, Number(d))),
    left: axisLeft(y).tickValues(yTicks).tickFormat(yFormat),
    innerWidth,
    innerHeight,
    xLabel: layerAxisLabel(theme),
    yLabel: logNormAxisLabel(theme, data.component),
    yLabelOffset: ySpace.labelOffset,
    theme,
  });
  return frame.svg;
}

/** matplotlib's 'h' marker: a hexagon with a vertex on top, `markersize` across its corners. */
function appendHexagon(g: G, cx: number, cy: number) {
  return g.append<SVGElement>('path').attr('d', hexagonPath(cx, cy, NOTEBOOK.strip.markerSize / 2));
}
