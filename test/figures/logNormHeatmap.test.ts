import { color, interpolateViridis } from 'd3';
import { describe, expect, it } from 'vitest';
import { FigureInputError, logNormHeatmap } from '../../shared/figures/index.js';
import { DOCS, logNormData, newDocument, num, rootHooks, tinyA } from './support.js';

describe('logNormHeatmap(data, options, document)', () => {
  it('draws one cell per token 1..T-1 and layer, each carrying its layer, token and value', () => {
    for (const doc of DOCS) {
      const data = logNormData(doc, 'attn');
      const T = tinyA().documents[doc]!.ids.length;
      const cells = [...logNormHeatmap(data, {}, newDocument()).querySelectorAll('rect.heat-cell')];
      expect(cells).toHaveLength((T - 1) * 3);
      const keys = new Set(cells.map((c) => `${c.getAttribute('data-layer')}/${c.getAttribute('data-token')}`));
      expect(keys.size).toBe(cells.length);
      expect(keys.has('0/0')).toBe(false);
      for (const c of cells) {
        expect(num(c, 'data-value')).toBeCloseTo(data.layers[num(c, 'data-layer')]!.logNorms[num(c, 'data-token')]!, 5);
      }
    }
  });

  it('lays tokens across and layers down, coloured by viridis from the smallest to the largest value', () => {
    const data = logNormData('lighthouse', 'attn');
    const svg = logNormHeatmap(data, {}, newDocument());
    const cells = [...svg.querySelectorAll('rect.heat-cell')];
    const at = (layer: number, token: number) => cells.find((c) => num(c, 'data-layer') === layer && num(c, 'data-token') === token)!;
    expect(num(at(0, 2), 'x')).toBeGreaterThan(num(at(0, 1), 'x'));
    expect(num(at(1, 1), 'y')).toBeGreaterThan(num(at(0, 1), 'y'));
    const sorted = cells.slice().sort((a, b) => num(a, 'data-value') - num(b, 'data-value'));
    expect(color(sorted[0]!.getAttribute('fill')!)!.formatHex()).toBe(color(interpolateViridis(0))!.formatHex());
    expect(color(sorted[sorted.length - 1]!.getAttribute('fill')!)!.formatHex()).toBe(color(interpolateViridis(1))!.formatHex());
    expect(rootHooks(svg).figure).toBe('log-norm-heatmap');
    expect(rootHooks(svg).title).toBe('Attention log norms by token and layer');
    expect(svg.querySelector('g.colour-bar')).not.toBeNull();
  });

  it('rejects layers of different lengths', () => {
    const data = { nLayers: 2, layers: [{ layer: 0, logNorms: [1, 2, 3] }, { layer: 1, logNorms: [1, 2] }] };
    expect(() => logNormHeatmap(data, {}, newDocument())).toThrow(FigureInputError);
  });
});
