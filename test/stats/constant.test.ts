// detectConstant against statsmodels' ModelData._handle_constant rules.
import { describe, expect, it } from 'vitest';
import { detectConstant } from '../../electron/core/stats/constant.js';

function detect(rows: number[][]) {
  return detectConstant(Float64Array.from(rows.flat()), rows.length, rows[0]!.length);
}

describe('detectConstant(X, nobs, k)', () => {
  it('finds a column of ones anywhere', () => {
    expect(detect([[0.5, 1], [2, 1], [3, 1]])).toEqual({ k_constant: 1, const_idx: 1 });
  });
  it('takes any nonzero constant column when there are no ones', () => {
    expect(detect([[2, 0.5], [2, 1.5], [2, 3]])).toEqual({ k_constant: 1, const_idx: 0 });
  });
  it('prefers the ones when several columns are constant', () => {
    expect(detect([[2, 1, 4], [2, 1, 5], [2, 1, 7]])).toEqual({ k_constant: 1, const_idx: 1 });
  });
  it('finds no constant in varying columns whose span misses the ones vector', () => {
    expect(detect([[1, 0], [0, 1], [2, 3], [1, 5]])).toEqual({ k_constant: 0, const_idx: null });
  });
  it('finds an implicit constant: dummies that sum to one', () => {
    expect(detect([[1, 0, 0.3], [0, 1, 0.1], [1, 0, 0.9], [0, 1, 0.4]])).toEqual({ k_constant: 1, const_idx: null });
  });
  it('does not count a zero column as a constant', () => {
    expect(detect([[0, 1.5], [0, 2.5], [0, 0.5]])).toEqual({ k_constant: 0, const_idx: null });
  });
});
