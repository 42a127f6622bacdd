import { format, range, scaleLinear } from 'd3';
import { startFigure } from './figureStart.js';
import { round } from './frame.js';
import { FigureInputError } from './figureInputError.js';
import { drawReferenceLine } from './grid.js';
import { lagLabel } from './labels.js';
import { layoutLayerLagPlot } from './layerLagPlot.js';
import { chanceLegendEntry, type LegendEntry } from './legend.js';
import { lagColor } from './theme.js';
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
  const { theme, frame } = startFigure(document, FIGURE, data.component, options);

  const y = scaleLinear().domain([0, 1]);
  const entries: LegendEntry[] = range(1, lags + 1).map((lag) => ({
    label: lagLabel(theme, lag),
    data: { lag },
    swatch: (g) => {
      g.append('rect').attr('x', -6).attr('y', -5).attr('width', 12).attr('height', 10).attr('fill', lagColor(theme, lag));
    },
  }));
  entries.push(chanceLegendEntry(theme));
  const spec = { layers: layers.map((l) => l.layer), lags, lagPadding: 0.12, entries, y, yTicks: y.ticks(5), yFormat: format('.0%'), yLabel: 'Documents with p < .05' };
  const laid = layoutLayerLagPlot(frame, spec);
  const { plot, innerWidth, innerHeight, x, xLag } = laid;

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

  laid.finish();
  return frame.svg;
}
