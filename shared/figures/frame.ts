// The root every figure shares: the <svg> with its DOM hooks, a solid background, the title.
import { select, type Selection } from 'd3';
import type { Theme } from './theme.js';
import type { FigureName } from './types.js';
import { estimateTextWidth } from './textWidth.js';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export type Root = Selection<SVGSVGElement, unknown, null, undefined>;
export type G = Selection<SVGGElement, unknown, null, undefined>;

export interface Frame {
  svg: SVGSVGElement;
  root: Root;
  theme: Theme;
  width: number;
  height: number;
  /** y below the title, where the plot's top margin starts. */
  top: number;
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export function figureFrame(
  document: Document,
  spec: { figure: FigureName; title: string; width: number; height: number; theme: Theme },
): Frame {
  const { figure, title, width, height, theme } = spec;
  const svg = document.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  const root: Root = select(svg)
    .attr('xmlns', SVG_NS)
    .attr('class', 'figure')
    .attr('data-figure', figure)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('font-family', theme.fontFamily)
    .attr('role', 'img');
  root.append('title').text(title);
  root.append('rect').attr('class', 'figure-background').attr('width', width).attr('height', height).attr('fill', theme.background);
  // shrink a long title to the width rather than clip it
  const fit = (width - 24) / estimateTextWidth(title, 1);
  const size = Math.max(9, Math.min(theme.titleSize, fit));
  root
    .append('text')
    .attr('class', 'figure-title')
    .attr('x', width / 2)
    .attr('y', 10 + size)
    .attr('text-anchor', 'middle')
    .attr('font-size', round(size))
    .attr('font-weight', 'bold')
    .attr('fill', theme.text)
    .text(title);
  return { svg, root, theme, width, height, top: 18 + size };
}

/** The plot area's group, translated by its margins. */
export function plotGroup(frame: Frame, margin: Margin): { plot: G; innerWidth: number; innerHeight: number } {
  const plot = frame.root.append('g').attr('class', 'plot').attr('transform', `translate(${round(margin.left)},${round(margin.top)})`);
  return {
    plot,
    innerWidth: Math.max(1, frame.width - margin.left - margin.right),
    innerHeight: Math.max(1, frame.height - margin.top - margin.bottom),
  };
}

/** Two decimals: enough for pixels, short in the file. */
export function round(v: number): number {
  return Math.round(v * 100) / 100;
}
