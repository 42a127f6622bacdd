// fits → table: one CSV row per document × layer × coefficient, quoted as RFC 4180 says.
import type { DocumentResult } from '../../../shared/result.js';

export const CSV_COLUMNS = ['path', 'layer', 'tap', 'term', 'estimate', 'bse', 't', 'p', 'ci_low', 'ci_high', 'rsquared', 'nobs'] as const;

/** 'const' for the intercept, 'lag1', 'lag2', … for the lags (the design's column order). */
export function termName(index: number): string {
  return index === 0 ? 'const' : `lag${index}`;
}

/** Rows of the documents that are ok, in document, layer, term order; failed documents have no rows. */
export function coefficientRows(documents: readonly DocumentResult[]): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (const doc of documents) {
    if (doc.status !== 'ok') continue;
    for (const { layer, tap, fit } of doc.layers) {
      fit.params.forEach((estimate, k) => {
        const [lo, hi] = fit.conf_int[k]!;
        rows.push([doc.path, layer, tap, termName(k), estimate, fit.bse[k]!, fit.tvalues[k]!, fit.pvalues[k]!, lo, hi, fit.rsquared, fit.nobs]);
      });
    }
  }
  return rows;
}

export function toCsv(documents: readonly DocumentResult[]): string {
  return [CSV_COLUMNS as readonly (string | number)[], ...coefficientRows(documents)].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A field quoted when it holds a comma, a quote, a line break or edge spaces; quotes doubled. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
