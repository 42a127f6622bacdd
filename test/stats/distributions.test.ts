// Tails and quantiles against 40-digit mpmath values (fixtures/make-distributions.py).
import { describe, expect, it } from 'vitest';
import { chi2Sf, fSf, normIsf, normSf, tIsf, tSf } from '../../electron/core/stats/distributions.js';
import { betaRegularized, gammaRegularizedUpper, logBeta } from '../../electron/core/stats/special.js';
import { fixture } from './designs.js';
import { mismatches, type Tolerance } from './close.js';

const ref = fixture('distributions.json');
// double precision less a few digits for long continued fractions and large degrees of freedom
const TIGHT: Tolerance = { rel: 1e-12, abs: 0, floor: 0 };

describe('tSf(t, df)', () => {
  it('matches mpmath across df 0.5…3000, both signs, tails down to 1e-202', () => {
    const got = ref.t_sf.map(([t, df]: number[]) => tSf(t!, df!));
    expect(mismatches(got, ref.t_sf.map((r: number[]) => r[2]), TIGHT)).toEqual([]);
  });
  it('keeps relative precision where 1 - cdf would give 0', () => {
    const [t, df, expected] = ref.t_sf.find((r: number[]) => r[2]! < 1e-200);
    expect(1 - (1 - tSf(t, df))).toBe(0); // what a cdf-based tail would return
    expect(Math.abs(tSf(t, df) / expected - 1)).toBeLessThan(1e-12);
  });
  it('is 0 and 1 at ±∞, ½ at 0, NaN for NaN or df ≤ 0', () => {
    expect([tSf(Infinity, 3), tSf(-Infinity, 3), tSf(0, 7), tSf(1e200, 4)]).toEqual([0, 1, 0.5, 0]);
    expect([tSf(NaN, 3), tSf(1, 0), tSf(1, -2)].every(Number.isNaN)).toBe(true);
  });
});

describe('fSf(f, d1, d2)', () => {
  it('matches mpmath, including p ≈ 3e-31 (tiny-a lighthouse h.1.attn) and d2 = 10000', () => {
    const got = ref.f_sf.map(([x, a, b]: number[]) => fSf(x!, a!, b!));
    expect(mismatches(got, ref.f_sf.map((r: number[]) => r[3]), TIGHT)).toEqual([]);
  });
  it('is 1 at f ≤ 0 and 0 at ∞', () => {
    expect([fSf(0, 2, 5), fSf(-1, 2, 5), fSf(Infinity, 2, 5)]).toEqual([1, 1, 0]);
  });
});

describe('chi2Sf(x, k)', () => {
  it('matches mpmath for k = 1…50', () => {
    const got = ref.chi2_sf.map(([x, k]: number[]) => chi2Sf(x!, k!));
    expect(mismatches(got, ref.chi2_sf.map((r: number[]) => r[2]), TIGHT)).toEqual([]);
  });
  it('is exp(-x/2) for two degrees of freedom', () => {
    for (const x of [0.1, 3, 40, 700]) expect(Math.abs(chi2Sf(x, 2) / Math.exp(-x / 2) - 1)).toBeLessThan(1e-13);
  });
});

describe('normSf(z)', () => {
  it('matches mpmath from z = -7 to 30 (p ≈ 5e-198)', () => {
    const got = ref.norm_sf.map(([z]: number[]) => normSf(z!));
    expect(mismatches(got, ref.norm_sf.map((r: number[]) => r[1]), TIGHT)).toEqual([]);
  });
});

describe('tIsf(p, df) and normIsf(p)', () => {
  it('invert the tails to double precision', () => {
    expect(mismatches(ref.t_isf.map(([p, df]: number[]) => tIsf(p!, df!)), ref.t_isf.map((r: number[]) => r[2]), TIGHT)).toEqual([]);
    expect(mismatches(ref.norm_isf.map(([p]: number[]) => normIsf(p!)), ref.norm_isf.map((r: number[]) => r[1]), TIGHT)).toEqual([]);
  });
  it('are NaN outside 0 < p < 1', () => {
    expect([tIsf(0, 5), tIsf(1, 5), normIsf(-0.1), normIsf(1)].every(Number.isNaN)).toBe(true);
  });
});

describe('special functions', () => {
  it('betaRegularized(x, a, b) and its complement sum to 1; gammaRegularizedUpper(1, x) = e^-x', () => {
    for (const [x, a, b] of [[0.3, 2, 5], [0.9, 0.5, 40], [0.001, 450, 0.5]] as const) {
      expect(betaRegularized(x, a, b) + betaRegularized(1 - x, b, a)).toBeCloseTo(1, 14);
    }
    for (const x of [0.5, 5, 50]) expect(Math.abs(gammaRegularizedUpper(1, x) / Math.exp(-x) - 1)).toBeLessThan(1e-13);
  });
  it('logBeta(a, b) stays exact where ln Γ terms cancel (a, b in the thousands)', () => {
    // ln B(5000, 2.5) and ln B(450, 450) from mpmath at 40 digits
    expect(Math.abs(logBeta(5000, 2.5) / -21.008675058077047 - 1)).toBeLessThan(1e-14);
    expect(Math.abs(logBeta(450, 450) / -625.6212963941277 - 1)).toBeLessThan(1e-14);
  });
});
