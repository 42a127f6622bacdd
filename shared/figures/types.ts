// The figure renderers' inputs and options: plain data in, one SVG element out (no statistics here).
// They build on any DOM Document: the browser's in the app, jsdom's on the server.
/// <reference lib="dom" />
import type { Site } from '../taps.js';

/** The figure styles: clean light (the default export), the notebook's dark palette, and the notebook's own look. */
export const THEME_NAMES = ['light', 'dark', 'notebook'] as const;
export type ThemeName = (typeof THEME_NAMES)[number];

/** Each figure's id: the root's `data-figure` and the registry key. */
export const FIGURE_NAMES = [
  'attention-norm-strip',
  'attention-norm-histograms',
  'beta-across-layers',
  'log-norm-heatmap',
  'beta-distributions',
  'share-significant',
  'compare-beta-depth',
  'compare-share-significant',
  'compare-log-norms-depth',
] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

export interface FigureOptions {
  /** Outer size in CSS pixels. */
  width?: number;
  height?: number;
  /** 'light' (default, used for exports), 'dark' (the notebook's dark palette) or 'notebook' (its whole look). */
  theme?: ThemeName;
  /** Seed of the jitter (d3.randomLcg); the same seed draws the same figure. */
  seed?: number;
  /** Replaces the default title. */
  title?: string;
}

/** One layer's per-token log norms, token 0 included (index = token position). */
export interface LayerLogNorms {
  layer: number;
  logNorms: ArrayLike<number>;
}

/** Strip plot, histograms and heat map input. */
export interface LogNormData {
  layers: LayerLogNorms[];
  /** The model's layer count: colours are plasma(layer / nLayers). */
  nLayers: number;
  component?: Site;
}

/** The heat map's input is the strip's: tokens 1..T-1 by layer. */
export type HeatmapData = LogNormData;

/** One layer's fit, as the fit reports it: index 0 is the intercept, index k is lag k. */
export interface LayerFit {
  layer: number;
  params: ArrayLike<number>;
  pvalues: ArrayLike<number>;
}

export interface BetaData {
  layers: LayerFit[];
  lags: number;
  component?: Site;
}

/** Corpus: per layer, `betas[k-1]` holds lag k's β of every document. */
export interface BetaDistributionsData {
  layers: { layer: number; betas: ArrayLike<number>[] }[];
  lags: number;
  component?: Site;
}

/** Corpus: per layer, `share[k-1]` is the share (0..1) of documents whose lag-k β has p < .05. */
export interface ShareSignificantData {
  layers: { layer: number; share: ArrayLike<number>; n?: number }[];
  lags: number;
  component?: Site;
}

export type FigureRenderer<D> = (data: D, options: FigureOptions | undefined, document: Document) => SVGSVGElement;

/** Compare: one model's identity in the comparison figures (`model` is its index in the comparison, used for linking). */
export interface CompareModelKey {
  model: number;
  /** The legend's name (unique within the figure). */
  name: string;
}

/** Compare, β by relative depth: per model, each layer's β per lag (the mean over documents, with its 95% band when
 * there are several), and the p-value that decides a filled (p < .05) or open marker. */
export interface CompareBetaData {
  lags: number;
  component?: Site;
  models: (CompareModelKey & { points: { layer: number; depth: number; lag: number; beta: number; p: number; lo?: number; hi?: number; n: number }[] })[];
}

/** Compare: per model, the share (0..1) of its layer fits with p < .05, per lag (`share[k-1]` is lag k). */
export interface CompareShareData {
  lags: number;
  component?: Site;
  models: (CompareModelKey & { share: ArrayLike<number>; n: number })[];
}

/** Compare: per model and layer, the quartiles of the log norms (tokens 1..T-1 of every document) at relative depth. */
export interface CompareLogNormData {
  component?: Site;
  models: (CompareModelKey & { layers: { layer: number; depth: number; q25: number; median: number; q75: number }[] })[];
}
