// The statsmodels OLS results (FitJSON) of a fit solved from its triangular factor (factorSolve.ts): the t or z
// tests, the F test (a Wald test under a robust covariance), likelihood, information criteria and residual diagnostics.
import type { CovType, FitJSON } from '../../../shared/result.js';
import { chi2Sf, fSf, normIsf, normSf, tSf } from './distributions.js';
import { covariance, type Solved } from './factorSolve.js';
import { kurtosisTest, skewTest } from './normality.js';
import { tPpfScipy } from './scipyTQuantile.js';
import { diagSqrt } from './triangular.js';
import { waldFTest } from './wald.js';

/** OLS results of `s` over `nobs` rows whose outcome has centered total sum of squares `tss`. */
export function factorOlsFit(s: Solved, nobs: number, tss: number, cov: CovType, alpha: number): FitJSON {
  const k = s.k;
  const dfModel = s.rank - 1;
  const dfResid = nobs - s.rank;
  const ssr = s.pass.ssr;
  const scale = ssr / dfResid;
  const covM = covariance(s, cov, nobs, dfResid, scale);
  const useT = cov === 'nonrobust';
  const params = [...s.params];
  const bse = diagSqrt(covM, k);
  const tvalues = params.map((p, i) => p / bse[i]!);
  const pvalues = tvalues.map((t) => 2 * (useT ? tSf(Math.abs(t), dfResid) : normSf(Math.abs(t))));
  const q = useT ? tPpfScipy(1 - alpha / 2, dfResid) : normIsf(alpha / 2);
  const ess = tss - ssr;
  const mseModel = dfModel === 0 ? NaN : ess / dfModel;
  const mseResid = dfResid === 0 ? NaN : ssr / dfResid;
  let fvalue: number;
  let fP: number;
  if (useT) {
    fvalue = mseModel / mseResid;
    fP = dfModel === 0 ? NaN : fSf(fvalue, dfModel, dfResid);
  } else {
    const w = waldFTest(params, covM, k, [...Array(k).keys()].slice(1), dfResid);
    fvalue = w.fvalue;
    fP = w.f_pvalue;
  }
  const n2 = nobs / 2;
  const llf = -n2 * Math.log(2 * Math.PI) - n2 * Math.log(ssr / nobs) - n2;
  const { skew, kurtosis } = s.pass.moments(nobs);
  const jb = (nobs / 6) * (skew * skew + 0.25 * (kurtosis - 3) ** 2);
  let omni = NaN;
  let omniP = NaN;
  if (nobs >= 8) {
    const zs = skewTest(skew, nobs);
    const zk = kurtosisTest(kurtosis, nobs);
    omni = zs * zs + zk * zk;
    omniP = chi2Sf(omni, 2);
  }
  return {
    nobs,
    df_model: dfModel,
    df_resid: dfResid,
    params,
    bse,
    tvalues,
    pvalues,
    conf_int: params.map((p, i): [number, number] => [p - q * bse[i]!, p + q * bse[i]!]),
    rsquared: 1 - ssr / tss,
    rsquared_adj: 1 - ((nobs - 1) / dfResid) * (1 - (1 - ssr / tss)),
    fvalue,
    f_pvalue: fP,
    llf,
    aic: -2 * llf + 2 * (dfModel + 1),
    bic: -2 * llf + Math.log(nobs) * (dfModel + 1),
    ssr,
    ess,
    centered_tss: tss,
    mse_model: mseModel,
    mse_resid: mseResid,
    condition_number: Math.sqrt(s.singular[0]! ** 2 / s.singular[s.singular.length - 1]! ** 2),
    durbin_watson: s.pass.dwNum / ssr,
    omnibus: omni,
    omnibus_pvalue: omniP,
    jarque_bera: jb,
    jarque_bera_pvalue: chi2Sf(jb, 2),
    skew,
    kurtosis,
    cov_type: cov,
  };
}
