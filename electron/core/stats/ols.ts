// OLS as statsmodels.OLS(y, X).fit(method='pinv'): a model (design, basis, constant, rank) and its
// results, every statistic a lazily computed, cached getter under statsmodels' name. What no covariance choice
// changes is in olsFitStatistics.ts; here is the inference under one covariance type.
import { COV_TYPES, type CovType, type FitJSON } from '../../../shared/result.js';
import { NormscopeError } from '../errors.js';
import { fSf, normIsf, normSf, tSf } from './distributions.js';
import { OlsData, OlsFitStatistics } from './olsFitStatistics.js';
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

/** The model: data, its least-squares basis, the constant and the rank (OlsData). Fit it once per covariance type. */
export class OlsModel extends OlsData {
  /** Throws BAD_INPUT for bad options (see checkOlsOptions). */
  fit(options: OlsOptions = {}): OlsResults {
    return new OlsResults(this, checkOlsOptions(options));
  }
}

type Square = Float64Array; // k × k, row-major

function toRows(M: Square, k: number): number[][] {
  return Array.from({ length: k }, (_, i) => Array.from(M.subarray(i * k, (i + 1) * k)));
}

/** The results of one fit: the covariance-free statistics (OlsFitStatistics) and the inference under cov_type. */
export class OlsResults extends OlsFitStatistics<OlsModel> {
  /** The covariance type behind bse, tvalues, pvalues, conf_int and (when robust) fvalue. */
  readonly cov_type: CovType;
  readonly maxlags: number | null;
  readonly use_correction: boolean;
  /** Default alpha of conf_int and toJSON. */
  readonly alpha: number;
  /** t (nonrobust) or normal (robust) inference, statsmodels' default `use_t` for each. */
  readonly use_t: boolean;

  constructor(model: OlsModel, options: CheckedOptions) {
    super(model);
    this.cov_type = options.cov;
    this.maxlags = options.maxlags;
    this.use_correction = options.useCorrection;
    this.alpha = options.alpha;
    // statsmodels: fit() sets use_t=True for nonrobust; fit(cov_type=...) leaves the results' default
    // False, so robust covariances get z statistics, normal p-values and normal intervals
    this.use_t = options.cov === 'nonrobust';
  }

  get #k(): number {
    return this.model.k;
  }

  /** pinv(X) pinv(X)ᵀ = P Pᵀ. */
  get normalized_cov_params(): number[][] {
    return toRows(this.#normalizedCov, this.#k);
  }

  get #normalizedCov(): Square {
    return this.memo('#normalizedCov', () => {
      const { P, k } = this.model.basis;
      const identity = new Float64Array(k * k);
      for (let a = 0; a < k; a++) identity[a * k + a] = 1;
      return congruence(P, identity, k);
    });
  }

  /** diag(X pinv(X)), the leverages. */
  get hat_matrix_diag(): Float64Array {
    return this.memo('hat_matrix_diag', () => hatDiagonal(this.model.basis));
  }

  // pinv(X) diag(w) pinv(X)ᵀ with w_i = weight(e_i, h_i); leverages only computed when used
  #hc(key: string, weight: (e: number, h: number) => number, usesLeverage: boolean): Square {
    return this.memo(key, () => {
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
    return this.memo('#HAC', () => {
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
    return this.memo('HC0_se', () => diagSqrt(this.#HC0, this.#k));
  }
  get HC1_se(): number[] {
    return this.memo('HC1_se', () => diagSqrt(this.#HC1, this.#k));
  }
  get HC2_se(): number[] {
    return this.memo('HC2_se', () => diagSqrt(this.#HC2, this.#k));
  }
  get HC3_se(): number[] {
    return this.memo('HC3_se', () => diagSqrt(this.#HC3, this.#k));
  }

  get #cov(): Square {
    switch (this.cov_type) {
      case 'nonrobust':
        return this.memo('#nonrobust', () => this.#normalizedCov.map((v) => v * this.scale));
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
    return this.memo('bse', () => diagSqrt(this.#cov, this.#k));
  }

  /** params / bse. */
  get tvalues(): number[] {
    return this.memo('tvalues', () => this.params.map((p, i) => p / this.bse[i]!));
  }

  /** Two-sided p-values of tvalues: t(df_resid) when use_t, else normal. */
  get pvalues(): number[] {
    return this.memo('pvalues', () =>
      this.tvalues.map((t) => 2 * (this.use_t ? tSf(Math.abs(t), this.df_resid) : normSf(Math.abs(t)))),
    );
  }

  /** [params − q·bse, params + q·bse] with q the upper alpha/2 quantile of t(df_resid) or the normal. */
  conf_int(alpha: number = this.alpha): [number, number][] {
    if (!(typeof alpha === 'number' && alpha > 0 && alpha < 1)) {
      throw new NormscopeError('BAD_INPUT', `alpha must be a number between 0 and 1, got ${JSON.stringify(alpha)}`);
    }
    return this.memo(`conf_int:${alpha}`, () => {
      // statsmodels: q = t.ppf(1 − alpha/2, df_resid), or norm.ppf(1 − alpha/2) without use_t
      const q = this.use_t ? tPpfScipy(1 - alpha / 2, this.df_resid) : normIsf(alpha / 2);
      return this.params.map((p, i): [number, number] => [p - q * this.bse[i]!, p + q * this.bse[i]!]);
    });
  }

  // statsmodels' Wald F test that every non-constant parameter is zero, under the robust covariance
  get #robustF(): WaldF {
    return this.memo('#robustF', () => {
      if (this.k_constant === 1 && this.model.const_idx === null) return { fvalue: NaN, f_pvalue: NaN }; // statsmodels #2444
      const restricted = [...Array(this.#k).keys()].filter((j) => j !== this.model.const_idx);
      return waldFTest(this.params, this.#cov, this.#k, restricted, this.df_resid);
    });
  }

  /** mse_model / mse_resid; under a robust cov, statsmodels' Wald F of all non-constant params. */
  get fvalue(): number {
    return this.memo('fvalue', () => (this.cov_type === 'nonrobust' ? this.mse_model / this.mse_resid : this.#robustF.fvalue));
  }

  /** P(F(df_model, df_resid) > fvalue); NaN when df_model is 0; the Wald test's p under a robust cov. */
  get f_pvalue(): number {
    return this.memo('f_pvalue', () => {
      if (this.cov_type !== 'nonrobust') return this.#robustF.f_pvalue;
      return this.df_model === 0 ? NaN : fSf(this.fvalue, this.df_model, this.df_resid);
    });
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

function diagSqrt(M: Square, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.sqrt(M[i * k + i]!));
}

/** statsmodels.OLS(y, X).fit(cov_type=…). Throws BAD_INPUT for unusable data or options. */
export function fitOls(y: ArrayLike<number>, X: ArrayLike<ArrayLike<number>>, options: OlsOptions = {}): OlsResults {
  const checked = checkOlsOptions(options);
  return new OlsResults(new OlsModel(y, X), checked);
}
