// A legend to the right of the plot: swatch + label rows, in as many columns as the height needs.
import type { Selection } from 'd3';
import { round, type G } from './frame.js';
import type { Theme } from './theme.js';
import { estimateTextWidth } from './textWidth.js';

export interface LegendEntry {
  label: string;
  /** Draws the swatch centred on (0, 0), at most 16 px wide. */
  swatch: (g: G) => void;
  /** Extra data attributes on the entry's group, for hover linking. */
  data?: Record<string, string | number>;
}

export interface LegendLayout {
  width: number;
  height: number;
  rows: number;
  columns: number;
  columnWidth: number;
}

const ROW = 18;
const SWATCH = 22;

export function layoutLegend(entries: LegendEntry[], theme: Theme, maxHeight: number): LegendLayout {
  const rowsFit = Math.max(1, Math.floor(maxHeight / ROW));
  const columns = Math.max(1, Math.ceil(entries.length / rowsFit));
  const rows = Math.ceil(entries.length / columns);
  const columnWidth = SWATCH + Math.max(0, ...entries.map((e) => estimateTextWidth(e.label, theme.tickSize))) + 10;
  return { width: entries.length ? columns * columnWidth : 0, height: rows * ROW, rows, columns, columnWidth };
}

export function drawLegend<E extends SVGElement>(parent: Selection<E, unknown, null, undefined>, entries: LegendEntry[], layout: LegendLayout, theme: Theme, x: number, y: number): void {
  const g = parent.append('g').attr('class', 'legend').attr('transform', `translate(${x},${y})`);
  entries.forEach((entry, i) => {
    const col = Math.floor(i / layout.rows);
    const row = i % layout.rows;
    const item = g
      .append('g')
      .attr('class', 'legend-entry')
      .attr('transform', `translate(${col * layout.columnWidth},${row * ROW + ROW / 2})`);
    for (const [k, v] of Object.entries(entry.data ?? {})) item.attr(`data-${k}`, v);
    entry.swatch(item.append('g').attr('transform', `translate(${SWATCH / 2 - 2},0)`));
    item
      .append('text')
      .attr('x', SWATCH)
      .attr('dy', '0.35em')
      .attr('font-size', round(theme.tickSize))
      .attr('fill', theme.muted)
      .text(entry.label);
  });
}

export interface InsetLegendSpec {
  labels: { label: string; colour: string; lineWidth: number; data?: Record<string, string | number> }[];
  fontSize: number;
  innerWidth: number;
  innerHeight: number;
  /** The plotted polylines, in plot pixels: the legend goes where it covers the fewest of their points and lines. */
  lines: [number, number][][];
  background: string;
  text: string;
}

/**
 * matplotlib's legend inside the axes: line handles, its paddings (in font sizes), a rounded frame (0.8 grey,
 * 80 % opaque face), placed as `loc='best'` does: the first of its ten places with the least data under it.
 */
export function drawInsetLegend(plot: G, spec: InsetLegendSpec): { x: number; y: number; width: number; height: number } {
  const f = spec.fontSize;
  const [pad, gap, handle, handlePad, axesPad] = [0.4 * f, 0.5 * f, 2 * f, 0.8 * f, 0.5 * f];
  const textWidth = Math.max(0, ...spec.labels.map((l) => estimateTextWidth(l.label, f)));
  const width = 2 * pad + handle + handlePad + textWidth;
  const n = spec.labels.length;
  const height = 2 * pad + n * f + Math.max(0, n - 1) * gap;
  const [W, H] = [spec.innerWidth, spec.innerHeight];
  const [left, cx, right] = [axesPad, (W - width) / 2, W - axesPad - width];
  const [top, cy, bottom] = [axesPad, (H - height) / 2, H - axesPad - height];
  // matplotlib's order: upper right, upper left, lower left, lower right, right, center left, center right, lower center, upper center, center
  const places: [number, number][] = [[right, top], [left, top], [left, bottom], [right, bottom], [right, cy], [left, cy], [right, cy], [cx, bottom], [cx, top], [cx, cy]];
  let best = places[0]!;
  let least = Infinity;
  for (const [x, y] of places) {
    const box = { x0: x, y0: y, x1: x + width, y1: y + height };
    const inside = spec.lines.flat().filter(([px, py]) => px >= box.x0 && px <= box.x1 && py >= box.y0 && py <= box.y1).length;
    const crossing = spec.lines.filter((l) => l.some((p, i) => i > 0 && segmentMeetsBox(l[i - 1]!, p, box))).length;
    if (inside + crossing < least) [least, best] = [inside + crossing, [x, y]];
    if (least === 0) break;
  }
  const g = plot.append('g').attr('class', 'legend legend-inset').attr('transform', `translate(${round(best[0])},${round(best[1])})`);
  g.append('rect')
    .attr('class', 'legend-frame')
    .attr('width', round(width))
    .attr('height', round(height))
    .attr('rx', round(0.2 * f))
    .attr('fill', spec.background)
    .attr('fill-opacity', 0.8)
    .attr('stroke', '#cccccc')
    .attr('stroke-width', round(96 / 72));
  spec.labels.forEach((l, i) => {
    const y = pad + i * (f + gap) + f / 2;
    const item = g.append('g').attr('class', 'legend-entry').attr('transform', `translate(0,${round(y)})`);
    for (const [k, v] of Object.entries(l.data ?? {})) item.attr(`data-${k}`, v);
    item.append('line').attr('x1', round(pad)).attr('x2', round(pad + handle)).attr('stroke', l.colour).attr('stroke-width', round(l.lineWidth));
    item
      .append('text')
      .attr('x', round(pad + handle + handlePad))
      .attr('dy', '0.35em')
      .attr('font-size', round(f))
      .attr('fill', spec.text)
      .text(l.label);
  });
  return { x: best[0], y: best[1], width, height };
}

/** Whether the segment a–b touches the box (Liang–Barsky clipping). */
function segmentMeetsBox(a: [number, number], b: [number, number], box: { x0: number; y0: number; x1: number; y1: number }): boolean {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  let [t0, t1] = [0, 1];
  for (const [p, q] of [[-dx, a[0] - box.x0], [dx, box.x1 - a[0]], [-dy, a[1] - box.y0], [dy, box.y1 - a[1]]] as const) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return false;
    }
  }
  return true;
}

/** The dashed 5% reference line's legend entry (the share figures draw that line at chance level). */
export function chanceLegendEntry(theme: Theme): LegendEntry {
  return {
    label: '5% (chance)',
    swatch: (g) => {
      g.append('line').attr('x1', -9).attr('x2', 9).attr('stroke', theme.reference).attr('stroke-width', 1.2).attr('stroke-dasharray', '5 4');
    },
  };
}
