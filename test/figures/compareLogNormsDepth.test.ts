import { describe, expect, it } from 'vitest';
import { compareLogNormsDepth, FigureInputError, THEME_NAMES } from '../../shared/figures/index.js';
import { comparisonFigureData } from '../../electron/core/compare/index.js';
import type { DocumentOk } from '../../shared/result.js';
import { patternFits, syntheticComparison } from '../compare/synthetic.js';
import { newDocument, num, rootHooks } from './support.js';

const doc = syntheticComparison([
  { name: 'shallow', nLayer: 2, fits: patternFits(2, 2, () => 0.01) },
  { name: 'deep', nLayer: 4, fits: patternFits(2, 4, () => 0.01) },
]);

/** The q-quantile by linear interpolation between order statistics (numpy's default), written out here. */
function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
}

describe('compareLogNormsDepth(data, options, document)', () => {
  it('draws each layer\'s median and interquartile range of tokens 1..T-1 of every document, at its relative depth', () => {
    const svg = compareLogNormsDepth(comparisonFigureData(doc)['compare-log-norms-depth']!, {}, newDocument());
    const ms = [...svg.querySelectorAll('circle.median-marker')];
    expect(ms).toHaveLength(6);
    for (const m of ms) {
      const model = num(m, 'data-model');
      const layer = num(m, 'data-layer');
      const values = doc.documents.flatMap((d) => (d.results[model]!.result as DocumentOk).layers[layer]!.log_norms.slice(1));
      expect(num(m, 'data-median')).toBeCloseTo(quantile(values, 0.5), 12);
      expect(num(m, 'data-q25')).toBeCloseTo(quantile(values, 0.25), 12);
      expect(num(m, 'data-q75')).toBeCloseTo(quantile(values, 0.75), 12);
      expect(num(m, 'data-depth')).toBe(layer / (model === 0 ? 1 : 3));
    }
    // x: linear in depth, both models at 0 and 1 together
    const cx = (model: number, layer: number) => num(ms.find((m) => num(m, 'data-model') === model && num(m, 'data-layer') === layer)!, 'cx');
    expect(cx(1, 1)).toBeCloseTo(cx(1, 0) + (cx(1, 3) - cx(1, 0)) / 3, 1);
    expect(cx(0, 1)).toBeCloseTo(cx(1, 3), 1);
    expect(svg.querySelectorAll('path.iqr-band')).toHaveLength(2);
    expect(rootHooks(svg)).toMatchObject({ figure: 'compare-log-norms-depth', title: 'Log-norm distributions by depth' });
  });

  it('names each model in the legend, in every theme', () => {
    for (const theme of THEME_NAMES) {
      const svg = compareLogNormsDepth(comparisonFigureData(doc)['compare-log-norms-depth']!, { theme }, newDocument());
      expect([...svg.querySelectorAll('.legend-entry[data-model]')].map((e) => e.textContent)).toEqual(['shallow', 'deep']);
    }
  });

  it('rejects quartiles out of order', () => {
    expect(() => compareLogNormsDepth({ models: [{ model: 0, name: 'm', layers: [{ layer: 0, depth: 0, q25: 1, median: 0, q75: 2 }] }] }, {}, newDocument())).toThrow(FigureInputError);
  });
});
