import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { renderFigureSvg } from '../../electron/core/figures/index.js';
import { isNormscopeError } from '../../electron/core/errors.js';
import { attentionNormStrip, FIGURE_NAMES, THEME_NAMES, type FigureName } from '../../shared/figures/index.js';
import { sampleData } from './samples.js';

function parse(svg: string): Document {
  return new new JSDOM('').window.DOMParser().parseFromString(svg, 'image/svg+xml');
}

describe('renderFigureSvg(figure, data, options)', () => {
  it.each(FIGURE_NAMES.map((n) => [n]))('writes %s as a standalone SVG that parses and carries its title', (name: FigureName) => {
    const { data, title } = sampleData(name);
    for (const theme of THEME_NAMES) {
      const text = renderFigureSvg(name, data as never, { theme, width: 600, height: 380 });
      expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      const doc = parse(text);
      expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
      const root = doc.documentElement;
      expect(root.namespaceURI).toBe('http://www.w3.org/2000/svg');
      expect(root.getAttribute('data-figure')).toBe(name);
      expect([root.getAttribute('width'), root.getAttribute('height'), root.getAttribute('viewBox')]).toEqual(['600', '380', '0 0 600 380']);
      expect(root.querySelector(':scope > title')!.textContent).toBe(title);
      expect(root.querySelector('text.figure-title')!.textContent).toBe(title);
      // looks come from attributes alone: no stylesheet, no colour left to an outer page
      expect(text).not.toMatch(/<style|currentColor|style="/);
    }
  });

  it('takes a renderer function as well as a name, and the same input gives the same file', () => {
    const { data } = sampleData('attention-norm-strip');
    const byFn = renderFigureSvg(attentionNormStrip, data as never, { seed: 5 });
    expect(byFn).toBe(renderFigureSvg('attention-norm-strip', data as never, { seed: 5 }));
    expect(byFn).not.toBe(renderFigureSvg('attention-norm-strip', data as never, { seed: 6 }));
  });

  it('turns misuse into a NormscopeError BAD_INPUT', () => {
    const catchErr = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      throw new Error('no error');
    };
    const unknown = catchErr(() => renderFigureSvg('no-such-figure' as FigureName, {} as never));
    expect(isNormscopeError(unknown, 'BAD_INPUT')).toBe(true);
    const bad = catchErr(() => renderFigureSvg('beta-across-layers', { lags: 2, layers: [{ layer: 0, params: [1], pvalues: [1] }] }));
    expect(isNormscopeError(bad, 'BAD_INPUT')).toBe(true);
    expect((bad as Error).message).toMatch(/intercept and 2 lags/);
  });
});
