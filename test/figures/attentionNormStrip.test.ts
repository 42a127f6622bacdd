import { color, interpolatePlasma, randomLcg, randomNormal } from 'd3';
import { describe, expect, it } from 'vitest';
import { attentionNormStrip, FigureInputError } from '../../shared/figures/index.js';
import { COMPONENTS, DOCS, logNormData, newDocument, num, rootHooks, tinyA } from './support.js';

describe('attentionNormStrip(data, options, document)', () => {
  it('draws one point per token 1..T-1 per layer, never token 0', () => {
    for (const doc of DOCS) {
      for (const c of COMPONENTS) {
        const T = tinyA().documents[doc]!.ids.length;
        const svg = attentionNormStrip(logNormData(doc, c), {}, newDocument());
        const points = [...svg.querySelectorAll('circle.strip-point')];
        expect(points).toHaveLength((T - 1) * 3);
        for (const layer of [0, 1, 2]) {
          const tokens = points.filter((p) => p.getAttribute('data-layer') === String(layer)).map((p) => num(p, 'data-token'));
          expect(tokens).toEqual(Array.from({ length: T - 1 }, (_, i) => i + 1));
        }
      }
    }
  });

  it('carries the root hooks and the notebook titles', () => {
    const svg = attentionNormStrip(logNormData('lighthouse', 'attn'), { width: 500, height: 300 }, newDocument());
    expect(rootHooks(svg)).toEqual({
      figure: 'attention-norm-strip',
      title: 'Attention norms',
      visibleTitle: 'Attention norms',
      width: 500,
      height: 300,
      viewBox: '0 0 500 300',
      xmlns: 'http://www.w3.org/2000/svg',
    });
    expect(rootHooks(attentionNormStrip(logNormData('lighthouse', 'mlp'), {}, newDocument())).title).toBe('MLP output norms');
    expect(rootHooks(attentionNormStrip(logNormData('lighthouse', 'block'), {}, newDocument())).title).toBe('Block output norms');
    expect(rootHooks(attentionNormStrip(logNormData('lighthouse', 'attn'), { title: 'Mine' }, newDocument())).title).toBe('Mine');
    const labels = [...attentionNormStrip(logNormData('lighthouse', 'attn'), {}, newDocument()).querySelectorAll('.axis-label')].map((t) => t.textContent);
    expect(labels).toEqual(['Layer', 'Log norm']);
  });

  it('jitters x by layer + N(0, 0.08) from d3.randomLcg(seed), and places y by value', () => {
    const data = logNormData('hungarian-rock', 'attn');
    const seed = 3;
    const points = [...attentionNormStrip(data, { seed }, newDocument()).querySelectorAll('circle.strip-point')];
    const draw = randomNormal.source(randomLcg(seed))(0, 0.08);
    const xs = points.map((p) => num(p, 'data-layer') + draw());
    // cx is affine in layer + jitter: recover the map from two points, then every point must follow it
    const [i, j] = [0, points.length - 1];
    const scale = (num(points[j]!, 'cx') - num(points[i]!, 'cx')) / (xs[j]! - xs[i]!);
    const offset = num(points[i]!, 'cx') - scale * xs[i]!;
    points.forEach((p, k) => expect(Math.abs(num(p, 'cx') - (offset + scale * xs[k]!))).toBeLessThan(0.02));
    const ys = points.map((p) => [num(p, 'data-value'), num(p, 'cy')] as const).sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < ys.length; k++) expect(ys[k]![1]).toBeLessThanOrEqual(ys[k - 1]![1]);
    // data-value keeps six significant digits of the log norm
    const first = points[0]!;
    expect(num(first, 'data-value')).toBeCloseTo(data.layers[0]!.logNorms[1]!, 5);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const data = logNormData('lighthouse', 'attn');
    const cx = (seed?: number) => [...attentionNormStrip(data, { seed }, newDocument()).querySelectorAll('circle.strip-point')].map((p) => p.getAttribute('cx'));
    expect(cx(9)).toEqual(cx(9));
    expect(cx()).toEqual(cx());
    expect(cx(9)).not.toEqual(cx(10));
  });

  it('colours each layer plasma(layer / nLayers), on the chosen theme', () => {
    const svg = attentionNormStrip(logNormData('lighthouse', 'attn'), { theme: 'dark' }, newDocument());
    for (const g of svg.querySelectorAll('g.strip-layer')) {
      expect(color(g.getAttribute('fill')!)!.formatHex()).toBe(color(interpolatePlasma(num(g, 'data-layer') / 3))!.formatHex());
    }
    expect(svg.querySelector('rect.figure-background')!.getAttribute('fill')).toBe('#383838');
    const light = attentionNormStrip(logNormData('lighthouse', 'attn'), {}, newDocument());
    expect(light.querySelector('rect.figure-background')!.getAttribute('fill')).toBe('#ffffff');
  });

  it('rejects misuse with a FigureInputError', () => {
    const data = logNormData('lighthouse', 'attn');
    const bad = { ...data, layers: [{ layer: 0, logNorms: [1, Number.NEGATIVE_INFINITY, 2] }] };
    expect(() => attentionNormStrip(bad, {}, newDocument())).toThrow(FigureInputError);
    expect(() => attentionNormStrip({ ...data, nLayers: 0 }, {}, newDocument())).toThrow(/nLayers/);
    expect(() => attentionNormStrip(data, { width: -1 }, newDocument())).toThrow(/width/);
  });
});
