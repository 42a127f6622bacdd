// The residual side of a least-squares fit whose β is already known, accumulated row by row (so rows can stream from
// disk): SSR, the HC meats, HAC's lagged cross-products (Bartlett weights), Durbin–Watson's numerator and the moments.
import type { CovType } from '../../../shared/result.js';
import { forwardSolve } from './triangular.js';

/** The residual-side sums of one fit, accumulated row by row in stack order. */
export class ResidualPass {
  readonly meat: Float64Array;
  readonly hacLags: Float64Array[];
  private readonly ring: Float64Array[];
  private seen = 0;
  private prev = NaN;
  ssr = 0;
  dwNum = 0;
  readonly power = [0, 0, 0, 0]; // Σe, Σe², Σe³, Σe⁴
  private readonly q: Float64Array;

  constructor(
    private readonly R: Float64Array,
    private readonly w: number,
    private readonly k: number,
    private readonly params: Float64Array,
    private readonly cov: CovType,
    private readonly maxlags: number,
  ) {
    this.meat = new Float64Array(k * k);
    this.hacLags = cov === 'HAC' ? Array.from({ length: maxlags + 1 }, () => new Float64Array(k * k)) : [];
    this.ring = cov === 'HAC' ? Array.from({ length: maxlags + 1 }, () => new Float64Array(k)) : [];
    this.q = new Float64Array(k);
  }

  /** One row: design x (length k) and outcome y. */
  row(x: Float64Array, y: number): void {
    const k = this.k;
    let fitted = 0;
    for (let a = 0; a < k; a++) fitted += x[a]! * this.params[a]!;
    const e = y - fitted;
    this.ssr += e * e;
    if (this.seen > 0) this.dwNum += (e - this.prev) ** 2;
    this.prev = e;
    const e2 = e * e;
    this.power[0]! += e;
    this.power[1]! += e2;
    this.power[2]! += e2 * e;
    this.power[3]! += e2 * e2;
    if (this.cov === 'nonrobust') {
      this.seen++;
      return;
    }
    const q = this.q;
    forwardSolve(this.R, this.w, k, x, q);
    if (this.cov === 'HAC') {
      const g = this.ring[this.seen % this.ring.length]!;
      for (let a = 0; a < k; a++) g[a] = q[a]! * e;
      for (let lag = 0; lag <= Math.min(this.maxlags, this.seen); lag++) {
        const past = this.ring[(this.seen - lag) % this.ring.length]!;
        const s = this.hacLags[lag]!;
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s[a * k + b]! += g[a]! * past[b]!;
      }
    } else {
      let weight = e2;
      if (this.cov === 'HC2' || this.cov === 'HC3') {
        let h = 0;
        for (let a = 0; a < k; a++) h += q[a]! * q[a]!;
        weight = this.cov === 'HC2' ? e2 / (1 - h) : (e / (1 - h)) ** 2;
      }
      for (let a = 0; a < k; a++) for (let b = a; b < k; b++) this.meat[a * k + b]! += weight * q[a]! * q[b]!;
    }
    this.seen++;
  }

  /** The meat of the sandwich under cov (HC1's factor applied by the caller). */
  finishedMeat(): Float64Array {
    const k = this.k;
    if (this.cov === 'HAC') {
      const S = new Float64Array(k * k);
      this.hacLags.forEach((s, lag) => {
        const weight = 1 - lag / (this.maxlags + 1);
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) S[a * k + b]! += lag === 0 ? s[a * k + b]! : weight * (s[a * k + b]! + s[b * k + a]!);
      });
      return S;
    }
    const M = Float64Array.from(this.meat);
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) M[a * k + b] = M[b * k + a]!;
    return M;
  }

  /** scipy's biased skew and non-excess kurtosis from the power sums. */
  moments(n: number): { skew: number; kurtosis: number } {
    const [s1, s2, s3, s4] = this.power as [number, number, number, number];
    const mu = s1 / n;
    const m2 = s2 / n - mu * mu;
    const m3 = s3 / n - 3 * mu * (s2 / n) + 2 * mu ** 3;
    const m4 = s4 / n - 4 * mu * (s3 / n) + 6 * mu * mu * (s2 / n) - 3 * mu ** 4;
    if (!(m2 > (Number.EPSILON * mu) ** 2)) return { skew: NaN, kurtosis: NaN };
    return { skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
  }
}
