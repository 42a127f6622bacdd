// OLS as statsmodels.OLS(y, X).fit(method='pinv'): a model (design, basis, constant, rank) and its
// results, every statistic a lazily computed, cached getter under statsmodels' name.
// Over 450 lines by design: statsmodels' results as one class of cached getters, one per statistic under its name
// (STYLE.md); the covariances, tails and diagnostics it reads are in their own files.
import { COV_TYPES, type CovType, type FitJSON } from '../../../shared/result.js';
import { NormscopeError } from '../errors.js';
import { detectConstant } from './constant.js';
import { packDesign } from './design.js';
import { fSf, normIsf, normSf, tSf } from './distributions.js';
import { durbinWatson } from './durbinWatson.js';
import { leastSquaresBasis, type LeastSquaresBasis } from './leastSquares.js';
import { jarqueBera, omnibus } from './normality.js';
import { residuals } from './residuals.js';
import { tPpfScipy } from './scipyTQuantile.js';
import { congruence, hacMeat, hatDiagonal, weightedMeat } from './sandwich.js';
import { waldFTest, type WaldF } from './wald.js';

export interface OlsOptions {
  /** Covariance of the parameters; default 'nonrobust'. */
  cov?: CovType;
  /** HAC only (required there): number of lags of the Bartlett kernel, a whole number ≥ 0. */
  maxlags?: number;
  /**
   * HAC only: multiply by nobs / (nobs − k) as statsmodels' `use_correction=True` does. Default false,
   * statsmodels' default for `fit(cov_type='HAC')`.
   */
  useCorrection?: boolean;
  /** Default significance level of conf_int and toJSON; default 0.05. */
  alpha?: number;
}

interface CheckedOptions {
  cov: CovType;
  maxlags: number | null;
  useCorrection: boolean;
  alpha: number;
}

/** Throws BAD_INPUT for an unknown cov, HAC without a whole maxlags ≥ 0, or alpha outside (0, 1). */
export function checkOlsOptions(options: OlsOptions = {}): CheckedOptions {
  const cov = options.cov ?? 'nonrobust';
  if (!(COV_TYPES as readonly string[]).includes(cov)) {
    throw new NormscopeError('BAD_INPUT', `unknown cov ${JSON.stringify(cov)}: expected one of ${COV_TYPES.join(', ')}`);
  }
  const { maxlags } = options;
  if (maxlags !== undefined && !(Number.isInteger(maxlags) && maxlags >= 0)) {
    throw new NormscopeError('BAD_INPUT', `maxlags must be a whole number ≥ 0, got ${JSON.stringify(maxlags)}`);
  }
  if (cov === 'HAC' && maxlags === undefined) {
    throw new NormscopeError('BAD_INPUT', 'cov HAC needs maxlags, the number of lags of its Bartlett kernel (a whole number ≥ 0)');
  }
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw new NormscopeError('BAD_INPUT', `alpha must be a number between 0 and 1, got ${JSON.stringify(alpha)}`);
  }
  const useCorrection = options.useCorrection ?? false;
  if (typeof useCorrection !== 'boolean') {
    throw new NormscopeError('BAD_INPUT', `useCorrection must be true or false, got ${JSON.stringify(useCorrection)}`);
  }
  return { cov, maxlags: maxlags ?? null, useCorrection, alpha };
}

/** The model: data, its least-squares basis, the constant and the rank. Fit it once per covariance type. */
export class OlsModel {
  readonly y: Float64Array;
  /** nobs × k, row-major. */
  readonly X: Float64Array;
  readonly nobs: number;
  readonly k: number;
  readonly basis: LeastSquaresBasis;
  readonly k_constant: 0 | 1;
  readonly const_idx: number | null;
  readonly rank: number;

  /** Throws BAD_INPUT for unusable data (see packDesign). */
  constructor(y: ArrayLike<number>, X: ArrayLike<ArrayLike<number>>) {
    const design = packDesign(y, X);
    this.y = design.y;
    this.X = design.X;
    this.nobs = design.nobs;
    this.k = design.k;
    const constant = detectConstant(this.X, this.nobs, this.k);
    this.k_constant = constant.k_constant;
    this.const_idx = constant.const_idx;
    this.basis = leastSquaresBasis(this.X, this.nobs, this.k, this.const_idx);
    this.rank = this.basis.rank;
  }

  /** rank − k_constant. */
  get df_model(): number {
    return this.rank - this.k_constant;
  }

  /** nobs − rank. */
  get df_resid(): number {
    return this.nobs - this.rank;
  }

  /** Throws BAD_INPUT for bad options (see checkOlsOptions). */
  fit(options: OlsOptions = {}): OlsResults {
    return new OlsResults(this, checkOlsOptions(options));
  }
}

type Square = Float64Array; // k × k, row-major

function toRows(M: Square, k: number): number[][] {
  return Array.from({ length: k }, (_, i) => Array.from(M.subarray(i * k, (i + 1) * k)));
}

/**
 * The results of one fit. Getters compute on first use and cache; none writes any other entry.
 * Arrays returned are shared with the cache: read them, do not modify them.
 */
export class OlsResults {
  readonly model: OlsModel;
  /** The covariance type behind bse, tvalues, pvalues, conf_int and (when robust) fvalue. */
  readonly cov_type: CovType;
  readonly maxlags: number | null;
  readonly use_correction: boolean;
  /** Default alpha of conf_int and toJSON. */
  readonly alpha: number;
  /** t (nonrobust) or normal (robust) inference, statsmodels' default `use_t` for each. */
  readonly use_t: boolean;
  readonly #cache = new Map<string, unknown>();

  constructor(model: OlsModel, options: CheckedOptions) {
    this.model = model;
    this.cov_type = options.cov;
    this.maxlags = options.maxlags;
    this.use_correction = options.useCorrection;
    this.alpha = options.alpha;
    // statsmodels: fit() sets use_t=True for nonrobust; fit(cov_type=...) leaves the results' default
    // False, so robust covariances get z statistics, normal p-values and normal intervals
    this.use_t = options.cov === 'nonrobust';
  }

  #memo<T>(key: string, compute: () => T): T {
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = compute();
    this.#cache.set(key, value);
    return value;
  }

  get #k(): number {
    return this.model.k;
  }

  /** Number of observations. */
  get nobs(): number {
    return this.model.nobs;
  }
  /** 1 when the design has a constant (explicit or implicit). */
  get k_constant(): number {
    return this.model.k_constant;
  }
  /** Rank of X from its singular values (numpy's matrix_rank tolerance). */
  get rank(): number {
    return this.model.rank;
  }
  /** rank − k_constant. */
  get df_model(): number {
    return this.model.df_model;
  }
  /** nobs − rank. */
  get df_resid(): number {
    return this.model.df_resid;
  }

  /** pinv(X) y = P (Qᵀ y), refined once by pinv(X) applied to its own residuals. */
  get params(): number[] {
    return this.#memo('params', () => {
      const { y, X, nobs, k } = this.model;
      const first = pinvTimes(this.model.basis, y);
      // one step of iterative refinement on residuals carried in double-double wins back the digits
      // the rounding of P Qᵀ y lost (NIST Longley: 10.6 → 13.7 on the worst coefficient)
      const correction = pinvTimes(this.model.basis, residuals(y, X, first, nobs, k));
      return Array.from({ length: k }, (_, a) => first[a]! + correction[a]!);
    });
  }

  /** X · params. */
  get fittedvalues(): Float64Array {
    return this.#memo('fittedvalues', () => {
      const { X, nobs, k } = this.model;
      const params = this.params;
      const fitted = new Float64Array(nobs);
      for (let i = 0; i < nobs; i++) {
        let sum = 0;
        for (let a = 0; a < k; a++) sum += X[i * k + a] * params[a]!;
        fitted[i] = sum;
      }
      return fitted;
    });
  }

  /** y − X · params, each row summed in double-double (a Longley residual is 10⁶-sized terms cancelling to 10²). */
  get resid(): Float64Array {
    return this.#memo('resid', () => {
      const { y, X, nobs, k } = this.model;
      return residuals(y, X, this.params, nobs, k);
    });
  }

  /** Σ resid². */
  get ssr(): number {
    return this.#memo('ssr', () => {
      let sum = 0;
      for (const e of this.resid) sum += e * e;
      return sum;
    });
  }

  /** ssr / df_resid. */
  get scale(): number {
    return this.#memo('scale', () => this.ssr / this.df_resid);
  }

  /** Σ (y − ȳ)². */
  get centered_tss(): number {
    return this.#memo('centered_tss', () => {
      const { y } = this.model;
      let mean = 0;
      for (const v of y) mean += v;
      mean /= y.length;
      let sum = 0;
      for (const v of y) sum += (v - mean) ** 2;
      return sum;
    });
  }

  /** Σ y². */
  get uncentered_tss(): number {
    return this.#memo('uncentered_tss', () => {
      let sum = 0;
      for (const v of this.model.y) sum += v * v;
      return sum;
    });
  }

  /** Explained sum of squares: centered_tss − ssr with a constant, uncentered_tss − ssr without. */
  get ess(): number {
    return this.#memo('ess', () => (this.k_constant ? this.centered_tss : this.uncentered_tss) - this.ssr);
  }

  /** 1 − ssr / centered_tss with a constant, 1 − ssr / uncentered_tss without. */
  get rsquared(): number {
    return this.#memo('rsquared', () => 1 - this.ssr / (this.k_constant ? this.centered_tss : this.uncentered_tss));
  }

  /** 1 − (nobs − k_constant) / df_resid · (1 − R²). */
  get rsquared_adj(): number {
    return this.#memo('rsquared_adj', () => 1 - ((this.nobs - this.k_constant) / this.df_resid) * (1 - this.rsquared));
  }

  /** ess / df_model (NaN when df_model is 0). */
  get mse_model(): number {
    return this.#memo('mse_model', () => (this.df_model === 0 ? NaN : this.ess / this.df_model));
  }

  /** ssr / df_resid (NaN when df_resid is 0). */
  get mse_resid(): number {
    return this.#memo('mse_resid', () => (this.df_resid === 0 ? NaN : this.ssr / this.df_resid));
  }

  /** (centered or uncentered) tss / (df_resid + df_model). */
  get mse_total(): number {
    return this.#memo('mse_total', () => {
      const df = this.df_resid + this.df_model;
      return df === 0 ? NaN : (this.k_constant ? this.centered_tss : this.uncentered_tss) / df;
    });
  }

  /** pinv(X) pinv(X)ᵀ = P Pᵀ. */
  get normalized_cov_params(): number[][] {
    return toRows(this.#normalizedCov, this.#k);
  }

  get #normalizedCov(): Square {
    return this.#memo('#normalizedCov', () => {
      const { P, k } = this.model.basis;
      const identity = new Float64Array(k * k);
      for (let a = 0; a < k; a++) identity[a * k + a] = 1;
      return congruence(P, identity, k);
    });
  }

  /** diag(X pinv(X)), the leverages. */
  get hat_matrix_diag(): Float64Array {
    return this.#memo('hat_matrix_diag', () => hatDiagonal(this.model.basis));
  }

  // pinv(X) diag(w) pinv(X)ᵀ with w_i = weight(e_i, h_i); leverages only computed when used
  #hc(key: string, weight: (e: number, h: number) => number, usesLeverage: boolean): Square {
    return this.#memo(key, () => {
      const { basis, nobs, k } = this.model;
      const resid = this.resid;
      const h = usesLeverage ? this.hat_matrix_diag : null;
      const w = new Float64Array(nobs);
      for (let i = 0; i < nobs; i++) w[i] = weight(resid[i]!, h ? h[i]! : 0);
      return congruence(basis.P, weightedMeat(basis.Q, w, nobs, k), k);
    });
  }

  get #HC0(): Square {
    return this.#hc('#HC0', (e) => e * e, false);
  }
  get #HC1(): Square {
    const factor = this.nobs / this.df_resid;
    return this.#hc('#HC1', (e) => factor * e * e, false);
  }
  get #HC2(): Square {
    return this.#hc('#HC2', (e, h) => (e * e) / (1 - h), true);
  }
  get #HC3(): Square {
    return this.#hc('#HC3', (e, h) => (e / (1 - h)) ** 2, true);
  }

  get #HAC(): Square {
    return this.#memo('#HAC', () => {
      const { basis, nobs, k } = this.model;
      const maxlags = this.maxlags ?? 0;
      const cov = congruence(basis.P, hacMeat(basis.Q, this.resid, nobs, k, maxlags), k);
      if (this.use_correction) for (let i = 0; i < cov.length; i++) cov[i] *= nobs / (nobs - k);
      return cov;
    });
  }

  /** White's heteroskedasticity-robust covariance, pinv(X) diag(e²) pinv(X)ᵀ. */
  get cov_HC0(): number[][] {
    return toRows(this.#HC0, this.#k);
  }
  /** HC0 · nobs / df_resid. */
  get cov_HC1(): number[][] {
    return toRows(this.#HC1, this.#k);
  }
  /** Weights e² / (1 − h). */
  get cov_HC2(): number[][] {
    return toRows(this.#HC2, this.#k);
  }
  /** Weights e² / (1 − h)². */
  get cov_HC3(): number[][] {
    return toRows(this.#HC3, this.#k);
  }
  get HC0_se(): number[] {
    return this.#memo('HC0_se', () => diagSqrt(this.#HC0, this.#k));
  }
  get HC1_se(): number[] {
    return this.#memo('HC1_se', () => diagSqrt(this.#HC1, this.#k));
  }
  get HC2_se(): number[] {
    return this.#memo('HC2_se', () => diagSqrt(this.#HC2, this.#k));
  }
  get HC3_se(): number[] {
    return this.#memo('HC3_se', () => diagSqrt(this.#HC3, this.#k));
  }

  get #cov(): Square {
    switch (this.cov_type) {
      case 'nonrobust':
        return this.#memo('#nonrobust', () => this.#normalizedCov.map((v) => v * this.scale));
      case 'HC0':
        return this.#HC0;
      case 'HC1':
        return this.#HC1;
      case 'HC2':
        return this.#HC2;
      case 'HC3':
        return this.#HC3;
      case 'HAC':
        return this.#HAC;
    }
  }

  /** Covariance of the parameters under cov_type (scale · normalized_cov_params when nonrobust). */
  get cov_params(): number[][] {
    return toRows(this.#cov, this.#k);
  }

  /** √diag(cov_params). */
  get bse(): number[] {
    return this.#memo('bse', () => diagSqrt(this.#cov, this.#k));
  }

  /** params / bse. */
  get tvalues(): number[] {
    return this.#memo('tvalues', () => this.params.map((p, i) => p / this.bse[i]!));
  }

  /** Two-sided p-values of tvalues: t(df_resid) when use_t, else normal. */
  get pvalues(): number[] {
    return this.#memo('pvalues', () =>
      this.tvalues.map((t) => 2 * (this.use_t ? tSf(Math.abs(t), this.df_resid) : normSf(Math.abs(t)))),
    );
  }

  /** [params − q·bse, params + q·bse] with q the upper alpha/2 quantile of t(df_resid) or the normal. */
  conf_int(alpha: number = this.alpha): [number, number][] {
    if (!(typeof alpha === 'number' && alpha > 0 && alpha < 1)) {
      throw new NormscopeError('BAD_INPUT', `alpha must be a number between 0 and 1, got ${JSON.stringify(alpha)}`);
    }
    return this.#memo(`conf_int:${alpha}`, () => {
      // statsmodels: q = t.ppf(1 − alpha/2, df_resid), or norm.ppf(1 − alpha/2) without use_t
      const q = this.use_t ? tPpfScipy(1 - alpha / 2, this.df_resid) : normIsf(alpha / 2);
      return this.params.map((p, i): [number, number] => [p - q * this.bse[i]!, p + q * this.bse[i]!]);
    });
  }

  // statsmodels' Wald F test that every non-constant parameter is zero, under the robust covariance
  get #robustF(): WaldF {
    return this.#memo('#robustF', () => {
      if (this.k_constant === 1 && this.model.const_idx === null) return { fvalue: NaN, f_pvalue: NaN }; // statsmodels #2444
      const restricted = [...Array(this.#k).keys()].filter((j) => j !== this.model.const_idx);
      return waldFTest(this.params, this.#cov, this.#k, restricted, this.df_resid);
    });
  }

  /** mse_model / mse_resid; under a robust cov, statsmodels' Wald F of all non-constant params. */
  get fvalue(): number {
    return this.#memo('fvalue', () => (this.cov_type === 'nonrobust' ? this.mse_model / this.mse_resid : this.#robustF.fvalue));
  }

  /** P(F(df_model, df_resid) > fvalue); NaN when df_model is 0; the Wald test's p under a robust cov. */
  get f_pvalue(): number {
    return this.#memo('f_pvalue', () => {
      if (this.cov_type !== 'nonrobust') return this.#robustF.f_pvalue;
      return this.df_model === 0 ? NaN : fSf(this.fvalue, this.df_model, this.df_resid);
    });
  }

  /** Profile log-likelihood −n/2 · (ln(2π) + ln(ssr/n) + 1). */
  get llf(): number {
    return this.#memo('llf', () => {
      const n2 = this.nobs / 2;
      return -n2 * Math.log(2 * Math.PI) - n2 * Math.log(this.ssr / this.nobs) - n2;
    });
  }

  /** −2 llf + 2 (df_model + k_constant). */
  get aic(): number {
    return this.#memo('aic', () => -2 * this.llf + 2 * (this.df_model + this.k_constant));
  }

  /** −2 llf + ln(nobs) (df_model + k_constant). */
  get bic(): number {
    return this.#memo('bic', () => -2 * this.llf + Math.log(this.nobs) * (this.df_model + this.k_constant));
  }

  /** Eigenvalues of XᵀX (squared singular values of X), largest first. */
  get eigenvals(): Float64Array {
    return this.#memo('eigenvals', () => this.model.basis.singularValues.map((s) => s * s));
  }

  /** √(largest / smallest eigenvalue of XᵀX). */
  get condition_number(): number {
    return this.#memo('condition_number', () => {
      const e = this.eigenvals;
      return Math.sqrt(e[0]! / e[e.length - 1]!);
    });
  }

  /** Durbin–Watson statistic of the residuals. */
  get durbin_watson(): number {
    return this.#memo('durbin_watson', () => durbinWatson(this.resid));
  }

  get #omnibus(): { statistic: number; pvalue: number } {
    return this.#memo('#omnibus', () => omnibus(this.resid));
  }
  /** D'Agostino–Pearson K² of the residuals (NaN below 8 observations). */
  get omnibus(): number {
    return this.#omnibus.statistic;
  }
  /** P(χ²(2) > omnibus). */
  get omnibus_pvalue(): number {
    return this.#omnibus.pvalue;
  }

  get #jarqueBera(): ReturnType<typeof jarqueBera> {
    return this.#memo('#jarqueBera', () => jarqueBera(this.resid));
  }
  /** Jarque–Bera statistic of the residuals. */
  get jarque_bera(): number {
    return this.#jarqueBera.statistic;
  }
  /** P(χ²(2) > jarque_bera). */
  get jarque_bera_pvalue(): number {
    return this.#jarqueBera.pvalue;
  }
  /** Skewness of the residuals (biased, as statsmodels' summary). */
  get skew(): number {
    return this.#jarqueBera.skew;
  }
  /** Kurtosis of the residuals, not excess (3 for normal residuals). */
  get kurtosis(): number {
    return this.#jarqueBera.kurtosis;
  }

  /**
   * The `fit` object of the normscope.analysis/1 contract. JSON.stringify calls this with a key
   * string, so anything but a number means the default alpha.
   */
  toJSON(alpha?: number | string): FitJSON {
    const a = typeof alpha === 'number' ? alpha : this.alpha;
    return {
      nobs: this.nobs,
      df_model: this.df_model,
      df_resid: this.df_resid,
      params: [...this.params],
      bse: [...this.bse],
      tvalues: [...this.tvalues],
      pvalues: [...this.pvalues],
      conf_int: this.conf_int(a).map(([lo, hi]): [number, number] => [lo, hi]),
      rsquared: this.rsquared,
      rsquared_adj: this.rsquared_adj,
      fvalue: this.fvalue,
      f_pvalue: this.f_pvalue,
      llf: this.llf,
      aic: this.aic,
      bic: this.bic,
      ssr: this.ssr,
      ess: this.ess,
      centered_tss: this.centered_tss,
      mse_model: this.mse_model,
      mse_resid: this.mse_resid,
      condition_number: this.condition_number,
      durbin_watson: this.durbin_watson,
      omnibus: this.omnibus,
      omnibus_pvalue: this.omnibus_pvalue,
      jarque_bera: this.jarque_bera,
      jarque_bera_pvalue: this.jarque_bera_pvalue,
      skew: this.skew,
      kurtosis: this.kurtosis,
      cov_type: this.cov_type,
    };
  }
}

/** pinv(X) v = P (Qᵀ v). */
function pinvTimes(basis: LeastSquaresBasis, v: Float64Array): Float64Array {
  const { Q, P, nobs, k } = basis;
  const qtv = new Float64Array(k);
  for (let i = 0; i < nobs; i++) for (let a = 0; a < k; a++) qtv[a] += Q[i * k + a]! * v[i]!;
  const out = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let sum = 0;
    for (let b = 0; b < k; b++) sum += P[a * k + b]! * qtv[b]!;
    out[a] = sum;
  }
  return out;
}

function diagSqrt(M: Square, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.sqrt(M[i * k + i]!));
}

/** statsmodels.OLS(y, X).fit(cov_type=…). Throws BAD_INPUT for unusable data or options. */
export function fitOls(y: ArrayLike<number>, X: ArrayLike<ArrayLike<number>>, options: OlsOptions = {}): OlsResults {
  const checked = checkOlsOptions(options);
  return new OlsResults(new OlsModel(y, X), checked);
}
