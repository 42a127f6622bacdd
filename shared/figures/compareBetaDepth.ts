import { area, line, scaleLinear } from 'd3';
import { lagDash, lagLegendEntries, modelColor, modelLegendEntries } from './compareMarks.js';
import { depthPlot } from './depthPlot.js';
import { startFigure } from './figureStart.js';
import { round } from './frame.js';
import { FigureInputError } from './figureInputError.js';
import { drawReferenceLine } from './grid.js';
import { lagLabel } from './labels.js';
import { paddedDomain, yAxisSpace } from './layout.js';
import type { LegendEntry } from './legend.js';
import type { CompareBetaData, FigureOptions } from './types.js';
import type { Theme } from './theme.js';
import { checkCompareModels, checkLayerCount } from './validate.js';

const FIGURE = 'compare-beta-depth';
const ALPHA = 0.05;
const R = 4.2;

type Point = CompareBetaData['models'][number]['points'][number];

/**
 * Compare: "β by relative depth": x is layer / (n_layer − 1), one line per model (its colour) and lag (lag 1 solid,
 * lag 2 dashed); a filled marker where p < .05, an open one where not; where several documents were averaged, a band
 * shows the mean's 95% interval (the data carries lo and hi).
 */
export function compareBetaDepth(data: CompareBetaData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const lags = checkLayerCount(data?.lags, 'lags');
  const models = checkCompareModels<CompareBetaData['models'][number]>(data?.models, FIGURE);
  models.forEach(checkPoints);
  const { theme, frame } = startFigure(document, FIGURE, data.component, options);

  const all = models.flatMap((m) => m.points);
  const ys = all.flatMap((p) => [p.beta, p.lo ?? p.beta, p.hi ?? p.beta]).concat(0);
  const y = scaleLinear().domain(paddedDomain(Math.min(...ys), Math.max(...ys), 0.08)).nice();
  const yTicks = y.ticks(6);
  const yFormat = y.tickFormat(6);
  const ySpace = yAxisSpace(yTicks.map(yFormat), theme);
  const banded = all.some((p) => p.lo !== undefined);
  const entries: LegendEntry[] = [...modelLegendEntries(models, theme), ...lagLegendEntries(lags, theme, (lag) => lagLabel(theme, lag)), ...markerEntries(theme, banded)];
  const { plot, innerWidth, x, finish } = depthPlot(frame, { entries, y, yTicks, yMargin: ySpace.margin, yLabelOffset: ySpace.labelOffset });
  drawReferenceLine(plot, { y: y(0), innerWidth, theme, className: 'zero-line' });

  for (const m of models) {
    const colour = modelColor(theme, m.model);
    const g = plot.append('g').attr('class', 'compare-model').attr('data-model', m.model);
    for (let lag = 1; lag <= lags; lag++) {
      const mine = m.points.filter((p) => p.lag === lag).sort((a, b) => a.depth - b.depth);
      const band = mine.filter((p) => p.lo !== undefined && p.hi !== undefined);
      if (band.length) {
        const shape = area<Point>().x((p) => round(x(p.depth))).y0((p) => round(y(p.lo!))).y1((p) => round(y(p.hi!)));
        g.append('path').attr('class', 'beta-band').attr('data-model', m.model).attr('data-lag', lag).attr('d', shape(band) ?? '').attr('fill', colour).attr('fill-opacity', 0.14).attr('stroke', 'none');
      }
      const path = line<Point>().x((p) => round(x(p.depth))).y((p) => round(y(p.beta)));
      g.append('path').attr('class', 'beta-line').attr('data-model', m.model).attr('data-lag', lag).attr('d', path(mine) ?? '')
        .attr('fill', 'none').attr('stroke', colour).attr('stroke-width', 2).attr('stroke-dasharray', lagDash(lag) || null);
      for (const p of mine) {
        const significant = p.p < ALPHA;
        g.append('circle')
          .attr('class', significant ? 'beta-marker filled' : 'beta-marker open')
          .attr('cx', round(x(p.depth))).attr('cy', round(y(p.beta))).attr('r', R)
          .attr('fill', significant ? colour : theme.background).attr('stroke', colour).attr('stroke-width', 1.6)
          .attr('data-model', m.model).attr('data-layer', p.layer).attr('data-lag', lag).attr('data-depth', p.depth)
          .attr('data-beta', p.beta).attr('data-p', p.p).attr('data-significant', String(significant))
          .append('title').text(`${m.name}, layer ${p.layer} (depth ${p.depth.toFixed(2)}), lag ${lag}: β = ${p.beta.toFixed(3)}, p = ${formatP(p.p)}${p.n > 1 ? ` (mean of ${p.n} documents)` : ''}`);
      }
    }
  }

  finish(banded ? 'β (mean over documents)' : 'β', yFormat);
  return frame.svg;
}

function markerEntries(theme: Theme, banded: boolean): LegendEntry[] {
  const circle = (filled: boolean) => (g: Parameters<LegendEntry['swatch']>[0]) => {
    g.append('circle').attr('r', R).attr('fill', filled ? theme.neutral : theme.background).attr('stroke', theme.neutral).attr('stroke-width', 1.6);
  };
  const entries: LegendEntry[] = [
    { label: 'p < .05', swatch: circle(true) },
    { label: 'p ≥ .05', swatch: circle(false) },
  ];
  if (banded) {
    entries.push({
      label: '95% interval',
      swatch: (g) => {
        g.append('rect').attr('x', -9).attr('y', -5).attr('width', 18).attr('height', 10).attr('fill', theme.neutral).attr('fill-opacity', 0.25);
      },
    });
  }
  return entries;
}

function checkPoints(m: CompareBetaData['models'][number]): void {
  if (!Array.isArray(m.points)) throw new FigureInputError(`${FIGURE}: model ${m.name} needs points`);
  for (const p of m.points) {
    const values = [p.depth, p.beta, p.p, ...(p.lo !== undefined ? [p.lo, p.hi ?? NaN] : [])];
    if (!values.every(Number.isFinite) || p.depth < 0 || p.depth > 1) throw new FigureInputError(`${FIGURE}: model ${m.name}, layer ${p.layer}, lag ${p.lag}: depth, β and p must be finite, depth in [0, 1]`);
  }
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}
