// Comparison with a stated tolerance, reporting every mismatch with its path (so a failure reads as
// "params[2]: got …, expected …") instead of stopping at the first.

export interface Tolerance {
  /** Relative tolerance where |expected| ≥ floor. */
  rel: number;
  /** Absolute tolerance where |expected| < floor. */
  abs: number;
  floor: number;
}

/** The contract's tolerance: relative 1e-8, absolute 1e-10 where |expected| < 1e-6. */
export const STATSMODELS: Tolerance = { rel: 1e-8, abs: 1e-10, floor: 1e-6 };

export function within(got: number, expected: number, tol: Tolerance): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(got);
  if (!Number.isFinite(expected)) return got === expected;
  const err = Math.abs(got - expected);
  return Math.abs(expected) < tol.floor ? err <= tol.abs : err <= tol.rel * Math.abs(expected);
}

/** Every numeric leaf of `expected` against the same path in `got`; returns the mismatches. */
export function mismatches(got: unknown, expected: unknown, tol: Tolerance, path = ''): string[] {
  if (typeof expected === 'number') {
    return typeof got === 'number' && within(got, expected, tol) ? [] : [`${path}: got ${String(got)}, expected ${expected}`];
  }
  if (Array.isArray(expected)) {
    const g = got as ArrayLike<unknown> | undefined;
    if (!g || g.length !== expected.length) return [`${path}: got length ${g?.length}, expected ${expected.length}`];
    return expected.flatMap((e, i) => mismatches(g[i], e, tol, `${path}[${i}]`));
  }
  return [`${path}: expected value is not numeric (${JSON.stringify(expected)})`];
}
