import { axisBottom, axisLeft, quantileSorted, randomLcg, randomUniform, range, scaleBand, scaleLinear } from 'd3';
import { drawAxes } from './axes.js';
import { figureFrame, plotGroup, round } from './frame.js';
import { FigureInputError } from './figureInputError.js';
import { drawGrid, drawReferenceLine } from './grid.js';
import { lagLabel, layerAxisLabel, layerLabel } from './labels.js';
import { paddedDomain, xAxisSpace, yAxisSpace } from './layout.js';
import { drawLegend, layoutLegend, type LegendEntry } from './legend.js';
import { resolveOptions } from './options.js';
import { lagColor } from './theme.js';
import { figureTitle } from './titles.js';
import type { BetaDistributionsData, FigureOptions } from './types.js';
import { checkFinite, checkLayerCount, checkLayers } from './validate.js';

const FIGURE = 'beta-distributions';

/**
 * Corpus: per layer and lag, the distribution of β across documents as a box (quartiles, median,
 * whiskers to the farthest values within 1.5 IQR) over the jittered documents themselves.
 */
export function betaDistributions(data: BetaDistributionsData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const lags = checkLayerCount(data?.lags, 'lags');
  const layers = checkLayers<BetaDistributionsData['layers'][number]>(data.layers, FIGURE).slice().sort((a, b) => a.layer - b.layer);
  for (const l of layers) {
    if (!Array.isArray(l.betas) || l.betas.length !== lags) throw new FigureInputError(`${FIGURE}: layer ${l.layer} needs betas for ${lags} lags`);
    l.betas.forEach((b, k) => checkFinite(b, `${FIGURE}: layer ${l.layer} lag ${k + 1} betas`));
  }
  const o = resolveOptions(options);
  const theme = o.theme;
  const frame = figureFrame(document, { figure: FIGURE, title: o.title ?? figureTitle(FIGURE, data.component), width: o.width, height: o.height, theme });

  const groups = layers.flatMap((l) =>
    range(1, lags + 1).map((lag) => {
      const values = Array.from(l.betas[lag - 1]!);
      const sorted = values.slice().sort((a, b) => a - b);
      const box = sorted.length ? boxOf(sorted) : undefined;
      return { layer: l.layer, lag, values, box };
    }),
  );
  const all = groups.flatMap((g) => g.values).concat(0);
  const y = scaleLinear().domain(paddedDomain(Math.min(...all), Math.max(...all), 0.06)).nice();
  const yTicks = y.ticks(6);
  const yFormat = y.tickFormat(6);
  const ySpace = yAxisSpace(yTicks.map(yFormat), theme);

  const entries: LegendEntry[] = range(1, lags + 1).map((lag) => ({
    label: lagLabel(theme, lag),
    data: { lag },
    swatch: (g) => {
      g.append('rect').attr('x', -6).attr('y', -5).attr('width', 12).attr('height', 10).attr('fill', lagColor(theme, lag)).attr('fill-opacity', 0.35).attr('stroke', lagColor(theme, lag));
    },
  }));
  const top = frame.top + 10;
  const bottom = xAxisSpace(theme);
  const legend = layoutLegend(entries, theme, o.height - top - bottom);
  const margin = { top, right: legend.width + 20, bottom, left: ySpace.margin };
  const { plot, innerWidth, innerHeight } = plotGroup(frame, margin);
  const x = scaleBand<number>().domain(layers.map((l) => l.layer)).range([0, innerWidth]).paddingInner(0.25).paddingOuter(0.15);
  const xLag = scaleBand<number>().domain(range(1, lags + 1)).range([0, x.bandwidth()]).paddingInner(0.2);
  y.range([innerHeight, 0]);
  drawGrid(plot, { ys: yTicks.map(y), innerWidth, innerHeight, theme });
  drawReferenceLine(plot, { y: y(0), innerWidth, theme, className: 'zero-line' });

  const jitter = randomUniform.source(randomLcg(o.seed))(-0.3, 0.3);
  const bw = xLag.bandwidth();
  const r = Math.max(1.2, Math.min(2.5, bw / 8));
  const root = plot.append('g').attr('class', 'beta-dists');
  for (const grp of groups) {
    const colour = lagColor(theme, grp.lag);
    const left = x(grp.layer)! + xLag(grp.lag)!;
    const mid = left + bw / 2;
    const g = root.append('g').attr('class', 'beta-dist').attr('data-layer', grp.layer).attr('data-lag', grp.lag).attr('data-n', grp.values.length);
    if (grp.box) {
      const b = grp.box;
      g.append('line').attr('class', 'beta-dist-whisker').attr('x1', round(mid)).attr('x2', round(mid)).attr('y1', round(y(b.low))).attr('y2', round(y(b.high))).attr('stroke', colour).attr('stroke-width', 1.2);
      g.append('rect')
        .attr('class', 'beta-dist-box')
        .attr('x', round(left))
        .attr('y', round(y(b.q3)))
        .attr('width', round(bw))
        .attr('height', round(Math.max(1, y(b.q1) - y(b.q3))))
        .attr('fill', colour)
        .attr('fill-opacity', 0.22)
        .attr('stroke', colour)
        .attr('stroke-width', 1.2);
    }
    const pts = g.append('g').attr('fill', colour).attr('fill-opacity', 0.55);
    for (const v of grp.values) {
      pts.append('circle').attr('class', 'beta-dist-point').attr('cx', round(mid + jitter() * bw)).attr('cy', round(y(v))).attr('r', r);
    }
    if (grp.box) {
      g.append('line').attr('class', 'beta-dist-median').attr('x1', round(left)).attr('x2', round(left + bw)).attr('y1', round(y(grp.box.median))).attr('y2', round(y(grp.box.median))).attr('stroke', theme.text).attr('stroke-width', 2);
    }
  }

  drawAxes(plot, {
    bottom: axisBottom(x).tickFormat((d) => layerLabel(theme, Number(d))),
    left: axisLeft(y).tickValues(yTicks).tickFormat(yFormat),
    innerWidth,
    innerHeight,
    xLabel: layerAxisLabel(theme),
    yLabel: 'β',
    yLabelOffset: ySpace.labelOffset,
    theme,
  });
  drawLegend(frame.root, entries, legend, theme, o.width - legend.width - 8, top);
  return frame.svg;
}

/** Tukey's box: quartiles by linear interpolation, whiskers at the farthest values within 1.5 IQR. */
function boxOf(sorted: number[]) {
  const q1 = quantileSorted(sorted, 0.25)!;
  const median = quantileSorted(sorted, 0.5)!;
  const q3 = quantileSorted(sorted, 0.75)!;
  const fence = 1.5 * (q3 - q1);
  const low = sorted.find((v) => v >= q1 - fence)!;
  const high = sorted.findLast((v) => v <= q3 + fence)!;
  return { q1, median, q3, low, high };
}
