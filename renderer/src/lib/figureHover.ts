// Hover linking on the document figures: which token or layer the pointer is on, and marking it across a figure.
import type { DocumentFigure } from '../../../shared/ipc';
import type { Hover } from './state.svelte';

/** Marks the hovered token's points (strip, heat map) and the hovered layer's histogram and β markers. */
export function linkHover(svg: SVGSVGElement, figure: DocumentFigure, h: Hover | null): void {
  for (const el of svg.querySelectorAll('.linked, .linked-layer')) el.classList.remove('linked', 'linked-layer');
  const token = h?.token ?? null;
  const layer = h?.layer ?? null;
  svg.classList.toggle('linking', token !== null);
  svg.classList.toggle('linking-layer', layer !== null && figure === 'attention-norm-histograms');
  if (token !== null) for (const el of svg.querySelectorAll(`[data-token="${token}"]`)) el.classList.add('linked');
  if (layer !== null) {
    for (const el of svg.querySelectorAll(`g.hist-layer[data-layer="${layer}"], .beta-marker[data-layer="${layer}"]`)) el.classList.add('linked-layer');
  }
}

function num(el: Element | null, attr: string): number | null {
  const v = el?.getAttribute(attr);
  return v === null || v === undefined || v === '' ? null : Number(v);
}

/** The token and layer under the pointer, or null off every marked element. */
export function hoverAt(e: PointerEvent): Hover | null {
  const target = e.target as Element;
  const tokenEl = target.closest('[data-token]');
  const layerEl = target.closest('[data-layer]');
  if (!tokenEl && !layerEl) return null;
  return {
    token: num(tokenEl, 'data-token'),
    layer: num(layerEl, 'data-layer'),
    value: num(tokenEl ?? layerEl, 'data-value') ?? num(layerEl, 'data-beta'),
    x: e.clientX,
    y: e.clientY,
  };
}

/** The layer a click landed on, if any. */
export function layerAt(e: MouseEvent): number | null {
  return num((e.target as Element).closest('[data-layer]'), 'data-layer');
}
