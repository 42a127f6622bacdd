// Marker shapes: lag 1 a square, lag 2 a circle, further lags d3's other filled symbols; `x` for p ≥ .05.
import { symbol, symbolCircle, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye, type Selection, type SymbolType } from 'd3';
import type { G } from './frame.js';
import { round } from './frame.js';

const LAG_SYMBOLS: readonly SymbolType[] = [symbolSquare, symbolCircle, symbolTriangle, symbolDiamond, symbolStar, symbolWye];

/** Draws lag `lag`'s filled marker centred at (x, y) with about `size` px across: rect, circle, or a symbol path. */
export function appendLagMarker(g: G, lag: number, x: number, y: number, size: number): Selection<SVGElement, unknown, null, undefined> {
  if (lag === 1) {
    return g
      .append<SVGElement>('rect')
      .attr('x', round(x - size / 2))
      .attr('y', round(y - size / 2))
      .attr('width', round(size))
      .attr('height', round(size));
  }
  if (lag === 2) return g.append<SVGElement>('circle').attr('cx', round(x)).attr('cy', round(y)).attr('r', round(size / 2 + 0.6));
  const type = LAG_SYMBOLS[(lag - 1) % LAG_SYMBOLS.length]!;
  return g
    .append<SVGElement>('path')
    .attr('transform', `translate(${round(x)},${round(y)})`)
    .attr('d', symbol(type, size * size * 1.1)()!);
}

/** An `x` of half-width r centred at (x, y), as one path. */
export function xMarkPath(x: number, y: number, r: number): string {
  const [a, b, c, d] = [round(x - r), round(x + r), round(y - r), round(y + r)];
  return `M${a},${c}L${b},${d}M${a},${d}L${b},${c}`;
}

/**
 * A regular hexagon of circumradius r centred at (x, y), a vertex straight up (matplotlib's 'h'): the top corner,
 * then relative steps clockwise (the same for every marker, so thousands of them stay short in the file).
 */
export function hexagonPath(x: number, y: number, r: number): string {
  const [dx, dy, side] = [round((r * Math.sqrt(3)) / 2), round(r / 2), round(r)];
  return `M${round(x)},${round(y - r)}l${dx},${dy}v${side}l${-dx},${dy}l${-dx},${-dy}v${-side}z`;
}
