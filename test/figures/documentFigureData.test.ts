import { describe, expect, it } from 'vitest';
import { renderFigureSvg } from '../../electron/core/figures/index.js';
import { attentionNormStrip, betaAcrossLayers, documentFigureData, NOTEBOOK_FIGURES } from '../../shared/figures/index.js';
import type { DocumentOk, FitJSON } from '../../shared/result.js';
import { newDocument, tapOf, tinyA } from './support.js';

function documentOf(name: string): DocumentOk {
  const d = tinyA().documents[name]!;
  return {
    path: `${name}.txt`,
    status: 'ok',
    tokens: d.ids.map((id) => ({ id, text: '' })),
    layers: [0, 1, 2].map((layer) => {
      const tap = tapOf(layer, 'attn');
      return { layer, tap, log_norms: d.taps[tap]!.log_norms, fit: d.taps[tap]!.ar2 as unknown as FitJSON };
    }),
  };
}

describe('documentFigureData(doc, settings, nLayers)', () => {
  it('feeds every document figure straight from the JSON contract', () => {
    const doc = documentOf('lighthouse');
    const { logNorms, beta } = documentFigureData(doc, { component: 'attn', lags: 2 });
    expect(logNorms.nLayers).toBe(3);
    expect(logNorms.layers.map((l) => l.logNorms)).toEqual(doc.layers.map((l) => l.log_norms));
    expect(beta.layers.map((l) => l.pvalues)).toEqual(doc.layers.map((l) => l.fit.pvalues));
    expect(attentionNormStrip(logNorms, {}, newDocument()).querySelectorAll('circle.strip-point')).toHaveLength((doc.tokens.length - 1) * 3);
    expect(betaAcrossLayers(beta, {}, newDocument()).querySelectorAll('.beta-marker')).toHaveLength(6);
    expect(documentFigureData(doc, { component: 'mlp', lags: 2 }, 12).logNorms).toMatchObject({ nLayers: 12, component: 'mlp' });
    // the notebook's three, by name
    const inputs = { 'attention-norm-strip': logNorms, 'attention-norm-histograms': logNorms, 'beta-across-layers': beta } as const;
    const titles = NOTEBOOK_FIGURES.map((f) => /<title>([^<]*)<\/title>/.exec(renderFigureSvg(f, inputs[f]))![1]);
    expect(titles).toEqual(['Attention norms', 'Attention norm distributions', 'Predicting token update from previous token updates']);
  });
});
