// tPpfScipy against scipy 1.10's special.stdtrit (fixtures/make-scipy-stdtrit.py), the quantile in
// the reference fixtures' conf_int, and against the exact quantile it approximates.
import { describe, expect, it } from 'vitest';
import { tPpfScipy } from '../../electron/core/stats/scipyTQuantile.js';
import { fixture } from './designs.js';
import { mismatches } from './close.js';

const { rows } = fixture('scipy-stdtrit.json') as { rows: [number, number, number, number][] };

describe('tPpfScipy(p, df)', () => {
  it('reproduces scipy ≤ 1.11 stdtrit to 1e-13 for df 0.7…1597 and p 0.025…0.995', () => {
    const got = rows.map(([df, p]) => tPpfScipy(p, df));
    expect(mismatches(got, rows.map((r) => r[2]), { rel: 1e-13, abs: 0, floor: 0 })).toEqual([]);
  });
  it('stays within CDFLIB’s 1e-8 search tolerance of the exact quantile (and is not always exact)', () => {
    const errors = rows.map(([df, p, , exact]) => Math.abs(tPpfScipy(p, df) / exact - 1));
    expect(Math.max(...errors)).toBeLessThan(1e-8);
    expect(Math.max(...errors)).toBeGreaterThan(1e-10); // the reference's quantile is not the exact one
  });
  it('is NaN outside 0 < p < 1 or for df ≤ 0, and odd in p − ½', () => {
    expect([tPpfScipy(0, 5), tPpfScipy(1, 5), tPpfScipy(0.5, 0)].every(Number.isNaN)).toBe(true);
    expect(tPpfScipy(0.025, 12)).toBeCloseTo(-tPpfScipy(0.975, 12), 9);
  });
});
