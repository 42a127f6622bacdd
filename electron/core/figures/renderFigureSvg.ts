import { FIGURES, FigureInputError, type FigureDataMap, type FigureName, type FigureOptions, type FigureRenderer } from '../../../shared/figures/index.js';
import { NormscopeError } from '../errors.js';
import { serverDocument } from './serverDocument.js';

/**
 * A figure as a standalone SVG file's text (XML declaration, xmlns, inline styles), drawn by the
 * shared renderer — chosen by name or given — on the server-side DOM.
 */
export function renderFigureSvg<N extends FigureName>(figure: N, data: FigureDataMap[N], options?: FigureOptions): string;
export function renderFigureSvg<D>(figure: FigureRenderer<D>, data: D, options?: FigureOptions): string;
export function renderFigureSvg(figure: FigureName | FigureRenderer<unknown>, data: unknown, options?: FigureOptions): string {
  const render = typeof figure === 'function' ? figure : (FIGURES as Record<string, FigureRenderer<unknown> | undefined>)[figure];
  if (!render) throw new NormscopeError('BAD_INPUT', `unknown figure "${String(figure)}" (known: ${Object.keys(FIGURES).join(', ')})`);
  const { document, serializer } = serverDocument();
  let svg: SVGSVGElement;
  try {
    svg = render(data, options, document);
  } catch (e) {
    if (e instanceof FigureInputError) throw new NormscopeError('BAD_INPUT', e.message, { figure: typeof figure === 'string' ? figure : figure.name });
    throw e;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serializer.serializeToString(svg)}\n`;
}
