import { describe, expect, it } from 'vitest';
import { compareBetaDepth, FigureInputError, modelColor, THEME_NAMES, THEMES, type CompareBetaData } from '../../shared/figures/index.js';
import { comparisonFigureData } from '../../electron/core/compare/index.js';
import { patternFits, syntheticComparison } from '../compare/synthetic.js';
import { newDocument, num, rootHooks } from './support.js';

// Student's t 0.975 quantile with 2 degrees of freedom (three documents), from the tables: 4.302652729911275
const T975_DF2 = 4.302652729911275;

const one = syntheticComparison([
  { name: 'shallow', nLayer: 2, fits: patternFits(1, 2, (_, layer, lag) => (lag === 1 ? [0.049999, 0.05][layer]! : [1e-9, 0.7][layer]!)) },
  { name: 'deep', nLayer: 4, fits: patternFits(1, 4, (_, layer, lag) => (lag === 1 ? [0.2, 0.001, 0.0500001, 0.04][layer]! : [0.5, 0.01, 0.3, 0.049][layer]!)) },
]);
const three = syntheticComparison([
  { name: 'shallow', nLayer: 2, fits: patternFits(3, 2, () => 0.01) },
  { name: 'deep', nLayer: 4, fits: patternFits(3, 4, () => 0.01) },
]);

const markers = (svg: SVGSVGElement) => [...svg.querySelectorAll('circle.beta-marker')];

/** Pixel y of a β, from two markers of the figure (the scale is linear). */
function yScale(svg: SVGSVGElement): (beta: number) => number {
  const ms = markers(svg);
  const [a, b] = [ms[0]!, ms.find((m) => num(m, 'data-beta') !== num(ms[0]!, 'data-beta'))!];
  const slope = (num(b, 'cy') - num(a, 'cy')) / (num(b, 'data-beta') - num(a, 'data-beta'));
  return (beta) => num(a, 'cy') + (beta - num(a, 'data-beta')) * slope;
}

describe('compareBetaDepth(data, options, document)', () => {
  it('puts every layer at x proportional to layer / (n_layer − 1): both models share depth 0 and 1', () => {
    const svg = compareBetaDepth(comparisonFigureData(one)['compare-beta-depth'], {}, newDocument());
    const ms = markers(svg);
    const at = (model: number, layer: number) => num(ms.find((m) => num(m, 'data-model') === model && num(m, 'data-layer') === layer)!, 'cx');
    const [x0, x1] = [at(1, 0), at(1, 3)];
    expect(x1).toBeGreaterThan(x0);
    for (const layer of [0, 1, 2, 3]) expect(at(1, layer)).toBeCloseTo(x0 + (layer / 3) * (x1 - x0), 1);
    expect(at(0, 0)).toBeCloseTo(x0, 1);
    expect(at(0, 1)).toBeCloseTo(x1, 1);
    expect(rootHooks(svg)).toMatchObject({ figure: 'compare-beta-depth', title: 'β by relative depth' });
  });

  it('fills a marker exactly where p < .05 and leaves it open where p ≥ .05', () => {
    const svg = compareBetaDepth(comparisonFigureData(one)['compare-beta-depth'], {}, newDocument());
    const ms = markers(svg);
    expect(ms).toHaveLength(2 * 2 + 4 * 2);
    for (const m of ms) {
      const model = num(m, 'data-model');
      const fit = one.documents[0]!.results[model]!.result;
      if (fit.status !== 'ok') throw new Error('synthetic results are ok');
      const p = fit.layers[num(m, 'data-layer')]!.fit.pvalues[num(m, 'data-lag')]!;
      expect(num(m, 'data-p')).toBe(p);
      const filled = p < 0.05;
      expect(m.getAttribute('class')).toBe(filled ? 'beta-marker filled' : 'beta-marker open');
      expect(m.getAttribute('fill')).toBe(filled ? modelColor(THEMES.light, model) : THEMES.light.background);
      expect(m.getAttribute('stroke')).toBe(modelColor(THEMES.light, model));
    }
    // the edge cases are there: 0.05 and 0.0500001 open, 0.049999 filled
    expect(ms.filter((m) => m.getAttribute('class') === 'beta-marker open').map((m) => num(m, 'data-p')).sort((a, b) => a - b)).toEqual([0.05, 0.0500001, 0.2, 0.3, 0.5, 0.7]);
  });

  it('with three documents draws the mean β and a band mean ± t(.975, 2)·sd/√3, computed here independently', () => {
    const svg = compareBetaDepth(comparisonFigureData(three)['compare-beta-depth'], {}, newDocument());
    const y = yScale(svg);
    for (const [model, nLayer] of [[0, 2], [1, 4]] as const) {
      for (const lag of [1, 2]) {
        const betas = Array.from({ length: nLayer }, (_, layer) =>
          three.documents.map((d) => {
            const r = d.results[model]!.result;
            return r.status === 'ok' ? r.layers[layer]!.fit.params[lag]! : NaN;
          }),
        );
        const mean = betas.map((b) => b.reduce((a, v) => a + v, 0) / b.length);
        const half = betas.map((b, i) => (T975_DF2 * Math.sqrt(b.reduce((a, v) => a + (v - mean[i]!) ** 2, 0) / (b.length - 1))) / Math.sqrt(b.length));
        const ms = markers(svg).filter((m) => num(m, 'data-model') === model && num(m, 'data-lag') === lag).sort((a, b) => num(a, 'data-layer') - num(b, 'data-layer'));
        ms.forEach((m, layer) => expect(num(m, 'data-beta')).toBeCloseTo(mean[layer]!, 12));
        // d3.area: the upper edge left to right, then the lower edge right to left
        const band = svg.querySelector(`path.beta-band[data-model="${model}"][data-lag="${lag}"]`)!;
        const ys = band.getAttribute('d')!.replace(/Z$/, '').split(/[ML]/).filter(Boolean).map((pt) => Number(pt.split(',')[1]));
        expect(ys).toHaveLength(2 * nLayer);
        for (let layer = 0; layer < nLayer; layer++) {
          expect(ys[layer]!).toBeCloseTo(y(mean[layer]! + half[layer]!), 1);
          expect(ys[2 * nLayer - 1 - layer]!).toBeCloseTo(y(mean[layer]! - half[layer]!), 1);
        }
      }
    }
    expect(svg.querySelector('.axis-label-y')!.textContent).toBe('β (mean over documents)');
  });

  it('one document: no band', () => {
    const svg = compareBetaDepth(comparisonFigureData(one)['compare-beta-depth'], {}, newDocument());
    expect(svg.querySelectorAll('path.beta-band')).toHaveLength(0);
  });

  it('legend names each model in its colour; lag 1 solid and lag 2 dashed, in every theme with distinct colours', () => {
    for (const theme of THEME_NAMES) {
      const svg = compareBetaDepth(comparisonFigureData(one)['compare-beta-depth'], { theme }, newDocument());
      const entries = [...svg.querySelectorAll('.legend-entry[data-model]')];
      expect(entries.map((e) => e.textContent)).toEqual(['shallow', 'deep']);
      const colours = entries.map((e) => e.querySelector('line')!.getAttribute('stroke'));
      expect(new Set([...colours, THEMES[theme].background]).size).toBe(3);
      for (const line of svg.querySelectorAll('path.beta-line')) {
        expect(line.getAttribute('stroke')).toBe(colours[num(line, 'data-model')]);
        expect(line.getAttribute('stroke-dasharray')).toBe(num(line, 'data-lag') === 1 ? null : '7 4');
      }
    }
  });

  it('rejects a depth outside [0, 1] and a non-finite β', () => {
    const bad = (p: Partial<CompareBetaData['models'][number]['points'][number]>): CompareBetaData => ({
      lags: 1,
      models: [{ model: 0, name: 'm', points: [{ layer: 0, depth: 0, lag: 1, beta: 0.1, p: 0.1, n: 1, ...p }] }],
    });
    expect(() => compareBetaDepth(bad({ depth: 1.5 }), {}, newDocument())).toThrow(FigureInputError);
    expect(() => compareBetaDepth(bad({ beta: NaN }), {}, newDocument())).toThrow(FigureInputError);
  });
});
