// Every renderer under its figure name (the root's data-figure), for callers that choose by name.
import { attentionNormHistograms } from './attentionNormHistograms.js';
import { attentionNormStrip } from './attentionNormStrip.js';
import { betaAcrossLayers } from './betaAcrossLayers.js';
import { betaDistributions } from './betaDistributions.js';
import { logNormHeatmap } from './logNormHeatmap.js';
import { shareSignificant } from './shareSignificant.js';
import type {
  BetaData,
  BetaDistributionsData,
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
}

export const FIGURES: { [N in FigureName]: FigureRenderer<FigureDataMap[N]> } = {
  'attention-norm-strip': attentionNormStrip,
  'attention-norm-histograms': attentionNormHistograms,
  'beta-across-layers': betaAcrossLayers,
  'log-norm-heatmap': logNormHeatmap,
  'beta-distributions': betaDistributions,
  'share-significant': shareSignificant,
};

/** The notebook's three figures of one document, in its order. */
export const NOTEBOOK_FIGURES = ['attention-norm-strip', 'attention-norm-histograms', 'beta-across-layers'] as const satisfies readonly FigureName[];
