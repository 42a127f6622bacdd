// One input per figure (the tiny-a fixture for document figures, a seeded corpus for the others).
import type { FigureName } from '../../shared/figures/index.js';
import { comparisonFigureData } from '../../electron/core/compare/index.js';
import { patternFits, syntheticComparison } from '../compare/synthetic.js';
import { betaData, logNormData, parkMiller } from './support.js';

const sampleComparison = () =>
  syntheticComparison([
    { name: 'shallow', nLayer: 2, fits: patternFits(3, 2, (d, layer) => 0.02 * (d + layer)) },
    { name: 'deep', nLayer: 4, fits: patternFits(3, 4, (d, layer) => 0.03 * layer) },
  ]);

export function sampleData(name: FigureName): { data: unknown; title: string } {
  const rnd = parkMiller(5);
  switch (name) {
    case 'attention-norm-strip':
      return { data: logNormData('hungarian-rock', 'attn'), title: 'Attention norms' };
    case 'attention-norm-histograms':
      return { data: logNormData('hungarian-rock', 'attn'), title: 'Attention norm distributions' };
    case 'beta-across-layers':
      return { data: betaData('hungarian-rock', 'attn'), title: 'Predicting token update from previous token updates' };
    case 'log-norm-heatmap':
      return { data: logNormData('hungarian-rock', 'attn'), title: 'Attention log norms by token and layer' };
    case 'beta-distributions':
      return {
        data: {
          lags: 2,
          layers: Array.from({ length: 12 }, (_, layer) => ({
            layer,
            betas: [0, 1].map((k) => Array.from({ length: 78 }, () => 0.25 + 0.015 * layer - 0.1 * k + 0.3 * (rnd() - 0.5))),
          })),
        },
        title: 'Attention: β across documents',
      };
    case 'share-significant':
      return {
        data: { lags: 2, layers: Array.from({ length: 12 }, (_, layer) => ({ layer, share: [Math.min(1, 0.25 + 0.06 * layer), Math.max(0, 0.45 - 0.04 * layer)], n: 78 })) },
        title: 'Attention: share of documents with p < .05',
      };
    case 'compare-beta-depth':
    case 'compare-share-significant':
    case 'compare-log-norms-depth':
      return { data: comparisonFigureData(sampleComparison())[name], title: { 'compare-beta-depth': 'β by relative depth', 'compare-share-significant': 'Share of significant layers', 'compare-log-norms-depth': 'Log-norm distributions by depth' }[name] };
  }
}
