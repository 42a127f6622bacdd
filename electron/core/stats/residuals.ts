// y − X b with every row's sum carried in double-double (Ogita–Rump–Oishi Dot2), so the residuals of an
// ill-conditioned fit (NIST Longley: terms of 10⁶ cancelling to 10²) keep their digits.
import { twoProduct, twoSum } from 'double-double';

/** r_i = y_i − Σ_a X[i, a] b_a for a row-major nobs × k X, each row accurate as if computed in twice the precision. */
export function residuals(y: Float64Array, X: Float64Array, b: ArrayLike<number>, nobs: number, k: number): Float64Array {
  const r = new Float64Array(nobs);
  for (let i = 0; i < nobs; i++) {
    let sum = y[i]!;
    let err = 0;
    for (let a = 0; a < k; a++) {
      const product = twoProduct(-X[i * k + a]!, b[a]!);
      const added = twoSum(sum, product[1]!);
      sum = added[1]!;
      err += added[0]! + product[0]!;
    }
    r[i] = sum + err;
  }
  return r;
}
