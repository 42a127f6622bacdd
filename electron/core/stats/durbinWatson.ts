// Durbin–Watson statistic of a residual series.

/** Σ (e_t − e_{t−1})² / Σ e_t²: near 2 without first-order autocorrelation, toward 0 with positive. */
export function durbinWatson(resid: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < resid.length; i++) {
    const e = resid[i]!;
    den += e * e;
    if (i > 0) num += (e - resid[i - 1]!) ** 2;
  }
  return num / den;
}
