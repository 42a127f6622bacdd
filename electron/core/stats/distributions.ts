// Survival functions (upper tails) and upper quantiles of t, F, χ² and the normal distribution.
// Tails come from the regularized incomplete beta/gamma of the complementary argument, so tiny
// p-values keep their relative precision; quantiles start from jstat's and are polished by Newton
// steps on those tails (jstat's inverses stop at a relative change of 1e-8).
import jStat from 'jstat';
import { betaRegularized, gammaRegularizedUpper, logGamma } from './special.js';

/** P(T > t) for Student's t with `df` degrees of freedom. */
export function tSf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2), with the complement t²/(df+t²) passed exactly
  const tail = t2 === Infinity ? 0 : 0.5 * betaRegularized(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
  return t >= 0 ? tail : 1 - tail;
}

/** Density of Student's t. */
export function tPdf(t: number, df: number): number {
  return Math.exp(
    logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df),
  );
}

/** P(F > f) for the F distribution with (d1, d2) degrees of freedom. */
export function fSf(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f) || !(d1 > 0) || !(d2 > 0)) return NaN;
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  const s = d2 + d1 * f;
  return betaRegularized(d2 / s, d2 / 2, d1 / 2, (d1 * f) / s);
}

/** P(X > x) for χ² with k degrees of freedom. */
export function chi2Sf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return NaN;
  return x <= 0 ? 1 : gammaRegularizedUpper(k / 2, x / 2);
}

/** P(Z > z) for the standard normal: ½ Q(½, z²/2) for z ≥ 0. */
export function normSf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return 1 - normSf(-z);
  return 0.5 * gammaRegularizedUpper(0.5, (z * z) / 2);
}

/** Density of the standard normal. */
export function normPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

// Newton's method on a decreasing survival function: finds q with sf(q) = p from a close start.
function polishQuantile(p: number, start: number, sf: (q: number) => number, pdf: (q: number) => number): number {
  let q = start;
  for (let i = 0; i < 50; i++) {
    const density = pdf(q);
    if (!(density > 0)) break;
    const step = (sf(q) - p) / density;
    if (!Number.isFinite(step)) break;
    q += step;
    if (Math.abs(step) <= 4e-16 * Math.abs(q)) break;
  }
  return q;
}

/** The q with P(T > q) = p (statsmodels' `t.ppf(1 - p, df)`). */
export function tIsf(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  return polishQuantile(p, -jStat.studentt.inv(p, df), (q) => tSf(q, df), (q) => tPdf(q, df));
}

/** The q with P(Z > q) = p (statsmodels' `norm.ppf(1 - p)`). */
export function normIsf(p: number): number {
  if (!(p > 0 && p < 1)) return NaN;
  return polishQuantile(p, -jStat.normal.inv(p, 0, 1), normSf, normPdf);
}
