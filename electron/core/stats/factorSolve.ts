// β and its covariance from the triangular factor of [X y] alone (householder.ts), with the residual pass that the
// robust covariances need (residualPass.ts).
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { CovType } from '../../../shared/result.js';
import { NormscopeError } from '../errors.js';
import type { TriangularFactor } from './householder.js';
import { rankFromSingularValues } from './rank.js';
import { ResidualPass } from './residualPass.js';
import { congruence } from './sandwich.js';
import { invertUpper } from './triangular.js';

export interface Solved {
  k: number;
  /** Column stride of R (the augmented width). */
  w: number;
  R: Float64Array;
  /** R⁻¹ of the design block: pinv(X) = P Qᵀ. */
  P: Float64Array;
  params: Float64Array;
  singular: Float64Array;
  rank: number;
  pass: ResidualPass;
}

/** β = R_xx⁻¹ r_xy from the factor of [X y]; BAD_INPUT when X is rank-deficient (statsmodels' pinv would drop a direction). */
export function solveFactor(f: TriangularFactor, k: number, cov: CovType, maxlags: number): Solved | NormscopeError {
  const w = f.width;
  if (f.rows <= k) return new NormscopeError('TOO_FEW_TOKENS', `${f.rows} outcomes cannot fit ${k} coefficients`);
  const Rxx = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) Rxx[i * k + j] = f.R[i * w + j]!;
  const singular = Float64Array.from(new SingularValueDecomposition(Matrix.from1DArray(k, k, Rxx)).diagonal);
  const rank = rankFromSingularValues(singular, k, k);
  if (rank < k) return new NormscopeError('BAD_INPUT', `the pooled design has rank ${rank} < ${k}: the lags are collinear across the corpus`);
  const P = invertUpper(f.R, w, k);
  const params = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < k; b++) s += P[a * k + b]! * f.R[b * w + k]!;
    params[a] = s;
  }
  return { k, w, R: f.R, P, params, singular, rank, pass: new ResidualPass(f.R, w, k, params, cov, maxlags) };
}

export function covariance(s: Solved, cov: CovType, nobs: number, dfResid: number, scale: number): Float64Array {
  const k = s.k;
  if (cov === 'nonrobust') {
    const identity = new Float64Array(k * k);
    for (let a = 0; a < k; a++) identity[a * k + a] = 1;
    return congruence(s.P, identity, k).map((v) => v * scale);
  }
  const meat = s.pass.finishedMeat();
  if (cov === 'HC1') for (let i = 0; i < meat.length; i++) meat[i]! *= nobs / dfResid;
  return congruence(s.P, meat, k);
}
