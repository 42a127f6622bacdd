import { color, interpolatePlasma } from 'd3';
import { describe, expect, it } from 'vitest';
import { attentionNormHistograms } from '../../shared/figures/index.js';
import { COMPONENTS, DOCS, logNormData, newDocument, num, numpyCounts, numpyFdEdges, rootHooks } from './support.js';

describe('attentionNormHistograms(data, options, document)', () => {
  it("gives each layer numpy's Freedman–Diaconis bin count, one line and one marker per bin", () => {
    for (const doc of DOCS) {
      for (const c of COMPONENTS) {
        const data = logNormData(doc, c);
        const svg = attentionNormHistograms(data, {}, newDocument());
        const groups = [...svg.querySelectorAll('g.hist-layer')];
        expect(groups).toHaveLength(3);
        for (const g of groups) {
          const layer = num(g, 'data-layer');
          const values = Array.from(data.layers[layer]!.logNorms).slice(1);
          const edges = numpyFdEdges(values);
          expect(num(g, 'data-bins'), `${doc} ${c} layer ${layer}`).toBe(edges.length - 1);
          expect(g.querySelectorAll('path.hist-line')).toHaveLength(1);
          const markers = [...g.querySelectorAll('rect.hist-marker')];
          expect(markers).toHaveLength(edges.length - 1);
          // counts as np.histogram gives them, at the bin centres
          expect(markers.map((m) => num(m, 'data-count'))).toEqual(numpyCounts(values, edges));
          markers.forEach((m, i) => expect(num(m, 'data-centre')).toBeCloseTo((edges[i]! + edges[i + 1]!) / 2, 10));
        }
      }
    }
  });

  it('draws the line through the markers, higher counts higher up', () => {
    const svg = attentionNormHistograms(logNormData('hungarian-rock', 'attn'), {}, newDocument());
    for (const g of svg.querySelectorAll('g.hist-layer')) {
      const markers = [...g.querySelectorAll('rect.hist-marker')];
      const vertices = g.querySelector('path.hist-line')!.getAttribute('d')!.match(/-?[\d.]+,-?[\d.]+/g)!.map((p) => p.split(',').map(Number));
      expect(vertices).toHaveLength(markers.length);
      markers.forEach((m, i) => {
        expect(num(m, 'x') + num(m, 'width') / 2).toBeCloseTo(vertices[i]![0]!, 1);
        expect(num(m, 'y') + num(m, 'height') / 2).toBeCloseTo(vertices[i]![1]!, 1);
      });
      const byCount = markers.map((m) => [num(m, 'data-count'), num(m, 'y')] as const).sort((a, b) => a[0] - b[0]);
      for (let k = 1; k < byCount.length; k++) expect(byCount[k]![1]).toBeLessThanOrEqual(byCount[k - 1]![1]);
    }
  });

  it('colours layers plasma(layer / nLayers), with a legend entry per layer and the notebook titles', () => {
    const svg = attentionNormHistograms(logNormData('lighthouse', 'attn'), {}, newDocument());
    for (const g of svg.querySelectorAll('g.hist-layer')) {
      expect(color(g.querySelector('path.hist-line')!.getAttribute('stroke')!)!.formatHex()).toBe(color(interpolatePlasma(num(g, 'data-layer') / 3))!.formatHex());
    }
    expect([...svg.querySelectorAll('.legend-entry')].map((e) => e.textContent)).toEqual(['Layer 0', 'Layer 1', 'Layer 2']);
    expect(rootHooks(svg).figure).toBe('attention-norm-histograms');
    expect(rootHooks(svg).title).toBe('Attention norm distributions');
    expect(rootHooks(attentionNormHistograms(logNormData('lighthouse', 'mlp'), {}, newDocument())).title).toBe('MLP output norm distributions');
    expect([...svg.querySelectorAll('.axis-label')].map((t) => t.textContent)).toEqual(['Log norm', 'Count']);
  });

  it('gives a flat layer one bin and a one-token document an empty bin', () => {
    const flat = { nLayers: 2, layers: [{ layer: 0, logNorms: [9, 1, 1, 1, 1] }, { layer: 1, logNorms: [0.5] }] };
    const groups = [...attentionNormHistograms(flat, {}, newDocument()).querySelectorAll('g.hist-layer')];
    expect(groups.map((g) => num(g, 'data-bins'))).toEqual([1, 1]);
    expect(groups.map((g) => num(g.querySelector('rect.hist-marker')!, 'data-count'))).toEqual([4, 0]);
  });
});
