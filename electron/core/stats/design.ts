// Checks a regression's inputs and packs them into float64 arrays (X row-major), naming the first problem.
import { NormscopeError } from '../errors.js';

export interface Design {
  y: Float64Array;
  /** nobs × k, row-major. */
  X: Float64Array;
  nobs: number;
  k: number;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? value.slice(0, 20) + '…' : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function notFinite(value: unknown, where: string): NormscopeError {
  return typeof value === 'number'
    ? new NormscopeError('BAD_INPUT', `${where} is ${value}, not a finite number`, { where })
    : new NormscopeError('BAD_INPUT', `${where} is ${describe(value)}, not a number`, { where });
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (
    value !== null && typeof value === 'object' && typeof (value as { length?: unknown }).length === 'number'
  );
}

/**
 * Throws BAD_INPUT for an empty or ragged design, a non-finite or non-number entry, a length mismatch
 * between y and X, or fewer rows than columns.
 */
export function packDesign(y: ArrayLike<number>, X: ArrayLike<ArrayLike<number>>): Design {
  if (!isArrayLike(y)) throw new NormscopeError('BAD_INPUT', `y is ${describe(y)}, not an array of numbers`);
  if (!isArrayLike(X)) throw new NormscopeError('BAD_INPUT', `X is ${describe(X)}, not an array of rows`);
  const nobs = y.length;
  if (nobs === 0) throw new NormscopeError('BAD_INPUT', 'y is empty: the fit needs at least one observation');
  if (X.length !== nobs) {
    throw new NormscopeError('BAD_INPUT', `y has ${nobs} value${nobs === 1 ? '' : 's'} but X has ${X.length} row${X.length === 1 ? '' : 's'}`);
  }
  const first: unknown = X[0];
  if (!isArrayLike(first)) throw new NormscopeError('BAD_INPUT', `X[0] is ${describe(first)}, not an array of numbers`);
  const k = first.length;
  if (k === 0) throw new NormscopeError('BAD_INPUT', 'X has no columns');
  if (nobs < k) {
    throw new NormscopeError('BAD_INPUT', `X has fewer rows (${nobs}) than columns (${k}): the fit needs at least as many observations as regressors`);
  }
  const yy = new Float64Array(nobs);
  const xx = new Float64Array(nobs * k);
  for (let i = 0; i < nobs; i++) {
    const yi: unknown = y[i];
    if (typeof yi !== 'number' || !Number.isFinite(yi)) throw notFinite(yi, `y[${i}]`);
    yy[i] = yi;
    const row: unknown = X[i];
    if (!isArrayLike(row)) throw new NormscopeError('BAD_INPUT', `X[${i}] is ${describe(row)}, not an array of numbers`);
    if (row.length !== k) {
      throw new NormscopeError('BAD_INPUT', `X is ragged: row ${i} has ${row.length} value${row.length === 1 ? '' : 's'}, row 0 has ${k}`);
    }
    for (let j = 0; j < k; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw notFinite(v, `X[${i}][${j}]`);
      xx[i * k + j] = v;
    }
  }
  return { y: yy, X: xx, nobs, k };
}
