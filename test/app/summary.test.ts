// The summary as statsmodels prints it: Python's %-formatting, then the whole layout, on the tiny-a
// fixture's statsmodels fit of h.0.attn (hungarian-rock). Expected strings are what CPython prints for
// the same format and value (`'%#8.4g' % 32.11438511676917` → '   32.11').
import { describe, expect, it } from 'vitest';
import { dOrF, forg, pyD, pyF, pyG } from '../../renderer/src/lib/printf.js';
import { summaryText, summaryTsv } from '../../renderer/src/lib/summary.js';
import { DEFAULT_SETTINGS, type FitJSON, type LayerResult } from '../../shared/result.js';
import { expected } from './fixtures.js';

describe('printf: Python %-formatting', () => {
  it('pyG(x, prec, width, alt) is %[#][width].[prec]g', () => {
    expect(pyG(32.11438511676917, 4, 8, true)).toBe('   32.11');
    expect(pyG(3.163816087023202e-11, 3, 6, true)).toBe('3.16e-11');
    expect(pyG(28.594729898431282, 5, 8, true)).toBe('  28.595');
    expect(pyG(-51.189459796862565, 4, 8, true)).toBe('  -51.19');
    expect(pyG(7.294285388269051, 3, 8, true)).toBe('    7.29');
    expect(pyG(146.0, 4, 8, true)).toBe('   146.0');
    expect(pyG(100000, 3, 0, true)).toBe('1.00e+05');
    expect(pyG(100000, 3)).toBe('1e+05');
    expect(pyG(0.0001234, 3)).toBe('0.000123');
    expect(pyG(0.00001234, 3)).toBe('1.23e-05');
    expect(pyG(9.9996, 4, 0, true)).toBe('10.00');
    expect(pyG(0.5, 3)).toBe('0.5');
    expect(pyG(0, 3, 9)).toBe('        0');
    expect(pyG(1e-300, 3, 0, true)).toBe('1.00e-300');
    expect(pyG(Number.NaN, 3)).toBe('nan');
    expect(pyG(-Infinity, 3)).toBe('-inf');
  });

  it('pyF, pyD, forg and d_or_f', () => {
    expect(pyF(0.4191691295025489, 3, 8)).toBe('   0.419');
    expect(pyF(-0.0004, 3)).toBe('-0.000');
    expect(pyD(92, 6)).toBe('    92');
    expect(forg(-0.15975612705682282, 4)).toBe('   -0.1598');
    expect(forg(0.03277038213835441)).toBe('    0.033');
    expect(forg(12345.678)).toBe(' 1.23e+04');
    expect(forg(0.00001)).toBe('    1e-05');
    expect(dOrF(89)).toBe('    89');
    expect(dOrF(89.5)).toBe('   89.50');
  });
});

describe('summaryText(layer, settings, created)', () => {
  const ar2 = expected().documents['hungarian-rock']!.taps['h.0.attn']!.ar2 as unknown as FitJSON;
  const layer: LayerResult = { layer: 0, tap: 'h.0.attn', log_norms: [], fit: ar2 };
  const created = new Date(2025, 10, 26, 14, 59, 0);

  it('lays the fit out as statsmodels prints it', () => {
    const text = summaryText(layer, DEFAULT_SETTINGS, created);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${' '.repeat(28)}OLS Regression Results${' '.repeat(28)}`);
    expect(lines.slice(1, 12)).toEqual([
      '='.repeat(78),
      'Dep. Variable:                      y   R-squared:                       0.419',
      'Model:                            OLS   Adj. R-squared:                  0.406',
      'Method:                 Least Squares   F-statistic:                     32.11',
      'Date:                Wed, 26 Nov 2025   Prob (F-statistic):           3.16e-11',
      'Time:                        14:59:00   Log-Likelihood:                 28.595',
      'No. Observations:                  92   AIC:                            -51.19',
      'Df Residuals:                      89   BIC:                            -43.62',
      'Df Model:                           2                                         ',
      'Covariance Type:            nonrobust                                         ',
      '='.repeat(78),
    ]);
    expect(lines.slice(12, 17)).toEqual([
      '                 coef    std err          t      P>|t|      [0.025      0.975]',
      '-'.repeat(78),
      'const         -0.1598      0.033     -4.875      0.000      -0.225      -0.095',
      'x1             0.3578      0.097      3.680      0.000       0.165       0.551',
      'x2             0.2459      0.090      2.746      0.007       0.068       0.424',
    ]);
    expect(lines.slice(17, 23)).toEqual([
      '='.repeat(78),
      'Omnibus:                        0.768   Durbin-Watson:                   2.243',
      'Prob(Omnibus):                  0.681   Jarque-Bera (JB):                0.435',
      'Skew:                           0.156   Prob(JB):                        0.805',
      'Kurtosis:                       3.126   Cond. No.                         7.29',
      '='.repeat(78),
    ]);
    expect(lines.slice(23)).toEqual(['', 'Notes:', '[1] Standard Errors assume that the covariance matrix of the errors is correctly specified.']);
  });

  it('robust covariances print z and their note', () => {
    const text = summaryText(layer, { ...DEFAULT_SETTINGS, cov: 'HAC', maxlags: 2 }, created);
    expect(text).toContain('                 coef    std err          z      P>|z|      [0.025      0.975]');
    expect(text).toContain('[1] Standard Errors are heteroscedasticity and autocorrelation robust (HAC) using 2 lags and without small sample correction');
  });

  it('TSV keeps every number at full precision', () => {
    const rows = summaryTsv([layer], DEFAULT_SETTINGS, created)
      .trim()
      .split('\n')
      .map((r) => r.split('\t'));
    expect(rows[0]).toEqual(['layer', 'tap', 'term', 'coef', 'std err', 't', 'P>|t|', '[0.025', '0.975]']);
    expect(rows.slice(1, 4).map((r) => r.slice(3).map(Number))).toEqual(
      ar2.params.map((p, i) => [p, ar2.bse[i], ar2.tvalues[i], ar2.pvalues[i], ar2.conf_int[i]![0], ar2.conf_int[i]![1]]),
    );
    const stat = (name: string) => Number(rows.find((r) => r[2] === name)![3]);
    expect(stat('R-squared')).toBe(ar2.rsquared);
    expect(stat('Cond. No.')).toBe(ar2.condition_number);
    expect(stat('No. Observations')).toBe(ar2.nobs);
  });
});
