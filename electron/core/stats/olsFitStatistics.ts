// An OLS model's data, and the statistics of its fit that no covariance choice changes: the estimates, residuals, sums
// of squares, R², likelihood, information criteria and residual diagnostics, each a lazily computed, cached getter
// under statsmodels' name. ols.ts's OlsModel and OlsResults extend them with fit() and inference under a covariance type.
import { detectConstant } from './constant.js';
import { packDesign } from './design.js';
import { durbinWatson } from './durbinWatson.js';
import { leastSquaresBasis, type LeastSquaresBasis } from './leastSquares.js';
import { jarqueBera, omnibus } from './normality.js';
import { residuals } from './residuals.js';

/** An OLS model's data: the packed design, its least-squares basis, the constant and the rank (ols.ts OlsModel adds fit). */
export class OlsData {
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
}

/**
 * The covariance-free part of one fit. Getters compute on first use and cache; none writes any other entry.
 * Arrays returned are shared with the cache: read them, do not modify them.
 */
export class OlsFitStatistics<M extends OlsData = OlsData> {
  readonly model: M;
  readonly #cache = new Map<string, unknown>();

  constructor(model: M) {
    this.model = model;
  }

  /** `compute()` once per key, then the cached value (OlsResults caches its inference here too). */
  protected memo<T>(key: string, compute: () => T): T {
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = compute();
    this.#cache.set(key, value);
    return value;
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
    return this.memo('params', () => {
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
    return this.memo('fittedvalues', () => {
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
    return this.memo('resid', () => {
      const { y, X, nobs, k } = this.model;
      return residuals(y, X, this.params, nobs, k);
    });
  }

  /** Σ resid². */
  get ssr(): number {
    return this.memo('ssr', () => {
      let sum = 0;
      for (const e of this.resid) sum += e * e;
      return sum;
    });
  }

  /** ssr / df_resid. */
  get scale(): number {
    return this.memo('scale', () => this.ssr / this.df_resid);
  }

  /** Σ (y − ȳ)². */
  get centered_tss(): number {
    return this.memo('centered_tss', () => {
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
    return this.memo('uncentered_tss', () => {
      let sum = 0;
      for (const v of this.model.y) sum += v * v;
      return sum;
    });
  }

  /** Explained sum of squares: centered_tss − ssr with a constant, uncentered_tss − ssr without. */
  get ess(): number {
    return this.memo('ess', () => (this.k_constant ? this.centered_tss : this.uncentered_tss) - this.ssr);
  }

  /** 1 − ssr / centered_tss with a constant, 1 − ssr / uncentered_tss without. */
  get rsquared(): number {
    return this.memo('rsquared', () => 1 - this.ssr / (this.k_constant ? this.centered_tss : this.uncentered_tss));
  }

  /** 1 − (nobs − k_constant) / df_resid · (1 − R²). */
  get rsquared_adj(): number {
    return this.memo('rsquared_adj', () => 1 - ((this.nobs - this.k_constant) / this.df_resid) * (1 - this.rsquared));
  }

  /** ess / df_model (NaN when df_model is 0). */
  get mse_model(): number {
    return this.memo('mse_model', () => (this.df_model === 0 ? NaN : this.ess / this.df_model));
  }

  /** ssr / df_resid (NaN when df_resid is 0). */
  get mse_resid(): number {
    return this.memo('mse_resid', () => (this.df_resid === 0 ? NaN : this.ssr / this.df_resid));
  }

  /** (centered or uncentered) tss / (df_resid + df_model). */
  get mse_total(): number {
    return this.memo('mse_total', () => {
      const df = this.df_resid + this.df_model;
      return df === 0 ? NaN : (this.k_constant ? this.centered_tss : this.uncentered_tss) / df;
    });
  }

  /** Profile log-likelihood −n/2 · (ln(2π) + ln(ssr/n) + 1). */
  get llf(): number {
    return this.memo('llf', () => {
      const n2 = this.nobs / 2;
      return -n2 * Math.log(2 * Math.PI) - n2 * Math.log(this.ssr / this.nobs) - n2;
    });
  }

  /** −2 llf + 2 (df_model + k_constant). */
  get aic(): number {
    return this.memo('aic', () => -2 * this.llf + 2 * (this.df_model + this.k_constant));
  }

  /** −2 llf + ln(nobs) (df_model + k_constant). */
  get bic(): number {
    return this.memo('bic', () => -2 * this.llf + Math.log(this.nobs) * (this.df_model + this.k_constant));
  }

  /** Eigenvalues of XᵀX (squared singular values of X), largest first. */
  get eigenvals(): Float64Array {
    return this.memo('eigenvals', () => this.model.basis.singularValues.map((s) => s * s));
  }

  /** √(largest / smallest eigenvalue of XᵀX). */
  get condition_number(): number {
    return this.memo('condition_number', () => {
      const e = this.eigenvals;
      return Math.sqrt(e[0]! / e[e.length - 1]!);
    });
  }

  /** Durbin–Watson statistic of the residuals. */
  get durbin_watson(): number {
    return this.memo('durbin_watson', () => durbinWatson(this.resid));
  }

  get #omnibus(): { statistic: number; pvalue: number } {
    return this.memo('#omnibus', () => omnibus(this.resid));
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
    return this.memo('#jarqueBera', () => jarqueBera(this.resid));
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
