// The least-squares basis of a design: X = Q R (Householder), R = U S Vᵀ (SVD), and P with pinv(X) = P Qᵀ.
import { Matrix, QrDecomposition, SingularValueDecomposition, inverse } from 'ml-matrix';
import { rankFromSingularValues } from './rank.js';

// statsmodels' pinv_extended drops singular values at or below 1e-15 · max(s).
const PINV_RCOND = 1e-15;

export interface LeastSquaresBasis {
  nobs: number;
  k: number;
  /** nobs × k, row-major, orthonormal columns spanning at least the column space of X. */
  Q: Float64Array;
  /** k × k, row-major: pinv(X) = P Qᵀ, so params = P Qᵀ y and normalized_cov_params = P Pᵀ. */
  P: Float64Array;
  /** Singular values of X, largest first. */
  singularValues: Float64Array;
  /** numpy.linalg.matrix_rank(np.diag(singular values)), as statsmodels' fit sets `rank`. */
  rank: number;
  /**
   * k × r, row-major: the left singular vectors of R that the pseudo-inverse keeps, so the hat
   * matrix is (Q W)(Q W)ᵀ; null when all are kept (then W is orthogonal and drops out).
   */
  W: Float64Array | null;
  /** Number of singular values the pseudo-inverse keeps. */
  kept: number;
}

function rowMajor(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows * m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) out[i * m.columns + j] = m.get(i, j);
  return out;
}

/** Singular values of a k × k factor, the rank statsmodels reports, and how many the pseudo-inverse keeps. */
function spectrum(svd: SingularValueDecomposition, k: number): { singularValues: Float64Array; rank: number; kept: number } {
  const singularValues = Float64Array.from(svd.diagonal);
  const rank = rankFromSingularValues(singularValues, k, k);
  const smax = singularValues[0] ?? 0;
  // a singular value must pass both statsmodels' pinv cutoff and its rank tolerance to be kept, so
  // that the parameters never lean on a direction the reported rank calls null
  const cutoff = smax * Math.max(PINV_RCOND, k * Number.EPSILON);
  let kept = 0;
  for (const s of singularValues) if (s > cutoff) kept++;
  return { singularValues, rank, kept };
}

/**
 * The design with every column but the constant centred, X = Xc T, and T⁻¹ = I − e_c (m / v)ᵀ (m the
 * column means, v the constant's value), so pinv(X) = T⁻¹ pinv(Xc) when X has full column rank.
 */
function centred(X: Float64Array, nobs: number, k: number, constIdx: number): { Xc: Float64Array; shift: Float64Array } {
  const shift = new Float64Array(k);
  const v = X[constIdx]!;
  for (let j = 0; j < k; j++) {
    if (j === constIdx) continue;
    let sum = 0;
    for (let i = 0; i < nobs; i++) sum += X[i * k + j]!;
    shift[j] = sum / nobs;
  }
  const Xc = new Float64Array(nobs * k);
  for (let i = 0; i < nobs; i++) for (let j = 0; j < k; j++) Xc[i * k + j] = X[i * k + j]! - shift[j]!;
  for (let j = 0; j < k; j++) shift[j] = shift[j]! / v;
  return { Xc, shift };
}

/**
 * Decomposes a row-major nobs × k design (nobs ≥ k). Householder QR is backward stable column by
 * column, so columns on wildly different scales cost no digits. With a constant column (constIdx) and
 * full rank, Q and P come from the centred design instead: a regressor nearly collinear with the
 * constant (NIST Longley's years) then costs no digits either, whichever place the constant has. When
 * singular values fall below the pseudo-inverse cutoff, P is the truncated SVD pseudo-inverse of R,
 * giving statsmodels' minimum-norm parameters.
 */
export function leastSquaresBasis(X: Float64Array, nobs: number, k: number, constIdx: number | null = null): LeastSquaresBasis {
  if (constIdx !== null && k > 1) {
    const { Xc, shift } = centred(X, nobs, k, constIdx);
    const qrc = new QrDecomposition(Matrix.from1DArray(nobs, k, Xc));
    const Rc = qrc.upperTriangularMatrix;
    // X = Qc (Rc T), so X's singular values are those of the k × k product Rc T: column j is Rc_j + shift_j · Rc_c
    const RcT = Rc.clone();
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (j !== constIdx) RcT.set(i, j, Rc.get(i, j) + shift[j]! * Rc.get(i, constIdx));
    const { singularValues, rank, kept } = spectrum(new SingularValueDecomposition(RcT, { computeLeftSingularVectors: false, computeRightSingularVectors: false }), k);
    if (kept === k) {
      // LU of an upper-triangular matrix pivots nothing, so ml-matrix's inverse(Rc) is back substitution
      const P = rowMajor(inverse(Rc));
      for (let b = 0; b < k; b++) {
        let sum = 0;
        for (let j = 0; j < k; j++) sum += shift[j]! * P[j * k + b]!;
        P[constIdx * k + b] = P[constIdx * k + b]! - sum;
      }
      return { nobs, k, Q: rowMajor(qrc.orthogonalMatrix), P, singularValues, rank, W: null, kept };
    }
  }
  const qr = new QrDecomposition(Matrix.from1DArray(nobs, k, X));
  const R = qr.upperTriangularMatrix;
  const svd = new SingularValueDecomposition(R);
  const { singularValues, rank, kept } = spectrum(svd, k);
  const Q = rowMajor(qr.orthogonalMatrix);
  // LU of an upper-triangular matrix pivots nothing, so ml-matrix's inverse(R) is back substitution
  if (kept === k) return { nobs, k, Q, P: rowMajor(inverse(R)), singularValues, rank, W: null, kept };
  // rank-deficient: P = V S⁺ Uᵀ over the kept singular values
  const U = svd.leftSingularVectors;
  const V = svd.rightSingularVectors;
  const P = new Float64Array(k * k);
  const W = new Float64Array(k * kept);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let l = 0; l < kept; l++) sum += (V.get(i, l) * U.get(j, l)) / singularValues[l]!;
      P[i * k + j] = sum;
    }
    for (let l = 0; l < kept; l++) W[i * kept + l] = U.get(i, l);
  }
  return { nobs, k, Q, P, singularValues, rank, W, kept };
}
