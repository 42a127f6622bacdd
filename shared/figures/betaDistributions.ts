import { quantileSorted, randomLcg, randomUniform, range, scaleLinear, type ScaleLinear } from 'd3';
import { startFigure } from './figureStart.js';
import { round, type G } from './frame.js';
import { FigureInputError } from './figureInputError.js';
import { drawReferenceLine } from './grid.js';
import { lagLabel } from './labels.js';
import { layoutLayerLagPlot } from './layerLagPlot.js';
import { paddedDomain } from './layout.js';
import type { LegendEntry } from './legend.js';
import { lagColor, type Theme } from './theme.js';
import type { BetaDistributionsData, FigureOptions } from './types.js';
import { checkFinite, checkLayerCount, checkLayers } from './validate.js';

const FIGURE = 'beta-distributions';

type LayerBetas = BetaDistributionsData['layers'][number];

interface Box {
  q1: number;
  median: number;
  q3: number;
  low: number;
  high: number;
}

/** One layer's and lag's β across documents, with its box where there is any. */
interface Distribution {
  layer: number;
  lag: number;
  values: number[];
  box: Box | undefined;
}

/**
 * Corpus: per layer and lag, the distribution of β across documents as a box (quartiles, median,
 * whiskers to the farthest values within 1.5 IQR) over the jittered documents themselves.
 */
export function betaDistributions(data: BetaDistributionsData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const { lags, layers } = checkBetaDistributions(data);
  const { o, theme, frame } = startFigure(document, FIGURE, data.component, options);

  const groups = layers.flatMap((l) => range(1, lags + 1).map((lag) => distributionOf(l, lag)));
  const all = groups.flatMap((g) => g.values).concat(0);
  const y = scaleLinear().domain(paddedDomain(Math.min(...all), Math.max(...all), 0.06)).nice();
  const spec = { layers: layers.map((l) => l.layer), lags, lagPadding: 0.2, entries: legendEntries(theme, lags), y, yTicks: y.ticks(6), yFormat: y.tickFormat(6), yLabel: 'β' };
  const laid = layoutLayerLagPlot(frame, spec);
  drawReferenceLine(laid.plot, { y: y(0), innerWidth: laid.innerWidth, theme, className: 'zero-line' });

  const jitter = randomUniform.source(randomLcg(o.seed))(-0.3, 0.3);
  const bw = laid.xLag.bandwidth();
  const r = Math.max(1.2, Math.min(2.5, bw / 8));
  const root = laid.plot.append('g').attr('class', 'beta-dists');
  for (const grp of groups) {
    const left = laid.x(grp.layer)! + laid.xLag(grp.lag)!;
    drawDistribution(root, grp, { left, bw, r, y, jitter, theme });
  }
  laid.finish();
  return frame.svg;
}

/** The lag count, and the layers in order, each with every lag's finite βs. */
function checkBetaDistributions(data: BetaDistributionsData): { lags: number; layers: LayerBetas[] } {
  const lags = checkLayerCount(data?.lags, 'lags');
  const layers = checkLayers<LayerBetas>(data.layers, FIGURE).slice().sort((a, b) => a.layer - b.layer);
  for (const l of layers) {
    if (!Array.isArray(l.betas) || l.betas.length !== lags) throw new FigureInputError(`${FIGURE}: layer ${l.layer} needs betas for ${lags} lags`);
    l.betas.forEach((b, k) => checkFinite(b, `${FIGURE}: layer ${l.layer} lag ${k + 1} betas`));
  }
  return { lags, layers };
}

function distributionOf(l: LayerBetas, lag: number): Distribution {
  const values = Array.from(l.betas[lag - 1]!);
  const sorted = values.slice().sort((a, b) => a - b);
  return { layer: l.layer, lag, values, box: sorted.length ? boxOf(sorted) : undefined };
}

function legendEntries(theme: Theme, lags: number): LegendEntry[] {
  return range(1, lags + 1).map((lag) => ({
    label: lagLabel(theme, lag),
    data: { lag },
    swatch: (g) => {
      g.append('rect').attr('x', -6).attr('y', -5).attr('width', 12).attr('height', 10).attr('fill', lagColor(theme, lag)).attr('fill-opacity', 0.35).attr('stroke', lagColor(theme, lag));
    },
  }));
}

/** One lag's band: whisker and box under the jittered documents, the median line over them. */
function drawDistribution(
  root: G,
  grp: Distribution,
  at: { left: number; bw: number; r: number; y: ScaleLinear<number, number>; jitter: () => number; theme: Theme },
): void {
  const { left, bw, y } = at;
  const colour = lagColor(at.theme, grp.lag);
  const mid = left + bw / 2;
  const g = root.append('g').attr('class', 'beta-dist').attr('data-layer', grp.layer).attr('data-lag', grp.lag).attr('data-n', grp.values.length);
  const b = grp.box;
  if (b) {
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
    pts.append('circle').attr('class', 'beta-dist-point').attr('cx', round(mid + at.jitter() * bw)).attr('cy', round(y(v))).attr('r', at.r);
  }
  if (b) {
    g.append('line').attr('class', 'beta-dist-median').attr('x1', round(left)).attr('x2', round(left + bw)).attr('y1', round(y(b.median))).attr('y2', round(y(b.median))).attr('stroke', at.theme.text).attr('stroke-width', 2);
  }
}

/** Tukey's box: quartiles by linear interpolation, whiskers at the farthest values within 1.5 IQR. */
function boxOf(sorted: number[]): Box {
  const q1 = quantileSorted(sorted, 0.25)!;
  const median = quantileSorted(sorted, 0.5)!;
  const q3 = quantileSorted(sorted, 0.75)!;
  const fence = 1.5 * (q3 - q1);
  const low = sorted.find((v) => v >= q1 - fence)!;
  const high = sorted.findLast((v) => v <= q3 + fence)!;
  return { q1, median, q3, low, high };
}
