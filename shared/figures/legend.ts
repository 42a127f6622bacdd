// A legend to the right of the plot: swatch + label rows, in as many columns as the height needs.
import type { Selection } from 'd3';
import type { G } from './frame.js';
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
      .attr('font-size', theme.tickSize)
      .attr('fill', theme.muted)
      .text(entry.label);
  });
}
