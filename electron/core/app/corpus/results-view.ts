// The core's corpus summary as the corpus view is shown it: each layer's summary and the corpus figures' inputs (plain
// data for IPC, non-finite numbers as null; the renderer computes nothing).
import type { CorpusLayerSummary, CorpusPooledFit, CorpusResults, Maybe } from '../../../../shared/ipc.js';
import type { Settings } from '../../../../shared/result.js';
import type { FixedEffectsFit, LayerSummary, Unavailable } from '../../corpus/index.js';

/** The corpus figures' inputs, picked from the core's layer summaries: per layer and lag, the finite β of every
 * document and the share with p < alpha (layers without a fitted document left out). */
export function corpusFigureData(layers: readonly LayerSummary[], settings: Settings): CorpusResults['figures'] {
  const lags = Array.from({ length: settings.lags }, (_, i) => i + 1);
  const fitted = layers.filter((l) => l.n_documents > 0 && lags.every((k) => Number.isFinite(l.coefficients[k]?.share_significant)));
  if (fitted.length === 0) return null;
  return {
    'beta-distributions': {
      lags: settings.lags,
      component: settings.component,
      layers: fitted.map((l) => ({ layer: l.layer, betas: lags.map((k) => l.coefficients[k]!.betas.filter(Number.isFinite)) })),
    },
    'share-significant': {
      lags: settings.lags,
      component: settings.component,
      layers: fitted.map((l) => ({ layer: l.layer, share: lags.map((k) => l.coefficients[k]!.share_significant), n: l.n_documents })),
    },
  };
}

function maybe(v: number | undefined): Maybe {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/** One layer of the core's corpus summary as the corpus view shows it (non-finite numbers as null). */
export function layerView(l: LayerSummary): CorpusLayerSummary {
  return {
    layer: l.layer,
    tap: l.tap,
    nDocuments: l.n_documents,
    coefficients: l.coefficients.map((c) => ({
      index: c.index,
      term: c.term,
      n: c.n,
      mean: maybe(c.mean),
      sd: maybe(c.sd),
      quantiles: { min: maybe(c.quantiles.min), q25: maybe(c.quantiles.q25), median: maybe(c.quantiles.median), q75: maybe(c.quantiles.q75), max: maybe(c.quantiles.max) },
      shareSignificant: maybe(c.share_significant),
      nSignificant: c.n_significant,
      weightedMean: maybe(c.weighted?.mean),
      weightedMeanSe: maybe(c.weighted?.se),
      weightedMeanConfInt: c.weighted ? c.weighted.conf_int : null,
      heterogeneity: c.weighted ? { q: c.weighted.q, df: c.weighted.q_df, pvalue: maybe(c.weighted.q_pvalue), i2: c.weighted.i2 } : null,
    })),
    pooled: pooledOf(l.pooled, (fit) => ({
      nobs: fit.nobs,
      rsquared: fit.rsquared,
      coefficients: fit.params.map((estimate, k) => ({ index: k, estimate, bse: fit.bse[k]!, pvalue: fit.pvalues[k]!, confInt: fit.conf_int[k]! })),
    })),
    fixedEffects: pooledOf(l.fixed_effects, (fit: FixedEffectsFit) => ({
      nobs: fit.nobs,
      rsquared: fit.rsquared_within,
      // the within fit reports the lags only: index k is lag k
      coefficients: fit.params.map((estimate, k) => ({ index: k + 1, estimate, bse: fit.bse[k]!, pvalue: fit.pvalues[k]!, confInt: fit.conf_int[k]! })),
    })),
  };
}

function pooledOf<T extends object>(v: T | Unavailable | undefined, of: (fit: T) => CorpusPooledFit): CorpusLayerSummary['pooled'] {
  if (v === undefined) return null;
  return 'error' in v ? { error: (v as Unavailable).error } : of(v as T);
}
