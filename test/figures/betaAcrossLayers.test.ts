import { describe, expect, it } from 'vitest';
import { betaAcrossLayers, FigureInputError } from '../../shared/figures/index.js';
import { betaData, COMPONENTS, DOCS, newDocument, num, rootHooks, tinyA, tapOf } from './support.js';

describe('betaAcrossLayers(data, options, document)', () => {
  it('draws one marker per layer and lag, significant exactly where p < .05', () => {
    let seen = { sig: 0, not: 0 };
    for (const doc of DOCS) {
      for (const c of COMPONENTS) {
        const svg = betaAcrossLayers(betaData(doc, c), {}, newDocument());
        const markers = [...svg.querySelectorAll('.beta-marker')];
        expect(markers).toHaveLength(3 * 2);
        for (const m of markers) {
          const [layer, lag] = [num(m, 'data-layer'), num(m, 'data-lag')];
          const fit = tinyA().documents[doc]!.taps[tapOf(layer, c)]!.ar2;
          const significant = fit.pvalues[lag]! < 0.05;
          expect(m.getAttribute('data-significant')).toBe(String(significant));
          expect(num(m, 'data-beta')).toBe(fit.params[lag]);
          // lag 1 a square, lag 2 a circle; an `x` path where p ≥ .05
          expect(m.tagName.toLowerCase()).toBe(significant ? (lag === 1 ? 'rect' : 'circle') : 'path');
          seen = significant ? { ...seen, sig: seen.sig + 1 } : { ...seen, not: seen.not + 1 };
        }
        const pairs = markers.map((m) => `${m.getAttribute('data-layer')}/${m.getAttribute('data-lag')}`).sort();
        expect(pairs).toEqual(['0/1', '0/2', '1/1', '1/2', '2/1', '2/2']);
      }
    }
    // the fixture has both kinds, so both branches ran
    expect(seen.sig).toBeGreaterThan(0);
    expect(seen.not).toBeGreaterThan(0);
  });

  it('places markers by β, with a zero line, a grid, a legend and the notebook title', () => {
    const svg = betaAcrossLayers(betaData('lighthouse', 'mlp'), {}, newDocument());
    const centreY = (m: Element) =>
      m.tagName === 'rect' ? num(m, 'y') + num(m, 'height') / 2 : m.tagName === 'circle' ? num(m, 'cy') : Number(/,(-?[\d.]+)/.exec(m.getAttribute('d')!)![1]) + 4.4;
    const byBeta = [...svg.querySelectorAll('.beta-marker')].map((m) => [num(m, 'data-beta'), centreY(m)] as const).sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < byBeta.length; k++) expect(byBeta[k]![1]).toBeLessThan(byBeta[k - 1]![1]);
    // the zero line sits between the negative and the positive βs
    const zeroY = num(svg.querySelector('line.zero-line')!, 'y1');
    for (const [beta, y] of byBeta) expect(Math.sign(zeroY - y)).toBe(Math.sign(beta));
    expect(svg.querySelectorAll('g.grid line').length).toBeGreaterThan(3);
    expect([...svg.querySelectorAll('.legend-entry')].map((e) => e.textContent)).toEqual(['Lag 1', 'Lag 2', 'p ≥ .05']);
    expect(rootHooks(betaAcrossLayers(betaData('lighthouse', 'attn'), {}, newDocument())).title).toBe('Predicting token update from previous token updates');
    expect(rootHooks(svg).figure).toBe('beta-across-layers');
    expect([...svg.querySelectorAll('.axis-label')].map((t) => t.textContent)).toEqual(['Layer', 'β']);
  });

  it('draws further lags with other symbols', () => {
    const data = {
      lags: 4,
      layers: [0, 1].map((layer) => ({ layer, params: [0, 0.4, 0.2, -0.1, 0.05], pvalues: [0.5, 0.001, 0.01, 0.02, 0.3] })),
    };
    const svg = betaAcrossLayers(data, {}, newDocument());
    const at = (lag: number) => [...svg.querySelectorAll(`.beta-marker[data-lag="${lag}"]`)];
    expect(at(1).map((m) => m.tagName)).toEqual(['rect', 'rect']);
    expect(at(2).map((m) => m.tagName)).toEqual(['circle', 'circle']);
    expect(at(3).every((m) => m.tagName === 'path' && m.getAttribute('data-significant') === 'true' && !m.classList.contains('beta-x'))).toBe(true);
    expect(at(4).every((m) => m.classList.contains('beta-x') && m.getAttribute('data-significant') === 'false')).toBe(true);
    expect(svg.querySelectorAll('.legend-entry')).toHaveLength(5);
  });

  it('rejects params that do not hold the intercept and every lag', () => {
    const data = { lags: 2, layers: [{ layer: 0, params: [0.3, 0.2], pvalues: [0.01, 0.02] }] };
    expect(() => betaAcrossLayers(data, {}, newDocument())).toThrow(FigureInputError);
    expect(() => betaAcrossLayers({ lags: 2, layers: [{ layer: 0, params: [0, 1, Number.NaN], pvalues: [0, 0, 0] }] }, {}, newDocument())).toThrow(/finite/);
  });
});
