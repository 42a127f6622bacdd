import { axisBottom, axisLeft, bin, interpolatePlasma, line, max, scaleLinear, type ScaleLinear } from 'd3';
import { drawAxes } from './axes.js';
import { startFigure } from './figureStart.js';
import { plotGroup, round, type G } from './frame.js';
import { freedmanDiaconisEdges } from './freedmanDiaconisEdges.js';
import { drawGrid } from './grid.js';
import { logNormAxisLabel } from './labels.js';
import { paddedDomain, xAxisSpace, yAxisSpace } from './layout.js';
import { drawLegend, layoutLegend, type LegendEntry } from './legend.js';
import { NOTEBOOK } from './notebookStyle.js';
import { markOutline, type Theme } from './theme.js';
import type { FigureOptions, LayerLogNorms, LogNormData } from './types.js';
import { checkLogNormData } from './validate.js';

const FIGURE = 'attention-norm-histograms';
const MARKER = 6;

interface BinPoint {
  left: number;
  centre: number;
  count: number;
}

interface LayerHistogram {
  layer: number;
  colour: string;
  points: BinPoint[];
  edges: number[];
}

/**
 * "Attention norm distributions": per layer, a histogram of the log norms of tokens 1..T-1 with
 * numpy's Freedman–Diaconis bins, drawn as a line with square markers: through the bin centres, or in
 * the notebook style through (left bin edge, count) as its `plt.plot(x[:-1], y, 's-')` does, with no legend.
 */
export function attentionNormHistograms(data: LogNormData, options: FigureOptions | undefined, document: Document): SVGSVGElement {
  const { nLayers, layers } = checkLogNormData(data, FIGURE);
  const { o, theme, notebook, frame } = startFigure(document, FIGURE, data.component, options);

  const hists = layers.map((l) => layerHistogram(l, nLayers));
  const { x, y } = histogramScales(hists);
  const yTicks = y.ticks(6).filter(Number.isInteger);
  const ySpace = yAxisSpace(yTicks.map(String), theme);

  const entries = notebook ? [] : hists.map(legendEntry);
  const top = frame.top + 10;
  const bottom = xAxisSpace(theme);
  const legend = layoutLegend(entries, theme, o.height - top - bottom);
  const margin = { top, right: entries.length ? legend.width + 20 : 18, bottom, left: ySpace.margin };
  const { plot, innerWidth, innerHeight } = plotGroup(frame, margin);
  x.range([0, innerWidth]);
  y.range([innerHeight, 0]);
  const xTicks = x.ticks(Math.max(2, Math.floor(innerWidth / 70)));
  if (!notebook) drawGrid(plot, { xs: xTicks.map(x), ys: yTicks.map(y), innerWidth, innerHeight, theme });

  drawHistograms(plot, hists, { x, y, theme, notebook });

  drawAxes(plot, {
    bottom: axisBottom(x).tickValues(xTicks).tickFormat(x.tickFormat()),
    left: axisLeft(y).tickValues(yTicks).tickFormat((d) => String(d)),
    innerWidth,
    innerHeight,
    xLabel: logNormAxisLabel(theme, data.component),
    yLabel: 'Count',
    yLabelOffset: ySpace.labelOffset,
    theme,
  });
  if (entries.length) drawLegend(frame.root, entries, legend, theme, o.width - legend.width - 8, top);
  return frame.svg;
}

/** One layer's counts in numpy's Freedman–Diaconis bins of its tokens 1..T-1, coloured plasma(layer / nLayers). */
function layerHistogram(l: LayerLogNorms, nLayers: number): LayerHistogram {
  const values = Array.from(l.logNorms).slice(1);
  const edges = freedmanDiaconisEdges(values);
  // explicit edges: a count would let d3 "nice" them away from numpy's
  const bins = bin()
    .domain([edges[0]!, edges[edges.length - 1]!])
    .thresholds(edges.slice(1, -1))(values);
  return {
    layer: l.layer,
    colour: interpolatePlasma(l.layer / nLayers),
    points: bins.map((b, i) => ({ left: edges[i]!, centre: (edges[i]! + edges[i + 1]!) / 2, count: b.length })),
    edges,
  };
}

/** x over every layer's bin edges (2% air), y from 0 to the largest count (5% air), both nice; ranges come later. */
function histogramScales(hists: LayerHistogram[]): { x: ScaleLinear<number, number>; y: ScaleLinear<number, number> } {
  const allEdges = hists.flatMap((h) => [h.edges[0]!, h.edges[h.edges.length - 1]!]);
  const x = scaleLinear().domain(allEdges.length ? paddedDomain(Math.min(...allEdges), Math.max(...allEdges), 0.02) : [0, 1]).nice();
  const y = scaleLinear().domain([0, Math.max(1, max(hists.flatMap((h) => h.points.map((p) => p.count))) ?? 1) * 1.05]).nice();
  return { x, y };
}

function legendEntry(h: LayerHistogram): LegendEntry {
  return {
    label: `Layer ${h.layer}`,
    data: { layer: h.layer },
    swatch: (g) => {
      g.append('line').attr('x1', -9).attr('x2', 9).attr('stroke', h.colour).attr('stroke-width', 1.6);
      g.append('rect').attr('x', -MARKER / 2).attr('y', -MARKER / 2).attr('width', MARKER).attr('height', MARKER).attr('fill', h.colour);
    },
  };
}

/** Each layer's line and square markers: at bin centres, or at left edges in the notebook style. */
function drawHistograms(
  plot: G,
  hists: LayerHistogram[],
  spec: { x: ScaleLinear<number, number>; y: ScaleLinear<number, number>; theme: Theme; notebook: boolean },
): void {
  const { x, y, theme, notebook } = spec;
  const at = (p: BinPoint) => (notebook ? p.left : p.centre);
  const marker = notebook ? NOTEBOOK.histogram.markerSize : MARKER;
  const lineWidth = notebook ? NOTEBOOK.histogram.lineWidth : 1.6;
  const path = line<BinPoint>()
    .x((p) => round(x(at(p))))
    .y((p) => round(y(p.count)));
  const layersG = plot.append('g').attr('class', 'hist-layers');
  for (const h of hists) {
    const g = layersG.append('g').attr('class', 'hist-layer').attr('data-layer', h.layer).attr('data-bins', h.points.length);
    g.append('path').attr('class', 'hist-line').attr('d', path(h.points)!).attr('fill', 'none').attr('stroke', h.colour).attr('stroke-width', round(lineWidth)).attr('stroke-linejoin', 'round');
    for (const p of h.points) {
      g.append('rect')
        .attr('class', 'hist-marker')
        .attr('data-count', p.count)
        .attr('data-centre', p.centre)
        .attr('data-left', p.left)
        .attr('x', round(x(at(p)) - marker / 2))
        .attr('y', round(y(p.count) - marker / 2))
        .attr('width', round(marker))
        .attr('height', round(marker))
        .attr('fill', h.colour)
        // matplotlib's marker edge is the line's colour
        .attr('stroke', notebook ? h.colour : markOutline(theme, h.colour))
        .attr('stroke-width', notebook ? round(NOTEBOOK.histogram.edgeWidth) : 0.6);
    }
  }
}
