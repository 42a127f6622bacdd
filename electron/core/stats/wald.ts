// The Wald F test that a subset of parameters is zero, as statsmodels' wald_test(use_f=True) computes it.
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { fSf } from './distributions.js';
import { rankFromSingularValues } from './rank.js';

export interface WaldF {
  fvalue: number;
  f_pvalue: number;
}

/**
 * F = b_Rᵀ pinv(C_RR) b_R / J for the parameters at `restricted` (C the k × k row-major covariance),
 * with J their number, lowered to the rank of C_RR when that is smaller; p from F(J, dfResid).
 * NaN when nothing is restricted or the covariance holds NaN.
 */
export function waldFTest(params: ArrayLike<number>, cov: Float64Array, k: number, restricted: number[], dfResid: number): WaldF {
  const J = restricted.length;
  if (J === 0) return { fvalue: NaN, f_pvalue: NaN };
  const sub = new Float64Array(J * J);
  for (let a = 0; a < J; a++) for (let b = 0; b < J; b++) sub[a * J + b] = cov[restricted[a]! * k + restricted[b]!]!;
  if (sub.some(Number.isNaN)) return { fvalue: NaN, f_pvalue: NaN };
  const svd = new SingularValueDecomposition(Matrix.from1DArray(J, J, sub));
  const s = svd.diagonal;
  const U = svd.leftSingularVectors;
  const V = svd.rightSingularVectors;
  // numpy.linalg.pinv's cutoff (rcond 1e-15) and matrix_rank's tolerance, as wald_test uses them
  const cutoff = 1e-15 * (s[0] ?? 0);
  const b = restricted.map((j) => params[j]!);
  let quad = 0;
  for (let l = 0; l < J; l++) {
    if (!(s[l]! > cutoff)) continue;
    let ub = 0;
    let vb = 0;
    for (let a = 0; a < J; a++) {
      ub += U.get(a, l) * b[a]!;
      vb += V.get(a, l) * b[a]!;
    }
    quad += (vb * ub) / s[l]!;
  }
  const df = Math.min(J, rankFromSingularValues(s, J, J));
  const fvalue = quad / df;
  return { fvalue, f_pvalue: fSf(fvalue, df, dfResid) };
}
