import { area, line, scaleLinear } from 'd3';
import { modelColor, modelLegendEntries } from './compareMarks.js';
import { depthPlot } from './depthPlot.js';
import { startFigure } from './figureStart.js';
import { round } from './frame.js';
import { FigureInputError } from './figureInputError.js';
import { logNormAxisLabel } from './labels.js';
import { paddedDomain, yAxisSpace } from './layout.js';
import type { LegendEntry } from './legend.js';
import type { CompareLogNormData, FigureOptions } from './types.js';
import { checkCompareModels } from './validate.js';

const FIGURE = 'compare-log-norms-depth';

type Layer = CompareLogNormData['models'][number]['layers'][number];

/** Compare: "Log-norm distributions by depth": per model, the median log norm (line and dots) and its interquartile
 * band against relative depth. */
export function compareLogNormsDepth(data: CompareLogNormData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const models = checkCompareModels<CompareLogNormData['models'][number]>(data?.models, FIGURE);
  for (const m of models) {
    if (!Array.isArray(m.layers)) throw new FigureInputError(`${FIGURE}: model ${m.name} needs layers`);
    for (const l of m.layers) {
      if (![l.depth, l.q25, l.median, l.q75].every(Number.isFinite) || l.depth < 0 || l.depth > 1 || !(l.q25 <= l.median && l.median <= l.q75)) {
        throw new FigureInputError(`${FIGURE}: model ${m.name}, layer ${l.layer}: needs finite q25 ≤ median ≤ q75 at a depth in [0, 1]`);
      }
    }
  }
  const { theme, frame } = startFigure(document, FIGURE, data.component, options);
  const values = models.flatMap((m) => m.layers.flatMap((l) => [l.q25, l.q75]));
  const y = scaleLinear().domain(values.length ? paddedDomain(Math.min(...values), Math.max(...values), 0.06) : [0, 1]).nice();
  const yTicks = y.ticks(6);
  const yFormat = y.tickFormat(6);
  const ySpace = yAxisSpace(yTicks.map(yFormat), theme);
  const entries: LegendEntry[] = [
    ...modelLegendEntries(models, theme),
    { label: 'median', swatch: (g) => void g.append('circle').attr('r', 3.5).attr('fill', theme.neutral) },
    { label: 'interquartile range', swatch: (g) => void g.append('rect').attr('x', -9).attr('y', -5).attr('width', 18).attr('height', 10).attr('fill', theme.neutral).attr('fill-opacity', 0.25) },
  ];
  const { plot, x, finish } = depthPlot(frame, { entries, y, yTicks, yMargin: ySpace.margin, yLabelOffset: ySpace.labelOffset });

  for (const m of models) {
    const colour = modelColor(theme, m.model);
    const layers = m.layers.slice().sort((a, b) => a.depth - b.depth);
    const g = plot.append('g').attr('class', 'compare-model').attr('data-model', m.model);
    const band = area<Layer>().x((l) => round(x(l.depth))).y0((l) => round(y(l.q25))).y1((l) => round(y(l.q75)));
    g.append('path').attr('class', 'iqr-band').attr('data-model', m.model).attr('d', band(layers) ?? '').attr('fill', colour).attr('fill-opacity', 0.18).attr('stroke', 'none');
    const median = line<Layer>().x((l) => round(x(l.depth))).y((l) => round(y(l.median)));
    g.append('path').attr('class', 'median-line').attr('data-model', m.model).attr('d', median(layers) ?? '').attr('fill', 'none').attr('stroke', colour).attr('stroke-width', 2);
    for (const l of layers) {
      g.append('circle').attr('class', 'median-marker').attr('data-model', m.model).attr('data-layer', l.layer).attr('data-depth', l.depth)
        .attr('data-median', l.median).attr('data-q25', l.q25).attr('data-q75', l.q75)
        .attr('cx', round(x(l.depth))).attr('cy', round(y(l.median))).attr('r', 3.5).attr('fill', colour)
        .append('title').text(`${m.name}, layer ${l.layer} (depth ${l.depth.toFixed(2)}): median ${l.median.toFixed(3)}, IQR ${l.q25.toFixed(3)}–${l.q75.toFixed(3)}`);
    }
  }
  finish(logNormAxisLabel(theme, data.component), yFormat);
  return frame.svg;
}
