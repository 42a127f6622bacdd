// Which column is the constant, decided as statsmodels' ModelData._handle_constant decides it.
import { matrixRank } from './rank.js';

export interface ConstantInfo {
  /** 1 when the design holds a constant (explicit or implicit), else 0. */
  k_constant: 0 | 1;
  /** The explicit constant column, or null (none, or only implied by other columns). */
  const_idx: number | null;
}

/**
 * A constant column has equal max and min and a nonzero value (a column of ones wins when several
 * qualify, else the first nonzero one). Without one, the design still has a constant when appending
 * a column of ones does not raise its rank (e.g. a full set of dummies).
 */
export function detectConstant(X: Float64Array, nobs: number, k: number): ConstantInfo {
  const constantCols: number[] = [];
  for (let j = 0; j < k; j++) {
    const v = X[j]!;
    let same = true;
    for (let i = 1; i < nobs && same; i++) same = X[i * k + j] === v;
    if (same) constantCols.push(j);
  }
  const ones = constantCols.find((j) => X[j] === 1);
  if (ones !== undefined) return { k_constant: 1, const_idx: ones };
  const nonzero = constantCols.find((j) => X[j] !== 0);
  if (nonzero !== undefined) return { k_constant: 1, const_idx: nonzero };
  const augmented = new Float64Array(nobs * (k + 1));
  for (let i = 0; i < nobs; i++) {
    augmented[i * (k + 1)] = 1;
    augmented.set(X.subarray(i * k, (i + 1) * k), i * (k + 1) + 1);
  }
  const implicit = matrixRank(augmented, nobs, k + 1) === matrixRank(X, nobs, k);
  return { k_constant: implicit ? 1 : 0, const_idx: null };
}
