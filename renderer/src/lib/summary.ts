// A layer's fit laid out as statsmodels' `OLS(...).fit().summary()` prints it, and as TSV for
// spreadsheets. Formatting only: every number comes from the fit the core computed.
import type { FitJSON, LayerResult, Settings } from '../../../shared/result.js';
import { spreadsheetText } from '../../../shared/csv-cell.js';
import { dOrF, forg, pyF, pyG } from './printf.js';

const WIDTH = 78;

/** 'const', 'x1', …: statsmodels' default names for the design [1, s[t-1], …, s[t-p]] (x_k is lag k). */
export function termNames(params: number): string[] {
  return Array.from({ length: params }, (_, i) => (i === 0 ? 'const' : `x${i}`));
}

/** Robust covariances report z statistics and normal p-values (statsmodels' use_t=False for them). */
export function statLabel(settings: Pick<Settings, 'cov'>): 't' | 'z' {
  return settings.cov === 'nonrobust' ? 't' : 'z';
}

export interface SummaryRow {
  label: string;
  /** As statsmodels prints it. */
  text: string;
  /** Full precision, for the DOM's data-value and the TSV. */
  value: number | string;
}

/** The two-column header block: [left rows, right rows] as statsmodels lays them out. */
export function headerRows(fit: FitJSON, settings: Settings, created: Date): { left: SummaryRow[]; right: SummaryRow[] } {
  return {
    left: [
      { label: 'Dep. Variable:', text: 'y', value: 'y' },
      { label: 'Model:', text: 'OLS', value: 'OLS' },
      { label: 'Method:', text: 'Least Squares', value: 'Least Squares' },
      { label: 'Date:', text: pyDate(created), value: pyDate(created) },
      { label: 'Time:', text: pyTime(created), value: pyTime(created) },
      { label: 'No. Observations:', text: dOrF(fit.nobs).trim(), value: fit.nobs },
      { label: 'Df Residuals:', text: dOrF(fit.df_resid).trim(), value: fit.df_resid },
      { label: 'Df Model:', text: dOrF(fit.df_model).trim(), value: fit.df_model },
      { label: 'Covariance Type:', text: settings.cov, value: settings.cov },
    ],
    right: [
      { label: 'R-squared:', text: pyF(fit.rsquared, 3), value: fit.rsquared },
      { label: 'Adj. R-squared:', text: pyF(fit.rsquared_adj, 3), value: fit.rsquared_adj },
      { label: 'F-statistic:', text: pyG(fit.fvalue, 4, 0, true), value: fit.fvalue },
      { label: 'Prob (F-statistic):', text: pyG(fit.f_pvalue, 3, 0, true), value: fit.f_pvalue },
      { label: 'Log-Likelihood:', text: pyG(fit.llf, 5, 0, true), value: fit.llf },
      { label: 'AIC:', text: pyG(fit.aic, 4, 0, true), value: fit.aic },
      { label: 'BIC:', text: pyG(fit.bic, 4, 0, true), value: fit.bic },
    ],
  };
}

/** The residual diagnostics block. */
export function diagnosticRows(fit: FitJSON): { left: SummaryRow[]; right: SummaryRow[] } {
  return {
    left: [
      { label: 'Omnibus:', text: pyF(fit.omnibus, 3), value: fit.omnibus },
      { label: 'Prob(Omnibus):', text: pyF(fit.omnibus_pvalue, 3), value: fit.omnibus_pvalue },
      { label: 'Skew:', text: pyF(fit.skew, 3), value: fit.skew },
      { label: 'Kurtosis:', text: pyF(fit.kurtosis, 3), value: fit.kurtosis },
    ],
    right: [
      { label: 'Durbin-Watson:', text: pyF(fit.durbin_watson, 3), value: fit.durbin_watson },
      { label: 'Jarque-Bera (JB):', text: pyF(fit.jarque_bera, 3), value: fit.jarque_bera },
      { label: 'Prob(JB):', text: pyG(fit.jarque_bera_pvalue, 3, 0, true), value: fit.jarque_bera_pvalue },
      { label: 'Cond. No.', text: pyG(fit.condition_number, 3, 0, true), value: fit.condition_number },
    ],
  };
}

export interface CoefficientRow {
  term: string;
  values: { key: 'coef' | 'std err' | 'stat' | 'p' | 'ci_lo' | 'ci_hi'; text: string; value: number }[];
}

/** The coefficient table, formatted as statsmodels' summary_params (coef %10.4f, the rest forg, P %6.3f). */
export function coefficientRows(fit: FitJSON): CoefficientRow[] {
  return termNames(fit.params.length).map((term, i) => ({
    term,
    values: [
      { key: 'coef', text: forg(fit.params[i]!, 4).trim(), value: fit.params[i]! },
      { key: 'std err', text: forg(fit.bse[i]!).trim(), value: fit.bse[i]! },
      { key: 'stat', text: forg(fit.tvalues[i]!).trim(), value: fit.tvalues[i]! },
      { key: 'p', text: pyF(fit.pvalues[i]!, 3), value: fit.pvalues[i]! },
      { key: 'ci_lo', text: forg(fit.conf_int[i]![0]).trim(), value: fit.conf_int[i]![0] },
      { key: 'ci_hi', text: forg(fit.conf_int[i]![1]).trim(), value: fit.conf_int[i]![1] },
    ],
  }));
}

export function covarianceNote(settings: Settings): string {
  if (settings.cov === 'nonrobust') return 'Standard Errors assume that the covariance matrix of the errors is correctly specified.';
  if (settings.cov === 'HAC') {
    return `Standard Errors are heteroscedasticity and autocorrelation robust (HAC) using ${settings.maxlags ?? 0} lags and without small sample correction`;
  }
  return `Standard Errors are heteroscedasticity robust (${settings.cov})`;
}

/** The whole summary as plain text, 78 columns, as `print(results.summary())` shows it. */
export function summaryText(layer: LayerResult, settings: Settings, created: Date): string {
  const fit = layer.fit;
  const stat = statLabel(settings);
  const rule = '='.repeat(WIDTH);
  const title = 'OLS Regression Results';
  const half = Math.floor((WIDTH - title.length) / 2);
  const lines = [`${' '.repeat(half)}${title}${' '.repeat(WIDTH - half - title.length)}`, rule];
  lines.push(...twoColumns(headerRows(fit, settings, created)), rule);
  // column ends at 21, 32, 43, 54, 66, 78, as statsmodels pads this table to the header's width
  const cols = (cells: string[]) => cells[0]!.padEnd(11) + cells.slice(1).map((c, i) => c.padStart([10, 11, 11, 11, 12, 12][i]!)).join('');
  lines.push(cols(['', 'coef', 'std err', stat, `P>|${stat}|`, '[0.025', '0.975]']), '-'.repeat(WIDTH));
  for (const row of coefficientRows(fit)) lines.push(cols([row.term, ...row.values.map((v) => v.text)]));
  lines.push(rule, ...twoColumns(diagnosticRows(fit)), rule, '', 'Notes:', `[1] ${covarianceNote(settings)}`);
  return lines.join('\n');
}

function twoColumns(block: { left: SummaryRow[]; right: SummaryRow[] }): string[] {
  const n = Math.max(block.left.length, block.right.length);
  return Array.from({ length: n }, (_, i) => {
    const l = block.left[i];
    const r = block.right[i];
    const left = l ? l.label + l.text.padStart(37 - l.label.length) : ' '.repeat(37);
    const right = r ? r.label + r.text.padStart(38 - r.label.length) : ' '.repeat(38);
    return `${left}   ${right}`;
  });
}

/** One layer (or every layer) as tab-separated values at full precision: the coefficients, then every statistic. */
export function summaryTsv(layers: LayerResult[], settings: Settings, created: Date): string {
  const stat = statLabel(settings);
  const line = (cells: (string | number)[]) => cells.map(spreadsheetText).join('\t');
  const out = [line(['layer', 'tap', 'term', 'coef', 'std err', stat, `P>|${stat}|`, '[0.025', '0.975]'])];
  for (const l of layers) {
    for (const row of coefficientRows(l.fit)) out.push(line([l.layer, l.tap, row.term, ...row.values.map((v) => v.value)]));
  }
  out.push('', line(['layer', 'tap', 'statistic', 'value']));
  for (const l of layers) {
    const h = headerRows(l.fit, settings, created);
    const d = diagnosticRows(l.fit);
    for (const row of [...h.left.slice(5), ...h.right, ...d.left, ...d.right]) out.push(line([l.layer, l.tap, row.label.replace(/:$/, ''), row.value]));
  }
  return out.join('\n') + '\n';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `%a, %d %b %Y` */
function pyDate(d: Date): string {
  return `${DAYS[d.getDay()]}, ${two(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

/** `%H:%M:%S` */
function pyTime(d: Date): string {
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
