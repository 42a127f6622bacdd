import { describe, expect, it } from 'vitest';
import { FigureInputError, shareSignificant } from '../../shared/figures/index.js';
import { newDocument, num, rootHooks } from './support.js';

const data = {
  lags: 2,
  component: 'mlp' as const,
  layers: [
    { layer: 0, share: [0.2, 0.5], n: 78 },
    { layer: 1, share: [1, 0.05], n: 78 },
    { layer: 2, share: [0.4, 0], n: 78 },
  ],
};

describe('shareSignificant(data, options, document)', () => {
  it('draws one bar per layer and lag, its height proportional to the share', () => {
    const svg = shareSignificant(data, {}, newDocument());
    const bars = [...svg.querySelectorAll('rect.share-bar')];
    expect(bars).toHaveLength(6);
    const full = bars.find((b) => num(b, 'data-share') === 1)!;
    const plotHeight = num(full, 'height');
    const baseline = num(full, 'y') + plotHeight;
    for (const b of bars) {
      const share = data.layers[num(b, 'data-layer')]!.share[num(b, 'data-lag') - 1]!;
      expect(num(b, 'data-share')).toBe(share);
      expect(num(b, 'height')).toBeCloseTo(share * plotHeight, 1);
      expect(num(b, 'y') + num(b, 'height')).toBeCloseTo(baseline, 1);
      expect(num(b, 'data-n')).toBe(78);
    }
    // the 5% reference line
    expect(num(svg.querySelector('line.share-reference')!, 'y1')).toBeCloseTo(baseline - 0.05 * plotHeight, 1);
    expect(rootHooks(svg)).toMatchObject({ figure: 'share-significant', title: 'MLP output: share of documents with p < .05' });
  });

  it('rejects shares outside [0, 1] and a wrong number of lags', () => {
    expect(() => shareSignificant({ lags: 1, layers: [{ layer: 0, share: [1.2] }] }, {}, newDocument())).toThrow(FigureInputError);
    expect(() => shareSignificant({ lags: 2, layers: [{ layer: 0, share: [0.2] }] }, {}, newDocument())).toThrow(FigureInputError);
  });
});
