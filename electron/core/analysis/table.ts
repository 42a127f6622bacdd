// fits → table: one CSV row per document × layer × coefficient, quoted as RFC 4180 says, formulas neutralised.
import { csvCell } from '../../../shared/csv-cell.js';
import type { DocumentResult, FitJSON } from '../../../shared/result.js';

export const CSV_COLUMNS = ['path', 'layer', 'tap', 'term', 'estimate', 'bse', 't', 'p', 'ci_low', 'ci_high', 'rsquared', 'nobs'] as const;

/** 'const' for the intercept, 'lag1', 'lag2', … for the lags (the design's column order). */
export function termName(index: number): string {
  return index === 0 ? 'const' : `lag${index}`;
}

/**
 * One document's CSV lines (path, layer, tap, term, estimate, bse, t, p, ci_low, ci_high, rsquared, nobs), in layer then
 * term order, each ending in CRLF. Built straight into one string: the corpus summary writes 10⁵ documents' rows, and
 * row arrays joined field by field left ~200 MB of V8 garbage at that size.
 */
export function coefficientCsvLines(path: string, layers: readonly { layer: number; tap: string; fit: FitJSON }[]): string {
  const quotedPath = csvField(path);
  let out = '';
  for (const { layer, tap, fit } of layers) {
    const head = `${quotedPath},${layer},${csvField(tap)},`;
    for (let k = 0; k < fit.params.length; k++) {
      const [lo, hi] = fit.conf_int[k]!;
      out += `${head}${termName(k)},${fit.params[k]},${fit.bse[k]},${fit.tvalues[k]},${fit.pvalues[k]},${lo},${hi},${fit.rsquared},${fit.nobs}\r\n`;
    }
  }
  return out;
}

/** The header line of the per-coefficient CSV. */
export const CSV_HEADER = CSV_COLUMNS.join(',') + '\r\n';

/** One row per ok document × layer × coefficient; failed documents have no rows. */
export function toCsv(documents: readonly DocumentResult[]): string {
  return CSV_HEADER + documents.map((d) => (d.status === 'ok' ? coefficientCsvLines(d.path, d.layers) : '')).join('');
}

/** Every CSV normscope writes quotes and neutralises its fields with the one shared cell function. */
export const csvField = csvCell;
