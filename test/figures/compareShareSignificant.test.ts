import { describe, expect, it } from 'vitest';
import { compareShareSignificant, FigureInputError, modelColor, THEME_NAMES, THEMES } from '../../shared/figures/index.js';
import { newDocument, num, rootHooks } from './support.js';

const data = {
  lags: 2,
  models: [
    { model: 0, name: 'gpt2', share: [1, 0.25], n: 24 },
    { model: 1, name: 'pythia-70m', share: [0.5, 0], n: 12 },
  ],
};

describe('compareShareSignificant(data, options, document)', () => {
  it('draws one bar per model and lag, its height proportional to the share, over the 5% line', () => {
    const svg = compareShareSignificant(data, {}, newDocument());
    const bars = [...svg.querySelectorAll('rect.share-bar')];
    expect(bars).toHaveLength(4);
    const full = bars.find((b) => num(b, 'data-share') === 1)!;
    const plotHeight = num(full, 'height');
    const baseline = num(full, 'y') + plotHeight;
    for (const b of bars) {
      const m = data.models[num(b, 'data-model')]!;
      expect(num(b, 'data-share')).toBe(m.share[num(b, 'data-lag') - 1]);
      expect(num(b, 'height')).toBeCloseTo(num(b, 'data-share') * plotHeight, 1);
      expect(num(b, 'y') + num(b, 'height')).toBeCloseTo(baseline, 1);
      expect(b.getAttribute('fill')).toBe(modelColor(THEMES.light, m.model));
      expect(num(b, 'data-n')).toBe(m.n);
    }
    expect(num(svg.querySelector('line.share-reference')!, 'y1')).toBeCloseTo(baseline - 0.05 * plotHeight, 1);
    expect(rootHooks(svg)).toMatchObject({ figure: 'compare-share-significant', title: 'Share of significant layers' });
  });

  it('names each model in the legend and under its bars, in every theme', () => {
    for (const theme of THEME_NAMES) {
      const svg = compareShareSignificant(data, { theme }, newDocument());
      expect([...svg.querySelectorAll('.legend-entry[data-model]')].map((e) => e.textContent)).toEqual(['gpt2', 'pythia-70m']);
      expect([...svg.querySelectorAll('.axis-x .tick text')].map((e) => e.textContent)).toEqual(['gpt2', 'pythia-70m']);
    }
  });

  it('rejects shares outside [0, 1] and a wrong number of lags', () => {
    expect(() => compareShareSignificant({ lags: 1, models: [{ model: 0, name: 'm', share: [1.2], n: 1 }] }, {}, newDocument())).toThrow(FigureInputError);
    expect(() => compareShareSignificant({ lags: 2, models: [{ model: 0, name: 'm', share: [0.2], n: 1 }] }, {}, newDocument())).toThrow(FigureInputError);
  });
});
