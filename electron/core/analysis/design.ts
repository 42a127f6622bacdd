// series → design: the notebook's lag regression, y = s[t] on X = [1, s[t-1], …, s[t-p]] for t = start … T-1.
import { NormscopeError } from '../errors.js';

export interface LagDesign {
  y: Float64Array;
  /** Rows [1, s[t-1], …, s[t-lags]]. */
  X: Float64Array[];
}

/** Throws TOO_FEW_TOKENS when T < start + lags + 2 (fewer outcomes than the fit needs for one residual degree of freedom). */
export function lagDesign(series: ArrayLike<number>, lags: number, start: number): LagDesign {
  checkLagSettings(lags, start);
  const T = series.length;
  const needed = start + lags + 2;
  if (T < needed) {
    throw new NormscopeError(
      'TOO_FEW_TOKENS',
      `${T} token${T === 1 ? '' : 's'}: the lag-${lags} fit from token ${start} needs at least ${needed}`,
      { tokens: T, needed },
    );
  }
  const y = new Float64Array(T - start);
  const X: Float64Array[] = [];
  for (let t = start; t < T; t++) {
    y[t - start] = series[t]!;
    const row = new Float64Array(lags + 1);
    row[0] = 1;
    for (let k = 1; k <= lags; k++) row[k] = series[t - k]!;
    X.push(row);
  }
  return { y, X };
}

/** Throws BAD_INPUT unless lags ≥ 1 and start ≥ lags (every lag of the first outcome must exist). */
export function checkLagSettings(lags: number, start: number): void {
  if (!Number.isInteger(lags) || lags < 1) throw new NormscopeError('BAD_INPUT', `lags must be a whole number ≥ 1, got ${lags}`);
  if (!Number.isInteger(start) || start < lags) {
    throw new NormscopeError('BAD_INPUT', `start must be a whole number ≥ lags (${lags}): the first outcome needs ${lags} earlier tokens; got ${start}`);
  }
}
