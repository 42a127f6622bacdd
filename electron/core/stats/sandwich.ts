// Covariance matrices of the parameters: P · meat · Pᵀ, the meat built from the rows q_i of Q.
// With pinv(X) = P Qᵀ this is statsmodels' pinv(X) · diag(w) · pinv(X)ᵀ (HC) and
// normalized_cov_params · S · normalized_cov_params (HAC) without forming the n × n weights.
import type { LeastSquaresBasis } from './leastSquares.js';

/** A · M · Aᵀ for k × k row-major A and symmetric M. */
export function congruence(A: Float64Array, M: Float64Array, k: number): Float64Array {
  const AM = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let l = 0; l < k; l++) sum += A[i * k + l]! * M[l * k + j]!;
      AM[i * k + j] = sum;
    }
  }
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let sum = 0;
      for (let l = 0; l < k; l++) sum += AM[i * k + l]! * A[j * k + l]!;
      out[i * k + j] = sum;
      out[j * k + i] = sum;
    }
  }
  return out;
}

/** Σ_i w_i q_i q_iᵀ. */
export function weightedMeat(Q: Float64Array, w: ArrayLike<number>, nobs: number, k: number): Float64Array {
  const M = new Float64Array(k * k);
  for (let i = 0; i < nobs; i++) {
    const wi = w[i]!;
    const row = i * k;
    for (let a = 0; a < k; a++) {
      const qa = Q[row + a]! * wi;
      for (let b = a; b < k; b++) M[a * k + b]! += qa * Q[row + b]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) M[a * k + b] = M[b * k + a]!;
  return M;
}

/**
 * Newey–West meat with Bartlett weights 1 − l/(maxlags + 1) on the scores g_t = q_t u_t:
 * Σ_t g_t g_tᵀ + Σ_{l=1..maxlags} w_l Σ_t (g_t g_{t−l}ᵀ + g_{t−l} g_tᵀ) (statsmodels' S_hac_simple).
 */
export function hacMeat(Q: Float64Array, resid: ArrayLike<number>, nobs: number, k: number, maxlags: number): Float64Array {
  const G = new Float64Array(nobs * k);
  for (let i = 0; i < nobs; i++) for (let a = 0; a < k; a++) G[i * k + a] = Q[i * k + a]! * resid[i]!;
  const S = new Float64Array(k * k);
  for (let lag = 0; lag <= Math.min(maxlags, nobs - 1); lag++) {
    const weight = 1 - lag / (maxlags + 1);
    const s = new Float64Array(k * k);
    for (let t = lag; t < nobs; t++) {
      for (let a = 0; a < k; a++) {
        const ga = G[t * k + a]!;
        for (let b = 0; b < k; b++) s[a * k + b]! += ga * G[(t - lag) * k + b]!;
      }
    }
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) S[a * k + b]! += lag === 0 ? s[a * k + b]! : weight * (s[a * k + b]! + s[b * k + a]!);
    }
  }
  return S;
}

/** Leverages h_i = diag(X pinv(X)): ‖q_i‖², or ‖q_i W‖² when the pseudo-inverse drops directions. */
export function hatDiagonal(basis: LeastSquaresBasis): Float64Array {
  const { Q, W, nobs, k, kept } = basis;
  const h = new Float64Array(nobs);
  for (let i = 0; i < nobs; i++) {
    let sum = 0;
    if (W === null) {
      for (let a = 0; a < k; a++) sum += Q[i * k + a]! ** 2;
    } else {
      for (let l = 0; l < kept; l++) {
        let dot = 0;
        for (let a = 0; a < k; a++) dot += Q[i * k + a]! * W[a * kept + l]!;
        sum += dot * dot;
      }
    }
    h[i] = sum;
  }
  return h;
}
