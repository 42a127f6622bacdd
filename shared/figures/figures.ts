// Every renderer under its figure name (the root's data-figure), for callers that choose by name.
import { attentionNormHistograms } from './attentionNormHistograms.js';
import { attentionNormStrip } from './attentionNormStrip.js';
import { betaAcrossLayers } from './betaAcrossLayers.js';
import { betaDistributions } from './betaDistributions.js';
import { compareBetaDepth } from './compareBetaDepth.js';
import { compareLogNormsDepth } from './compareLogNormsDepth.js';
import { compareShareSignificant } from './compareShareSignificant.js';
import { logNormHeatmap } from './logNormHeatmap.js';
import { shareSignificant } from './shareSignificant.js';
import type {
  BetaData,
  BetaDistributionsData,
  CompareBetaData,
  CompareLogNormData,
  CompareShareData,
  FigureName,
  FigureRenderer,
  HeatmapData,
  LogNormData,
  ShareSignificantData,
} from './types.js';

export interface FigureDataMap {
  'attention-norm-strip': LogNormData;
  'attention-norm-histograms': LogNormData;
  'beta-across-layers': BetaData;
  'log-norm-heatmap': HeatmapData;
  'beta-distributions': BetaDistributionsData;
  'share-significant': ShareSignificantData;
  'compare-beta-depth': CompareBetaData;
  'compare-share-significant': CompareShareData;
  'compare-log-norms-depth': CompareLogNormData;
}

export const FIGURES: { [N in FigureName]: FigureRenderer<FigureDataMap[N]> } = {
  'attention-norm-strip': attentionNormStrip,
  'attention-norm-histograms': attentionNormHistograms,
  'beta-across-layers': betaAcrossLayers,
  'log-norm-heatmap': logNormHeatmap,
  'beta-distributions': betaDistributions,
  'share-significant': shareSignificant,
  'compare-beta-depth': compareBetaDepth,
  'compare-share-significant': compareShareSignificant,
  'compare-log-norms-depth': compareLogNormsDepth,
};

/** The notebook's three figures of one document, in its order. */
export const NOTEBOOK_FIGURES = ['attention-norm-strip', 'attention-norm-histograms', 'beta-across-layers'] as const satisfies readonly FigureName[];
