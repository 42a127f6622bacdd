// The OLS engine against statsmodels and NIST: every field of the shared fixtures (relative 1e-8,
// absolute 1e-10 where |expected| < 1e-6), the tiny-a AR(2) fits, NIST's Longley, designs that are
// rank-deficient or barely identified, and columns on scales twelve orders of magnitude apart.
import { describe, expect, it } from 'vitest';
import { fitOls, OlsModel, type OlsResults } from '../../electron/core/stats/index.js';
import { NormscopeError } from '../../electron/core/errors.js';
import type { FitJSON } from '../../shared/result.js';
import { ar2Design, decode, fixture, nearCollinear, scaledColumns, shared } from './designs.js';
import { mismatches, STATSMODELS, type Tolerance } from './close.js';

const FIT_FIELDS = [
  'nobs', 'df_model', 'df_resid', 'params', 'bse', 'tvalues', 'pvalues', 'conf_int', 'rsquared', 'rsquared_adj',
  'fvalue', 'f_pvalue', 'llf', 'aic', 'bic', 'ssr', 'ess', 'centered_tss', 'mse_model', 'mse_resid',
  'condition_number', 'durbin_watson', 'omnibus', 'omnibus_pvalue', 'jarque_bera', 'jarque_bera_pvalue', 'skew', 'kurtosis',
] as const;

/** Every field of a statsmodels `expected` block (FitJSON names plus bse_HC0…3 and bse_HAC2). */
function compareAll(model: OlsModel, expected: Record<string, unknown>, tol: Tolerance = STATSMODELS): string[] {
  const json = model.fit().toJSON() as unknown as Record<string, unknown>;
  const robust: Record<string, number[]> = {
    bse_HC0: model.fit({ cov: 'HC0' }).bse,
    bse_HC1: model.fit({ cov: 'HC1' }).bse,
    bse_HC2: model.fit({ cov: 'HC2' }).bse,
    bse_HC3: model.fit({ cov: 'HC3' }).bse,
    bse_HAC2: model.fit({ cov: 'HAC', maxlags: 2 }).bse,
  };
  return Object.entries(expected).flatMap(([key, value]) =>
    mismatches(key in robust ? robust[key] : json[key], decode(value), tol, key),
  );
}

describe('fitOls on ../shared/fixtures/ols-cases.json', () => {
  const cases = shared('fixtures/ols-cases.json') as Record<string, { y: number[]; X: number[][]; expected: Record<string, unknown> }>;
  it.each(Object.keys(cases))('%s: every field, bse_HC0…3 and bse_HAC2', (name) => {
    const c = cases[name]!;
    expect(Object.keys(c.expected)).toEqual(expect.arrayContaining([...FIT_FIELDS]));
    expect(compareAll(new OlsModel(c.y, c.X), c.expected)).toEqual([]);
  });
  it('a nonrobust fit’s HC0_se…HC3_se getters give the same bse_HC0…3', () => {
    const c = cases['well-conditioned']!;
    const r = fitOls(c.y, c.X);
    const got = [r.HC0_se, r.HC1_se, r.HC2_se, r.HC3_se];
    expect(mismatches(got, ['bse_HC0', 'bse_HC1', 'bse_HC2', 'bse_HC3'].map((k) => c.expected[k]), STATSMODELS)).toEqual([]);
  });
});

describe('fitOls on the AR(2) fits of ../shared/fixtures/tiny-a/expected.json', () => {
  const tiny = shared('fixtures/tiny-a/expected.json');
  const taps = Object.entries<any>(tiny.documents).flatMap(([doc, d]) =>
    Object.entries<any>(d.taps).map(([tap, t]) => [`${doc} ${tap}`, t.log_norms, t.ar2] as const),
  );
  it.each(taps)('%s: y[t] = ln[t] on [1, ln[t-1], ln[t-2]], every field', (_label, logNorms, ar2) => {
    const { y, X } = ar2Design(logNorms);
    expect(compareAll(new OlsModel(y, X), ar2)).toEqual([]);
  });
  it('keeps a p-value of 3e-31 to 1e-8 (lighthouse h.1.attn f_pvalue)', () => {
    const t = tiny.documents.lighthouse.taps['h.1.attn'];
    const { y, X } = ar2Design(t.log_norms);
    expect(t.ar2.f_pvalue).toBeLessThan(1e-30);
    expect(Math.abs(fitOls(y, X).f_pvalue / t.ar2.f_pvalue - 1)).toBeLessThan(1e-8);
  });
});

describe('fitOls on NIST StRD Longley (fixtures/longley.json)', () => {
  const longley = fixture('longley.json');
  const y = longley.data.map((r: number[]) => r[0]);
  const X = longley.data.map((r: number[]) => [1, ...r.slice(1)]);
  const cert = longley.certified;
  const r = fitOls(y, X);
  // NIST grades by log relative error: the number of correct significant digits
  const digits = (got: number, want: number): number => -Math.log10(Math.abs(got - want) / Math.abs(want));
  /** The fewest correct digits over every coefficient and standard error with the columns in `order` (0 = constant). */
  const worstDigits = (order: number[]): number => {
    const Xo = longley.data.map((row: number[]) => order.map((c) => (c === 0 ? 1 : row[c]!)));
    const fit = fitOls(y, Xo);
    return Math.min(
      ...order.map((c, j) => digits(fit.params[j]!, cert.params[c])),
      ...order.map((c, j) => digits(fit.bse[j]!, cert.bse[c])),
    );
  };
  const permutations = (items: number[]): number[][] =>
    items.length <= 1 ? [items] : items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
  it('gets at least 12.5 significant digits of every certified coefficient and standard error, constant first and last', () => {
    expect(worstDigits([0, 1, 2, 3, 4, 5, 6])).toBeGreaterThanOrEqual(12.5);
    expect(worstDigits([1, 2, 3, 4, 5, 6, 0])).toBeGreaterThanOrEqual(12.5);
  });
  it('keeps 12.5 digits in every one of the 5,040 column orders', () => {
    const worst = permutations([0, 1, 2, 3, 4, 5, 6]).map(worstDigits);
    expect(Math.min(...worst)).toBeGreaterThanOrEqual(12.5);
  });
  it('gets the certified residual SD, R², sums of squares and F to 11 digits', () => {
    const got = [Math.sqrt(r.mse_resid), r.rsquared, r.ssr, r.ess, r.mse_resid, r.fvalue];
    const want = [cert.residual_sd, cert.rsquared, cert.ssr, cert.ess, cert.mse_resid, cert.fvalue];
    expect(mismatches(got, want, { rel: 1e-11, abs: 0, floor: 0 })).toEqual([]);
    expect([r.df_model, r.df_resid, r.rank, r.k_constant]).toEqual([cert.df_model, cert.df_resid, 7, 1]);
  });
});

describe('fitOls on statsmodels designs beyond the shared fixtures (fixtures/statsmodels-cases.json)', () => {
  const { cases } = fixture('statsmodels-cases.json');
  const fits = (name: string) => {
    const c = cases[name];
    const model = new OlsModel(c.y, c.X);
    return { c, model };
  };
  const fitFor = (model: OlsModel, cov: string): OlsResults =>
    cov === 'HAC2' ? model.fit({ cov: 'HAC', maxlags: 2 }) : model.fit({ cov: cov as never });

  it.each(Object.keys(cases))('%s: rank, constant and every field under every covariance', (name) => {
    const { c, model } = fits(name);
    expect([model.rank, model.k_constant, model.const_idx]).toEqual([c.rank, c.k_constant, c.const_idx]);
    const problems: string[] = [];
    for (const [cov, fields] of Object.entries<Record<string, unknown>>(c.fits)) {
      const r = fitFor(model, cov);
      const json = r.toJSON() as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(fields)) {
        // a singular design's condition number is rounding noise in any implementation: checked below
        if (key === 'condition_number' && c.rank < c.X[0].length) continue;
        const got = key === 'conf_int_0.1' ? r.conf_int(0.1) : key === 'conf_int_0.01' ? r.conf_int(0.01) : json[key];
        problems.push(...mismatches(got, decode(value), STATSMODELS, `${cov}.${key}`));
      }
    }
    problems.push(...mismatches(model.fit().fittedvalues, c.fittedvalues, STATSMODELS, 'fittedvalues'));
    expect(problems).toEqual([]);
  });

  it('rank-deficient: minimum-norm parameters (orthogonal to the null space x1 + x2 − x3)', () => {
    const { model } = fits('rank-deficient-sum');
    const [, b1, b2, b3] = model.fit().params as [number, number, number, number];
    expect(Math.abs(b1 + b2 - b3)).toBeLessThan(1e-12);
  });
  it('rank-deficient: the same fitted values and residual df as the full-rank design without the sum', () => {
    const { c, model } = fits('rank-deficient-sum');
    const reduced = fitOls(c.y, c.X.map((row: number[]) => row.slice(0, 3)));
    const full = model.fit();
    expect(mismatches(full.fittedvalues, Array.from(reduced.fittedvalues), STATSMODELS)).toEqual([]);
    expect([full.df_resid, full.df_model, full.rank]).toEqual([reduced.df_resid, reduced.df_model, 3]);
    expect(mismatches([full.ssr, full.rsquared, full.fvalue], [reduced.ssr, reduced.rsquared, reduced.fvalue], STATSMODELS)).toEqual([]);
  });
  it('rank-deficient: a duplicated column splits its weight evenly', () => {
    const { model } = fits('duplicate-column');
    const p = model.fit().params;
    expect(Math.abs(p[1]! - p[2]!)).toBeLessThan(1e-12);
  });
  it('rank-deficient: the condition number says singular (above 1/(k·eps))', () => {
    for (const name of ['rank-deficient-sum', 'duplicate-column', 'zero-column', 'two-constant-columns']) {
      const { model } = fits(name);
      expect(model.fit().condition_number).toBeGreaterThan(1 / (model.k * Number.EPSILON));
    }
  });
  it('implicit constant: centered R² and no robust F (statsmodels #2444)', () => {
    const { model } = fits('implicit-constant');
    const r = model.fit({ cov: 'HC1' });
    expect(r.rsquared).toBeCloseTo(1 - r.ssr / r.centered_tss, 14);
    expect([r.fvalue, r.f_pvalue].every(Number.isNaN)).toBe(true);
  });
  it('one residual degree of freedom: t(1) p-values and intervals', () => {
    const { model } = fits('df-resid-1');
    const r = model.fit();
    expect(r.df_resid).toBe(1);
    expect(r.pvalues.every((p) => p > 0 && p < 1)).toBe(true);
  });
  it('keeps a slope p-value of 1e-75 (statsmodels: 2·t.sf)', () => {
    const { c, model } = fits('tiny-pvalue');
    const expected = c.fits.nonrobust.pvalues[1];
    expect(expected).toBeLessThan(1e-70);
    expect(Math.abs(model.fit().pvalues[1]! / expected - 1)).toBeLessThan(1e-8);
  });
});

describe('fitOls where the arithmetic is hard (fixtures/precise-cases.json, exact to 60 digits)', () => {
  const precise = fixture('precise-cases.json');
  const check = (name: string, gen: () => { y: number[]; X: number[][] }, tol: Tolerance) => {
    const { y, X } = gen();
    const e = precise[name];
    // the generator here and in Python must agree bit for bit
    expect([X[0], y[0], X.at(-1), y.at(-1)]).toEqual([e.first_row, e.first_y, e.last_row, e.last_y]);
    const r = fitOls(y, X);
    const hc1 = fitOls(y, X, { cov: 'HC1' });
    const got = [r.params, r.bse, r.tvalues, r.ssr, r.rsquared, r.fvalue, hc1.bse];
    return mismatches(got, [e.params, e.bse, e.tvalues, e.ssr, e.rsquared, e.fvalue, e.bse_HC1], tol);
  };
  it('3000 rows with column scales 1, 1e6, 1e-6, 1e3: 11 digits (statsmodels’ SVD of X gets 8)', () => {
    expect(check('scaled-columns', scaledColumns, { rel: 1e-11, abs: 0, floor: 0 })).toEqual([]);
  });
  it('near-collinear columns (x2 = x1 + 1e-4·noise): 8 digits, as the conditioning allows', () => {
    expect(check('near-collinear', nearCollinear, { rel: 1e-8, abs: 0, floor: 0 })).toEqual([]);
  });
  it('rescaling a column rescales its coefficient and standard error and leaves t-values alone', () => {
    const { y, X } = scaledColumns();
    const unit = X.map((row) => [row[0]!, row[1]! / 1e6, row[2]! / 1e-6, row[3]! / 1e3]);
    const a = fitOls(y, X);
    const b = fitOls(y, unit);
    const scales = [1, 1e6, 1e-6, 1e3];
    expect(mismatches(a.params.map((p, i) => p * scales[i]!), b.params, { rel: 1e-11, abs: 0, floor: 0 })).toEqual([]);
    expect(mismatches(a.tvalues, b.tvalues, { rel: 1e-11, abs: 0, floor: 0 })).toEqual([]);
  });
});

describe('OlsResults behaviour', () => {
  const c = (shared('fixtures/ols-cases.json') as any)['well-conditioned'];

  it('getters do not depend on the order they are read in (robust f_pvalue before or after fvalue)', () => {
    const pvalueFirst = fitOls(c.y, c.X, { cov: 'HC3' });
    const p1 = pvalueFirst.f_pvalue;
    const f1 = pvalueFirst.fvalue;
    const fvalueFirst = fitOls(c.y, c.X, { cov: 'HC3' });
    const f2 = fvalueFirst.fvalue;
    const p2 = fvalueFirst.f_pvalue;
    expect([p1, f1]).toEqual([p2, f2]);
    expect(pvalueFirst.params).toBe(pvalueFirst.params); // cached: the same array each time
  });
  it('robust covariances use normal inference, nonrobust uses t (statsmodels’ use_t defaults)', () => {
    expect(fitOls(c.y, c.X).use_t).toBe(true);
    for (const cov of ['HC0', 'HC1', 'HC2', 'HC3'] as const) expect(fitOls(c.y, c.X, { cov }).use_t).toBe(false);
  });
  it('conf_int(alpha) follows alpha; toJSON uses the fit’s alpha; JSON.stringify gives the contract', () => {
    const r = fitOls(c.y, c.X, { alpha: 0.1 });
    const wide = r.conf_int(0.01)[1]!;
    const narrow = r.conf_int(0.1)[1]!;
    expect(wide[0]).toBeLessThan(narrow[0]);
    expect(r.toJSON().conf_int).toEqual(r.conf_int(0.1));
    const json = JSON.parse(JSON.stringify(r)) as FitJSON;
    expect(Object.keys(json)).toEqual([...FIT_FIELDS, 'cov_type']);
    expect(json.conf_int).toEqual(r.conf_int(0.1));
  });
  it('NaN statistics (omnibus below 8 observations) serialize as null', () => {
    const { cases } = fixture('statsmodels-cases.json');
    const json = JSON.parse(JSON.stringify(fitOls(cases['tiny-n'].y, cases['tiny-n'].X)));
    expect([json.omnibus, json.omnibus_pvalue]).toEqual([null, null]);
  });
  it.each([
    [{ cov: 'HC4' }, /unknown cov "HC4"/],
    [{ cov: 'HAC' }, /cov HAC needs maxlags/],
    [{ cov: 'HAC', maxlags: -1 }, /maxlags must be a whole number ≥ 0, got -1/],
    [{ cov: 'HAC', maxlags: 1.5 }, /maxlags must be a whole number ≥ 0, got 1.5/],
    [{ alpha: 1 }, /alpha must be a number between 0 and 1, got 1/],
    [{ alpha: 0 }, /alpha must be a number between 0 and 1/],
  ])('rejects options %o with BAD_INPUT', (options, message) => {
    let error: unknown;
    try {
      fitOls(c.y, c.X, options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NormscopeError);
    expect((error as NormscopeError).code).toBe('BAD_INPUT');
    expect((error as NormscopeError).message).toMatch(message);
  });
  it('ignores maxlags when the covariance is not HAC (the CLI example passes both)', () => {
    expect(fitOls(c.y, c.X, { cov: 'HC3', maxlags: 2 }).bse).toEqual(fitOls(c.y, c.X, { cov: 'HC3' }).bse);
  });
});
