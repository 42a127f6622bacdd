import { axisBottom, axisLeft, format, range, scaleBand, scaleLinear } from 'd3';
import { drawAxes } from './axes.js';
import { modelColor, modelLegendEntries } from './compareMarks.js';
import { startFigure } from './figureStart.js';
import { plotGroup, round } from './frame.js';
import { FigureInputError } from './figureInputError.js';
import { drawGrid, drawReferenceLine } from './grid.js';
import { lagLabel } from './labels.js';
import { xAxisSpace, yAxisSpace } from './layout.js';
import { chanceLegendEntry, drawLegend, layoutLegend, type LegendEntry } from './legend.js';
import type { CompareShareData, FigureOptions } from './types.js';
import { checkCompareModels, checkFinite, checkLayerCount } from './validate.js';

const FIGURE = 'compare-share-significant';
const ALPHA = 0.05;
/** Lag k's bar: lag 1 solid, further lags lighter with an outline, so lags read apart without more colours. */
const LAG_OPACITY = [1, 0.45, 0.25, 0.12];

/** Compare: "Share of significant layers": per model, one bar per lag, the share of its layer fits with p < .05. */
export function compareShareSignificant(data: CompareShareData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const lags = checkLayerCount(data?.lags, 'lags');
  const models = checkCompareModels<CompareShareData['models'][number]>(data.models, FIGURE);
  for (const m of models) {
    checkFinite(m.share, `${FIGURE}: model ${m.name} share`);
    if (m.share.length !== lags) throw new FigureInputError(`${FIGURE}: model ${m.name} needs one share per lag (${lags}, got ${m.share.length})`);
    for (let k = 0; k < lags; k++) if (m.share[k]! < 0 || m.share[k]! > 1) throw new FigureInputError(`${FIGURE}: model ${m.name} lag ${k + 1} share ${m.share[k]} is not in [0, 1]`);
  }
  const { o, theme, frame } = startFigure(document, FIGURE, data.component, options);
  const opacity = (lag: number) => LAG_OPACITY[(lag - 1) % LAG_OPACITY.length]!;

  const y = scaleLinear().domain([0, 1]);
  const yTicks = y.ticks(5);
  const yFormat = format('.0%');
  const ySpace = yAxisSpace(yTicks.map(yFormat), theme);
  const entries: LegendEntry[] = [
    ...modelLegendEntries(models, theme),
    ...range(1, lags + 1).map((lag) => ({
      label: lagLabel(theme, lag),
      data: { lag },
      swatch: (g: Parameters<LegendEntry['swatch']>[0]) => {
        g.append('rect').attr('x', -6).attr('y', -5).attr('width', 12).attr('height', 10).attr('fill', theme.neutral).attr('fill-opacity', opacity(lag)).attr('stroke', theme.neutral);
      },
    })),
    chanceLegendEntry(theme),
  ];
  const top = frame.top + 10;
  const bottom = xAxisSpace(theme);
  const legend = layoutLegend(entries, theme, o.height - top - bottom);
  const { plot, innerWidth, innerHeight } = plotGroup(frame, { top, right: legend.width + 20, bottom, left: ySpace.margin });
  const x = scaleBand<number>().domain(models.map((m) => m.model)).range([0, innerWidth]).paddingInner(0.3).paddingOuter(0.2);
  const xLag = scaleBand<number>().domain(range(1, lags + 1)).range([0, x.bandwidth()]).paddingInner(0.1);
  y.range([innerHeight, 0]);
  drawGrid(plot, { ys: yTicks.map(y), innerWidth, innerHeight, theme });

  for (const m of models) {
    const colour = modelColor(theme, m.model);
    const g = plot.append('g').attr('class', 'compare-model').attr('data-model', m.model);
    for (const lag of range(1, lags + 1)) {
      const share = m.share[lag - 1]!;
      g.append('rect')
        .attr('class', 'share-bar')
        .attr('data-model', m.model).attr('data-lag', lag).attr('data-share', share).attr('data-n', m.n)
        .attr('x', round(x(m.model)! + xLag(lag)!)).attr('y', round(y(share)))
        .attr('width', round(xLag.bandwidth())).attr('height', round(innerHeight - y(share)))
        .attr('fill', colour).attr('fill-opacity', opacity(lag)).attr('stroke', colour).attr('stroke-width', 1.2)
        .append('title').text(`${m.name}, lag ${lag}: ${format('.1%')(share)} of ${m.n} layer fits`);
    }
  }
  drawReferenceLine(plot, { y: y(ALPHA), innerWidth, theme, className: 'share-reference' });
  const names = new Map(models.map((m) => [m.model, m.name]));
  drawAxes(plot, {
    bottom: axisBottom(x).tickFormat((d) => names.get(Number(d)) ?? ''),
    left: axisLeft(y).tickValues(yTicks).tickFormat(yFormat),
    innerWidth,
    innerHeight,
    xLabel: 'Model',
    yLabel: 'Layer fits with p < .05',
    yLabelOffset: ySpace.labelOffset,
    theme,
  });
  drawLegend(frame.root, entries, legend, theme, o.width - legend.width - 8, top);
  return frame.svg;
}
