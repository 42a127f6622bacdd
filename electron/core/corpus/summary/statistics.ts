// Per-document fits → what holds across the corpus, per layer and coefficient: the distribution of β, the share of
// documents where it is significant, the fixed-effect (inverse-variance) meta-analytic mean, and pooled OLS fits over
// all documents' lag designs, with a common intercept or with one intercept per document.
import { deviation, mean, quantileSorted } from 'd3';
import type { FitJSON, Settings } from '../../../../shared/result.js';
import { tapName } from '../../../../shared/taps.js';
import { termName } from '../../analysis/table.js';
import { isNormscopeError } from '../../errors.js';
import { chi2Sf, normIsf } from '../../stats/index.js';
import { PooledLayer, type FixedEffectsFit } from './pooled-layer.js';

export type { FixedEffectsFit };
import type { StoredFit } from '../store/index.js';

/** One document's contribution: its fits, and its log-norm series per layer when pooled fits are wanted. */
export interface DocumentFits {
  path: string;
  sha256: string;
  layers: StoredFit[];
  /** Per layer, the log norms of the fitted site (t = 0..T-1). */
  series?: ArrayLike<number>[];
}

export interface Quantiles {
  min: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
  max: number;
}

/** Fixed-effect meta-analysis: w = 1/bse², mean = Σwβ/Σw, se = 1/√Σw, normal CI; Cochran's Q and I² for heterogeneity. */
export interface WeightedMean {
  /** Documents with a finite β and a positive finite bse. */
  k: number;
  mean: number;
  se: number;
  conf_int: [number, number];
  /** Cochran's Q = Σw(β − mean)², on k − 1 degrees of freedom. */
  q: number;
  q_df: number;
  q_pvalue: number;
  /** max(0, (Q − df)/Q): the share of the spread in β beyond what the bse explain. */
  i2: number;
}

export interface CoefficientSummary {
  /** 0 the intercept, k lag k. */
  index: number;
  term: string;
  /** Documents with a finite estimate. */
  n: number;
  /** β per document, in document order (NaN where the fit had none). */
  betas: number[];
  mean: number;
  sd: number;
  quantiles: Quantiles;
  /** Share of the documents with a finite p-value whose p < alpha. */
  share_significant: number;
  n_significant: number;
  weighted: WeightedMean | null;
}

export interface Unavailable {
  error: { code: string; message: string };
}

export interface LayerSummary {
  layer: number;
  tap: string;
  /** Documents with a fit for this layer. */
  n_documents: number;
  coefficients: CoefficientSummary[];
  /** OLS over every document's design stacked, one common intercept; absent when series were not given. */
  pooled?: FitJSON | Unavailable;
  fixed_effects?: FixedEffectsFit | Unavailable;
}

export interface StatisticsOptions {
  /** Significance level for share_significant and the confidence intervals (default 0.05). */
  alpha?: number;
}

/** Per-document fits gathered per layer and coefficient, document by document: a few numbers per document and layer. */
export class FitCollector {
  private readonly layers: { present: number; params: number[][]; bse: number[][]; pvalues: number[][] }[] = [];
  private documents = 0;

  constructor(private readonly settings: Settings) {}

  /** One document's fits (documents in the order they are to be reported). */
  add(fits: readonly StoredFit[]): void {
    const width = this.settings.lags + 1;
    const nLayer = Math.max(this.layers.length, ...fits.map((f) => f.layer + 1));
    while (this.layers.length < nLayer) {
      const pad = () => Array.from({ length: width }, () => new Array<number>(this.documents).fill(NaN));
      this.layers.push({ present: 0, params: pad(), bse: pad(), pvalues: pad() });
    }
    this.layers.forEach((l, layer) => {
      const fit = fits.find((f) => f.layer === layer)?.fit;
      if (fit) l.present++;
      for (let k = 0; k < width; k++) {
        l.params[k]!.push(fit?.params[k] ?? NaN);
        l.bse[k]!.push(fit?.bse[k] ?? NaN);
        l.pvalues[k]!.push(fit?.pvalues[k] ?? NaN);
      }
    });
    this.documents++;
  }

  get layerCount(): number {
    return this.layers.length;
  }

  /** The summaries, with each layer's pooled fits when `pooled` (one PooledLayer per layer, both passes done) is given. */
  summaries(alpha: number, pooled?: readonly PooledLayer[]): LayerSummary[] {
    return this.layers.map((l, layer) => {
      const summary: LayerSummary = {
        layer,
        tap: tapName(layer, this.settings.component),
        n_documents: l.present,
        coefficients: l.params.map((betas, k) => coefficientSummary(k, betas, l.bse[k]!, l.pvalues[k]!, alpha)),
      };
      const p = pooled?.[layer];
      if (p) {
        summary.pooled = attempt(() => p.pooled());
        summary.fixed_effects = attempt(() => p.fixedEffects());
      }
      return summary;
    });
  }
}

/** Pooled fits of every layer over in-memory series (both streaming passes over the array). */
export function pooledLayers(series: readonly (readonly ArrayLike<number>[])[], nLayer: number, settings: Settings, alpha = 0.05): PooledLayer[] {
  const layers = Array.from({ length: nLayer }, () => new PooledLayer(settings, alpha));
  for (const doc of series) layers.forEach((l, i) => l.addDocument(doc[i]!));
  for (const l of layers) l.solve();
  for (const doc of series) layers.forEach((l, i) => l.residuals(doc[i]!));
  return layers;
}

/** OLS over the stacked designs of one layer's series (settings.cov; HAC lags run across document boundaries, as statsmodels on the stack). */
export function pooledOls(series: readonly ArrayLike<number>[], settings: Settings, alpha = 0.05): FitJSON {
  return pooledLayers(series.map((s) => [s]), 1, settings, alpha)[0]!.pooled();
}

/** OLS of one layer's series with one intercept per document, by the within transformation (see pooled-layer.ts). */
export function pooledFixedEffects(series: readonly ArrayLike<number>[], settings: Settings, alpha = 0.05): FixedEffectsFit {
  return pooledLayers(series.map((s) => [s]), 1, settings, alpha)[0]!.fixedEffects();
}

/** Corpus statistics for every layer of `settings.component`. Pooled fits need each document's `series`. */
export function corpusStatistics(docs: readonly DocumentFits[], settings: Settings, options: StatisticsOptions = {}): LayerSummary[] {
  const alpha = options.alpha ?? 0.05;
  const collector = new FitCollector(settings);
  for (const d of docs) collector.add(d.layers);
  const pooled = docs.length > 0 && docs.every((d) => d.series !== undefined);
  return collector.summaries(alpha, pooled ? pooledLayers(docs.map((d) => d.series!), collector.layerCount, settings, alpha) : undefined);
}

/** Distribution, share significant and weighted mean of one coefficient across documents. */
export function coefficientSummary(index: number, betas: number[], bse: number[], pvalues: number[], alpha = 0.05): CoefficientSummary {
  const finite = betas.filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number) => quantileSorted(finite, p) ?? NaN;
  const tested = pvalues.filter(Number.isFinite);
  const nSignificant = tested.filter((p) => p < alpha).length;
  return {
    index,
    term: termName(index),
    n: finite.length,
    betas,
    mean: mean(finite) ?? NaN,
    sd: deviation(finite) ?? NaN,
    quantiles: { min: q(0), q05: q(0.05), q25: q(0.25), median: q(0.5), q75: q(0.75), q95: q(0.95), max: q(1) },
    share_significant: tested.length > 0 ? nSignificant / tested.length : NaN,
    n_significant: nSignificant,
    weighted: inverseVarianceMean(betas, bse, alpha),
  };
}

/** Fixed-effect meta-analytic mean of estimates with standard errors; null with no usable pair. */
export function inverseVarianceMean(betas: readonly number[], bse: readonly number[], alpha = 0.05): WeightedMean | null {
  let sw = 0;
  let swb = 0;
  const pairs: [number, number][] = [];
  betas.forEach((b, i) => {
    const s = bse[i]!;
    if (!Number.isFinite(b) || !Number.isFinite(s) || !(s > 0)) return;
    const w = 1 / (s * s);
    pairs.push([b, w]);
    sw += w;
    swb += w * b;
  });
  if (pairs.length === 0) return null;
  const m = swb / sw;
  const se = 1 / Math.sqrt(sw);
  const z = normIsf(alpha / 2);
  const q = pairs.reduce((acc, [b, w]) => acc + w * (b - m) * (b - m), 0);
  const df = pairs.length - 1;
  return {
    k: pairs.length,
    mean: m,
    se,
    conf_int: [m - z * se, m + z * se],
    q,
    q_df: df,
    q_pvalue: df > 0 ? chi2Sf(q, df) : NaN,
    // I² = max(0, (Q − df)/Q) needs df ≥ 1: one study's Q is rounding noise (m and β a last-place bit apart), not 100%
    i2: df > 0 && q > df ? (q - df) / q : 0,
  };
}

function attempt<T>(fit: () => T): T | Unavailable {
  try {
    return fit();
  } catch (e) {
    return { error: { code: isNormscopeError(e) ? e.code : 'BAD_INPUT', message: (e as Error)?.message ?? String(e) } };
  }
}
