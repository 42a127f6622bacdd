// numpy's matrix_rank rule, shared by the model's rank and the constant check.
import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/** Singular values above `max(s) · max(rows, cols) · eps` (numpy.linalg.matrix_rank's default tolerance). */
export function rankFromSingularValues(s: ArrayLike<number>, rows: number, cols: number): number {
  let max = 0;
  for (let i = 0; i < s.length; i++) max = Math.max(max, Math.abs(s[i]!));
  const tol = max * Math.max(rows, cols) * Number.EPSILON;
  let rank = 0;
  for (let i = 0; i < s.length; i++) if (Math.abs(s[i]!) > tol) rank++;
  return rank;
}

/** numpy.linalg.matrix_rank of a row-major rows × cols matrix. */
export function matrixRank(data: Float64Array, rows: number, cols: number): number {
  const svd = new SingularValueDecomposition(Matrix.from1DArray(rows, cols, data), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return rankFromSingularValues(svd.diagonal, rows, cols);
}
