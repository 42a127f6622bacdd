import { describe, expect, it } from 'vitest';
import { betaDistributions, FigureInputError } from '../../shared/figures/index.js';
import { newDocument, num, parkMiller, rootHooks } from './support.js';

function corpus(nLayers: number, lags: number, docs: number) {
  const rnd = parkMiller(11);
  return {
    lags,
    component: 'attn' as const,
    layers: Array.from({ length: nLayers }, (_, layer) => ({
      layer,
      betas: Array.from({ length: lags }, (_, k) => Array.from({ length: docs }, () => 0.3 - 0.1 * k + 0.4 * (rnd() - 0.5))),
    })),
  };
}

/** Quartile by linear interpolation between order statistics (numpy's default, R's type 7). */
function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]!);
}

describe('betaDistributions(data, options, document)', () => {
  it('draws one group per layer and lag, with a point per document', () => {
    const data = corpus(4, 2, 25);
    const svg = betaDistributions(data, {}, newDocument());
    const groups = [...svg.querySelectorAll('g.beta-dist')];
    expect(groups).toHaveLength(8);
    for (const g of groups) {
      expect(num(g, 'data-n')).toBe(25);
      expect(g.querySelectorAll('circle.beta-dist-point')).toHaveLength(25);
      expect(g.querySelectorAll('rect.beta-dist-box')).toHaveLength(1);
      expect(g.querySelectorAll('line.beta-dist-median')).toHaveLength(1);
    }
    expect(rootHooks(svg)).toMatchObject({ figure: 'beta-distributions', title: 'Attention: β across documents' });
  });

  it('spans the box over the quartiles and puts the median inside it', () => {
    const data = corpus(2, 2, 31);
    const svg = betaDistributions(data, {}, newDocument());
    for (const g of svg.querySelectorAll('g.beta-dist')) {
      const values = Array.from(data.layers[num(g, 'data-layer')]!.betas[num(g, 'data-lag') - 1]!).sort((a, b) => a - b);
      const pts = [...g.querySelectorAll('circle.beta-dist-point')];
      // points are in data order: recover the value → pixel map from the extreme ones
      const raw = Array.from(data.layers[num(g, 'data-layer')]!.betas[num(g, 'data-lag') - 1]!);
      const [iMin, iMax] = [raw.indexOf(values[0]!), raw.indexOf(values[values.length - 1]!)];
      const slope = (num(pts[iMax]!, 'cy') - num(pts[iMin]!, 'cy')) / (values[values.length - 1]! - values[0]!);
      const toY = (v: number) => num(pts[iMin]!, 'cy') + slope * (v - values[0]!);
      const box = g.querySelector('rect.beta-dist-box')!;
      expect(num(box, 'y')).toBeCloseTo(toY(quantile(values, 0.75)), 0);
      expect(num(box, 'y') + num(box, 'height')).toBeCloseTo(toY(quantile(values, 0.25)), 0);
      expect(num(g.querySelector('line.beta-dist-median')!, 'y1')).toBeCloseTo(toY(quantile(values, 0.5)), 0);
    }
  });

  it('accepts an empty layer and rejects a missing lag', () => {
    const svg = betaDistributions({ lags: 1, layers: [{ layer: 0, betas: [[]] }, { layer: 1, betas: [[0.2, 0.3]] }] }, {}, newDocument());
    expect([...svg.querySelectorAll('g.beta-dist')].map((g) => num(g, 'data-n'))).toEqual([0, 2]);
    expect(() => betaDistributions({ lags: 2, layers: [{ layer: 0, betas: [[0.1]] }] }, {}, newDocument())).toThrow(FigureInputError);
  });
});
