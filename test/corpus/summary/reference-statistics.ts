// The corpus statistics as they were computed in memory before streaming (normscope 0.1.0's statistics.ts, every
// document's series stacked at once): the pooled fits kept here, unchanged in their numerics, as the reference the
// streaming passes must equal; the per-coefficient summaries written again from their definitions, so they check the
// shipped code rather than repeat it.
import type { FitJSON, Settings } from '../../../shared/result.js';
import { tapName } from '../../../shared/taps.js';
import { lagDesign } from '../../../electron/core/analysis/index.js';
import { NormscopeError, isNormscopeError } from '../../../electron/core/errors.js';
import { chi2Sf, fitOls, normIsf, normSf, tIsf, tSf } from '../../../electron/core/stats/index.js';

// the types are the shipped module's own: only the numerics are kept as they were
import type { CoefficientSummary, DocumentFits, FixedEffectsFit, LayerSummary, Quantiles, StatisticsOptions, Unavailable, WeightedMean } from '../../../electron/core/corpus/summary/statistics.js';
export type { CoefficientSummary, DocumentFits, FixedEffectsFit, LayerSummary, Quantiles, StatisticsOptions, Unavailable, WeightedMean };

/** Corpus statistics for every layer of `settings.component`. Pooled fits need each document's `series`. */
export function corpusStatistics(docs: readonly DocumentFits[], settings: Settings, options: StatisticsOptions = {}): LayerSummary[] {
  const alpha = options.alpha ?? 0.05;
  const nLayer = Math.max(0, ...docs.map((d) => d.layers.length));
  const pooled = docs.length > 0 && docs.every((d) => d.series !== undefined);
  return Array.from({ length: nLayer }, (_, layer) => {
    const fits = docs.map((d) => d.layers.find((l) => l.layer === layer)?.fit);
    const present = fits.filter((f): f is FitJSON => f !== undefined);
    const summary: LayerSummary = {
      layer,
      tap: tapName(layer, settings.component),
      n_documents: present.length,
      coefficients: Array.from({ length: settings.lags + 1 }, (_, k) =>
        coefficientSummary(
          k,
          fits.map((f) => f?.params[k] ?? NaN),
          fits.map((f) => f?.bse[k] ?? NaN),
          fits.map((f) => f?.pvalues[k] ?? NaN),
          alpha,
        ),
      ),
    };
    if (pooled) {
      const series = docs.map((d) => d.series![layer]!);
      summary.pooled = attempt(() => pooledOls(series, settings, alpha));
      summary.fixed_effects = attempt(() => pooledFixedEffects(series, settings, alpha));
    }
    return summary;
  });
}

/** Distribution, share significant and weighted mean of one coefficient across documents, from the definitions
 * (not the shipped code: quantiles by R-7 interpolation, the sd in two passes). */
export function coefficientSummary(index: number, betas: number[], bse: number[], pvalues: number[], alpha = 0.05): CoefficientSummary {
  const finite = betas.filter((b) => Number.isFinite(b)).sort((a, b) => a - b);
  const n = finite.length;
  const average = n > 0 ? finite.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(finite.reduce((a, b) => a + (b - average) ** 2, 0) / (n - 1)) : NaN;
  const q = (p: number) => quantile7(finite, p);
  let tested = 0;
  let nSignificant = 0;
  for (const p of pvalues) {
    if (!Number.isFinite(p)) continue;
    tested++;
    if (p < alpha) nSignificant++;
  }
  return {
    index,
    term: index === 0 ? 'const' : `lag${index}`,
    n,
    betas,
    mean: average,
    sd,
    quantiles: { min: q(0), q05: q(0.05), q25: q(0.25), median: q(0.5), q75: q(0.75), q95: q(0.95), max: q(1) },
    share_significant: tested > 0 ? nSignificant / tested : NaN,
    n_significant: nSignificant,
    weighted: inverseVarianceMean(betas, bse, alpha),
  };
}

/** The R-7 quantile of ascending values: x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) with h = (n − 1)p; NaN for none. */
function quantile7(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Fixed-effect meta-analysis from its definition: w = 1/bse², mean = Σwβ/Σw, se = √(1/Σw), Q = Σw(β − mean)² on
 * k − 1 degrees of freedom, I² = max(0, (Q − df)/Q); null with no document of finite β and positive finite bse. */
export function inverseVarianceMean(betas: readonly number[], bse: readonly number[], alpha = 0.05): WeightedMean | null {
  const usable = betas.map((b, i) => ({ b, s: bse[i]! })).filter(({ b, s }) => Number.isFinite(b) && Number.isFinite(s) && s > 0);
  if (usable.length === 0) return null;
  const w = usable.map(({ s }) => 1 / s ** 2);
  const total = w.reduce((a, v) => a + v, 0);
  const weighted = usable.reduce((a, { b }, i) => a + w[i]! * b, 0) / total;
  const se = Math.sqrt(1 / total);
  const half = normIsf(alpha / 2) * se;
  const q = usable.reduce((a, { b }, i) => a + w[i]! * (b - weighted) ** 2, 0);
  const df = usable.length - 1;
  const heterogeneity = { q, q_df: df, q_pvalue: df > 0 ? chi2Sf(q, df) : NaN, i2: df > 0 && q > 0 ? Math.max(0, (q - df) / q) : 0 };
  return { k: usable.length, mean: weighted, se, conf_int: [weighted - half, weighted + half], ...heterogeneity };
}

/** Every document's lag design stacked, one row per outcome token, one common intercept. */
export function stackedDesign(series: readonly ArrayLike<number>[], settings: Pick<Settings, 'lags' | 'start'>): { y: Float64Array; X: Float64Array[]; groups: number[] } {
  const designs = series.map((s) => lagDesign(s, settings.lags, settings.start));
  const n = designs.reduce((acc, d) => acc + d.y.length, 0);
  const y = new Float64Array(n);
  const X: Float64Array[] = [];
  const groups: number[] = [];
  let at = 0;
  designs.forEach((d, g) => {
    y.set(d.y, at);
    at += d.y.length;
    for (const row of d.X) {
      X.push(row);
      groups.push(g);
    }
  });
  return { y, X, groups };
}

/** OLS over the stacked designs (settings.cov; HAC lags run across document boundaries, as statsmodels on the stack). */
export function pooledOls(series: readonly ArrayLike<number>[], settings: Settings, alpha = 0.05): FitJSON {
  const { y, X } = stackedDesign(series, settings);
  return fitOls(y, X, { cov: settings.cov, maxlags: settings.maxlags, alpha }).toJSON();
}

/**
 * OLS with one dummy per document instead of the common intercept, by the within transformation (Frisch–Waugh–Lovell:
 * demeaning y and the lags within each document gives the same slopes and residuals as the dummies), so a corpus of
 * thousands of documents needs no thousands of columns. The demeaned fit counts p parameters; the dummy fit counts
 * p + D, so nonrobust and HC1 standard errors are rescaled by √((N − p)/(N − p − D)); HC0 and HAC need no rescaling
 * (their slope block is the same sandwich). HC2/HC3 weight by the dummy design's leverage, which this fit does not
 * form: they are reported unavailable.
 */
export function pooledFixedEffects(series: readonly ArrayLike<number>[], settings: Settings, alpha = 0.05): FixedEffectsFit {
  if (settings.cov === 'HC2' || settings.cov === 'HC3') {
    throw new NormscopeError('BAD_INPUT', `document fixed effects are fitted by the within transformation, which gives no ${settings.cov}; use nonrobust, HC0, HC1 or HAC`);
  }
  const p = settings.lags;
  const yw: number[] = [];
  const Xw: Float64Array[] = [];
  for (const s of series) {
    const { y, X } = lagDesign(s, settings.lags, settings.start);
    const n = y.length;
    const my = y.reduce((a, b) => a + b, 0) / n;
    const mx = new Float64Array(p);
    for (const row of X) for (let k = 0; k < p; k++) mx[k]! += row[k + 1]! / n;
    X.forEach((row, i) => {
      yw.push(y[i]! - my);
      Xw.push(Float64Array.from({ length: p }, (_, k) => row[k + 1]! - mx[k]!));
    });
  }
  const N = yw.length;
  const D = series.length;
  const dfResid = N - p - D;
  if (dfResid < 1) throw new NormscopeError('TOO_FEW_TOKENS', `${N} outcomes over ${D} documents leave no residual degree of freedom for ${p} lags and ${D} intercepts`);
  const within = fitOls(yw, Xw, { cov: settings.cov, maxlags: settings.maxlags, alpha });
  const scale = settings.cov === 'nonrobust' || settings.cov === 'HC1' ? Math.sqrt((N - p) / dfResid) : 1;
  const bse = within.bse.map((b) => b * scale);
  const tvalues = within.params.map((b, k) => b / bse[k]!);
  const useT = within.use_t;
  const pvalues = tvalues.map((t) => 2 * (useT ? tSf(Math.abs(t), dfResid) : normSf(Math.abs(t))));
  const crit = useT ? tIsf(alpha / 2, dfResid) : normIsf(alpha / 2);
  const tss = yw.reduce((a, v) => a + v * v, 0);
  return {
    n_documents: D,
    nobs: N,
    df_model: p,
    df_resid: dfResid,
    cov_type: settings.cov,
    params: within.params,
    bse,
    tvalues,
    pvalues,
    conf_int: within.params.map((b, k) => [b - crit * bse[k]!, b + crit * bse[k]!]),
    ssr: within.ssr,
    rsquared_within: 1 - within.ssr / tss,
  };
}

function attempt<T>(fit: () => T): T | Unavailable {
  try {
    return fit();
  } catch (e) {
    return { error: { code: isNormscopeError(e) ? e.code : 'BAD_INPUT', message: (e as Error)?.message ?? String(e) } };
  }
}
