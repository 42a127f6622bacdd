// Residual normality diagnostics against scipy (fixtures/make-normality.py).
import { describe, expect, it } from 'vitest';
import { jarqueBera, kurtosisTest, moments, omnibus, skewTest } from '../../electron/core/stats/normality.js';
import { durbinWatson } from '../../electron/core/stats/durbinWatson.js';
import { decode, fixture } from './designs.js';
import { mismatches, STATSMODELS } from './close.js';

const { rows } = fixture('normality.json');

describe.each(rows.map((r: any) => [r.name, r]))('normality of %s', (_name, r: any) => {
  const x: number[] = r.x;
  it('moments(x) gives scipy’s biased skew and non-excess kurtosis', () => {
    const m = moments(x);
    expect(mismatches([m.skew, m.kurtosis], decode([r.skew, r.kurtosis]), STATSMODELS)).toEqual([]);
  });
  it('skewTest, kurtosisTest and omnibus give scipy’s z-scores and K²', () => {
    const { skew, kurtosis } = moments(x);
    const o = omnibus(x);
    const got = [skewTest(skew, x.length), kurtosisTest(kurtosis, x.length), o.statistic, o.pvalue];
    expect(mismatches(got, decode([r.skewtest, r.kurtosistest, r.omnibus, r.omnibus_pvalue]), STATSMODELS)).toEqual([]);
  });
  it('jarqueBera gives n/6 (S² + (K−3)²/4) and its χ²(2) p-value', () => {
    const jb = jarqueBera(x);
    expect(mismatches([jb.statistic, jb.pvalue], decode([r.jarque_bera, r.jarque_bera_pvalue]), STATSMODELS)).toEqual([]);
  });
});

describe('durbinWatson(resid)', () => {
  it('is Σ(Δe)² / Σe²: 3 for an alternating ±1 series, 0 for a constant one', () => {
    expect(durbinWatson([1, -1, 1, -1])).toBe(3);
    expect(durbinWatson([2, 2, 2])).toBe(0);
  });
});
