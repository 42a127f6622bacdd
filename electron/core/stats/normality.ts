// Normality diagnostics of residuals as statsmodels' summary reports them: scipy's biased skew and
// (non-excess) kurtosis, the Jarque–Bera test, and D'Agostino–Pearson's omnibus K² (scipy.stats.normaltest).
// Written out because no maintained JavaScript library reproduces scipy's statistics formula for formula.
import { chi2Sf } from './distributions.js';

export interface Moments {
  /** m3 / m2^1.5, NaN when the values are constant. */
  skew: number;
  /** m4 / m2², not excess (3 for a normal sample), NaN when the values are constant. */
  kurtosis: number;
}

/** Central-moment skew and kurtosis with divisor n (scipy.stats.skew / kurtosis(fisher=False), bias=True). */
export function moments(x: ArrayLike<number>): Moments {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  // scipy's test for "all values equal up to rounding"
  if (!(m2 > (Number.EPSILON * mean) ** 2)) return { skew: NaN, kurtosis: NaN };
  return { skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

export interface TestResult {
  statistic: number;
  pvalue: number;
}

/** Jarque–Bera: n/6 · (S² + (K − 3)²/4), p from χ²(2). */
export function jarqueBera(x: ArrayLike<number>): TestResult & Moments {
  const { skew, kurtosis } = moments(x);
  const statistic = (x.length / 6) * (skew * skew + 0.25 * (kurtosis - 3) ** 2);
  return { statistic, pvalue: chi2Sf(statistic, 2), skew, kurtosis };
}

/** D'Agostino's skewness z-score (scipy.stats.skewtest); NaN below 8 values. */
export function skewTest(skew: number, n: number): number {
  if (n < 8) return NaN;
  let y = skew * Math.sqrt(((n + 1) * (n + 3)) / (6.0 * (n - 2)));
  const beta2 = (3.0 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) / ((n - 2.0) * (n + 5) * (n + 7) * (n + 9));
  const W2 = -1 + Math.sqrt(2 * (beta2 - 1));
  const delta = 1 / Math.sqrt(0.5 * Math.log(W2));
  const alpha = Math.sqrt(2.0 / (W2 - 1));
  if (y === 0) y = 1;
  return delta * Math.log(y / alpha + Math.sqrt((y / alpha) ** 2 + 1));
}

/** Anscombe–Glynn kurtosis z-score (scipy.stats.kurtosistest); NaN below 5 values. */
export function kurtosisTest(kurtosis: number, n: number): number {
  if (n < 5) return NaN;
  const E = (3.0 * (n - 1)) / (n + 1);
  const varb2 = (24.0 * n * (n - 2) * (n - 3)) / ((n + 1) * (n + 1.0) * (n + 3) * (n + 5));
  const x = (kurtosis - E) / Math.sqrt(varb2);
  const sqrtbeta1 = ((6.0 * (n * n - 5 * n + 2)) / ((n + 7) * (n + 9))) * Math.sqrt((6.0 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3)));
  const A = 6.0 + (8.0 / sqrtbeta1) * (2.0 / sqrtbeta1 + Math.sqrt(1 + 4.0 / sqrtbeta1 ** 2));
  const term1 = 1 - 2 / (9.0 * A);
  const denom = 1 + x * Math.sqrt(2 / (A - 4.0));
  const term2 = denom === 0 ? NaN : Math.sign(denom) * Math.cbrt((1 - 2.0 / A) / Math.abs(denom));
  return (term1 - term2) / Math.sqrt(2 / (9.0 * A));
}

/** Omnibus K² = z_skew² + z_kurt², p from χ²(2); NaN below 8 values (statsmodels' omni_normtest). */
export function omnibus(x: ArrayLike<number>): TestResult {
  const n = x.length;
  if (n < 8) return { statistic: NaN, pvalue: NaN };
  const { skew, kurtosis } = moments(x);
  const zs = skewTest(skew, n);
  const zk = kurtosisTest(kurtosis, n);
  const statistic = zs * zs + zk * zk;
  return { statistic, pvalue: chi2Sf(statistic, 2) };
}
