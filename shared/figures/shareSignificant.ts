import { axisBottom, axisLeft, format, range, scaleBand, scaleLinear } from 'd3';
import { drawAxes } from './axes.js';
import { figureFrame, plotGroup, round } from './frame.js';
import { FigureInputError } from './figureInputError.js';
import { drawGrid, drawReferenceLine } from './grid.js';
import { lagLabel, layerAxisLabel, layerLabel } from './labels.js';
import { xAxisSpace, yAxisSpace } from './layout.js';
import { chanceLegendEntry, drawLegend, layoutLegend, type LegendEntry } from './legend.js';
import { resolveOptions } from './options.js';
import { lagColor } from './theme.js';
import { figureTitle } from './titles.js';
import type { FigureOptions, ShareSignificantData } from './types.js';
import { checkFinite, checkLayerCount, checkLayers } from './validate.js';

const FIGURE = 'share-significant';
const ALPHA = 0.05;

/** Corpus: per layer and lag, the share of documents whose β has p < .05, as bars over the 5% line. */
export function shareSignificant(data: ShareSignificantData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const lags = checkLayerCount(data?.lags, 'lags');
  const layers = checkLayers<ShareSignificantData['layers'][number]>(data.layers, FIGURE).slice().sort((a, b) => a.layer - b.layer);
  for (const l of layers) {
    checkFinite(l.share, `${FIGURE}: layer ${l.layer} share`);
    if (l.share.length !== lags) throw new FigureInputError(`${FIGURE}: layer ${l.layer} needs one share per lag (${lags}, got ${l.share.length})`);
    for (let k = 0; k < lags; k++) {
      if (l.share[k]! < 0 || l.share[k]! > 1) throw new FigureInputError(`${FIGURE}: layer ${l.layer} lag ${k + 1} share ${l.share[k]} is not in [0, 1]`);
    }
  }
  const o = resolveOptions(options);
  const theme = o.theme;
  const frame = figureFrame(document, { figure: FIGURE, title: o.title ?? figureTitle(FIGURE, data.component), width: o.width, height: o.height, theme });

  const y = scaleLinear().domain([0, 1]);
  const yTicks = y.ticks(5);
  const yFormat = format('.0%');
  const ySpace = yAxisSpace(yTicks.map(yFormat), theme);
  const entries: LegendEntry[] = range(1, lags + 1).map((lag) => ({
    label: lagLabel(theme, lag),
    data: { lag },
    swatch: (g) => {
      g.append('rect').attr('x', -6).attr('y', -5).attr('width', 12).attr('height', 10).attr('fill', lagColor(theme, lag));
    },
  }));
  entries.push(chanceLegendEntry(theme));
  const top = frame.top + 10;
  const bottom = xAxisSpace(theme);
  const legend = layoutLegend(entries, theme, o.height - top - bottom);
  const margin = { top, right: legend.width + 20, bottom, left: ySpace.margin };
  const { plot, innerWidth, innerHeight } = plotGroup(frame, margin);
  const x = scaleBand<number>().domain(layers.map((l) => l.layer)).range([0, innerWidth]).paddingInner(0.25).paddingOuter(0.15);
  const xLag = scaleBand<number>().domain(range(1, lags + 1)).range([0, x.bandwidth()]).paddingInner(0.12);
  y.range([innerHeight, 0]);
  drawGrid(plot, { ys: yTicks.map(y), innerWidth, innerHeight, theme });

  const bars = plot.append('g').attr('class', 'share-bars');
  for (const l of layers) {
    for (const lag of range(1, lags + 1)) {
      const share = l.share[lag - 1]!;
      const bar = bars
        .append('rect')
        .attr('class', 'share-bar')
        .attr('data-layer', l.layer)
        .attr('data-lag', lag)
        .attr('data-share', share)
        .attr('x', round(x(l.layer)! + xLag(lag)!))
        .attr('y', round(y(share)))
        .attr('width', round(xLag.bandwidth()))
        .attr('height', round(innerHeight - y(share)))
        .attr('fill', lagColor(theme, lag));
      if (l.n !== undefined) bar.attr('data-n', l.n);
      bar.append('title').text(`Layer ${l.layer}, lag ${lag}: ${format('.1%')(share)}${l.n !== undefined ? ` of ${l.n} documents` : ''}`);
    }
  }
  drawReferenceLine(plot, { y: y(ALPHA), innerWidth, theme, className: 'share-reference' });

  drawAxes(plot, {
    bottom: axisBottom(x).tickFormat((d) => layerLabel(theme, Number(d))),
    left: axisLeft(y).tickValues(yTicks).tickFormat(yFormat),
    innerWidth,
    innerHeight,
    xLabel: layerAxisLabel(theme),
    yLabel: 'Documents with p < .05',
    yLabelOffset: ySpace.labelOffset,
    theme,
  });
  drawLegend(frame.root, entries, legend, theme, o.width - legend.width - 8, top);
  return frame.svg;
}
