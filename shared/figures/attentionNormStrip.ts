import { axisBottom, axisLeft, extent, interpolatePlasma, randomLcg, randomNormal, scaleLinear } from 'd3';
import { drawAxes } from './axes.js';
import { figureFrame, plotGroup, round } from './frame.js';
import { drawGrid } from './grid.js';
import { layerTicks, paddedDomain, xAxisSpace, yAxisSpace } from './layout.js';
import { resolveOptions } from './options.js';
import { markOutline } from './theme.js';
import { figureTitle } from './titles.js';
import type { FigureOptions, LogNormData } from './types.js';
import { checkFinite, checkLayerCount, checkLayers } from './validate.js';

const FIGURE = 'attention-norm-strip';
const JITTER_SD = 0.08;

/**
 * "Attention norms": per layer the log norms of tokens 1..T-1 (token 0 never shown) as a jittered strip,
 * x = layer + N(0, 0.08) from a seeded generator, colour plasma(layer / nLayers).
 */
export function attentionNormStrip(data: LogNormData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const nLayers = checkLayerCount(data?.nLayers);
  const layers = checkLayers<LogNormData['layers'][number]>(data.layers, FIGURE);
  for (const l of layers) checkFinite(l.logNorms, `${FIGURE}: layer ${l.layer} log norms`);
  const o = resolveOptions(options);
  const theme = o.theme;
  const frame = figureFrame(document, { figure: FIGURE, title: o.title ?? figureTitle(FIGURE, data.component), width: o.width, height: o.height, theme });

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
  drawGrid(plot, { ys: yTicks.map(y), innerWidth, innerHeight, theme });

  const jitter = randomNormal.source(randomLcg(o.seed))(0, JITTER_SD);
  const tokens = Math.max(0, ...layers.map((l) => l.logNorms.length));
  const r = tokens > 400 ? 2 : tokens > 150 ? 2.6 : 3.2;
  const points = plot.append('g').attr('class', 'strip-points');
  for (const l of layers) {
    const fill = interpolatePlasma(l.layer / nLayers);
    const stroke = markOutline(theme, fill);
    const g = points.append('g').attr('class', 'strip-layer').attr('data-layer', l.layer).attr('fill', fill).attr('fill-opacity', 0.6).attr('stroke', stroke).attr('stroke-width', 0.6);
    for (let t = 1; t < l.logNorms.length; t++) {
      const v = l.logNorms[t]!;
      g.append('circle')
        .attr('class', 'strip-point')
        .attr('data-layer', l.layer)
        .attr('data-token', t)
        .attr('data-value', +v.toPrecision(6))
        .attr('cx', round(x(l.layer + jitter())))
        .attr('cy', round(y(v)))
        .attr('r', r);
    }
  }

  drawAxes(plot, {
    bottom: axisBottom(x).tickValues(xTicks).tickFormat((d) => String(d)),
    left: axisLeft(y).tickValues(yTicks).tickFormat(yFormat),
    innerWidth,
    innerHeight,
    xLabel: 'Layer',
    yLabel: 'Log norm',
    yLabelOffset: ySpace.labelOffset,
    theme,
  });
  return frame.svg;
}

