// The figure renderers: pure functions (data, options, document) → SVG element, shared by the app and the CLI.
export { attentionNormStrip } from './attentionNormStrip.js';
export { attentionNormHistograms } from './attentionNormHistograms.js';
export { betaAcrossLayers } from './betaAcrossLayers.js';
export { logNormHeatmap } from './logNormHeatmap.js';
export { betaDistributions } from './betaDistributions.js';
export { shareSignificant } from './shareSignificant.js';
export { compareBetaDepth } from './compareBetaDepth.js';
export { compareShareSignificant } from './compareShareSignificant.js';
export { compareLogNormsDepth } from './compareLogNormsDepth.js';
export { modelColor, lagDash } from './compareMarks.js';
export { freedmanDiaconisEdges } from './freedmanDiaconisEdges.js';
export { documentFigureData } from './documentFigureData.js';
export { figureTitle } from './titles.js';
export { FIGURES, NOTEBOOK_FIGURES, type FigureDataMap } from './figures.js';
export { THEMES, themeOf, type Theme } from './theme.js';
export { NOTEBOOK, notebookSize } from './notebookStyle.js';
export { FigureInputError } from './figureInputError.js';
export { DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_SEED } from './options.js';
export {
  FIGURE_NAMES,
  THEME_NAMES,
  type FigureName,
  type FigureOptions,
  type FigureRenderer,
  type ThemeName,
  type LayerLogNorms,
  type LogNormData,
  type HeatmapData,
  type LayerFit,
  type BetaData,
  type BetaDistributionsData,
  type ShareSignificantData,
  type CompareBetaData,
  type CompareShareData,
  type CompareLogNormData,
  type CompareModelKey,
} from './types.js';
