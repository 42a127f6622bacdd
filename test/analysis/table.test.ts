import { describe, expect, it } from 'vitest';
import type { DocumentResult, FitJSON } from '../../shared/result.js';
import { CSV_COLUMNS, csvField, toCsv } from '../../electron/core/analysis/table.js';
import { documentsCsv } from '../../electron/core/corpus/summary/summary-files.js';

function fit(k: number, offset: number): FitJSON {
  const v = (i: number) => offset + i / 10;
  return {
    nobs: 40 + offset, df_model: k - 1, df_resid: 40 + offset - k, params: [0, 1, 2].slice(0, k).map(v),
    bse: [0.5, 0.25, 0.125].slice(0, k), tvalues: [1, 2, 3].slice(0, k), pvalues: [0.3, 0.04, 1e-9].slice(0, k),
    conf_int: [[-1, 1], [-2, 2], [-3, 3]].slice(0, k) as [number, number][], rsquared: 0.25 + offset,
    rsquared_adj: 0, fvalue: 0, f_pvalue: 0, llf: 0, aic: 0, bic: 0, ssr: 0, ess: 0, centered_tss: 0, mse_model: 0, mse_resid: 0,
    condition_number: 0, durbin_watson: 0, omnibus: 0, omnibus_pvalue: 0, jarque_bera: 0, jarque_bera_pvalue: 0, skew: 0, kurtosis: 0,
  };
}

/** RFC 4180 reader, written for the test: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && s[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('toCsv(documents) → one row per document × layer × coefficient', () => {
  const docs: DocumentResult[] = [
    { path: 'a, "quoted"\nname.txt', status: 'ok', tokens: [], layers: [0, 1].map((layer) => ({ layer, tap: `h.${layer}.attn`, log_norms: [], fit: fit(3, layer) })) },
    { path: 'bad.txt', status: 'error', error: { code: 'EMPTY', message: 'empty' } },
    { path: 'b.txt', status: 'ok', tokens: [], layers: [{ layer: 0, tap: 'h.0.mlp', log_norms: [], fit: fit(2, 0) }] },
  ];
  const rows = parseCsv(toCsv(docs));

  it('header, then 2 layers × 3 terms + 1 layer × 2 terms; failed documents have none', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + 6 + 2);
  });

  it('values and term names in column order, the awkward path round-tripping', () => {
    expect(rows[1]).toEqual(['a, "quoted"\nname.txt', '0', 'h.0.attn', 'const', '0', '0.5', '1', '0.3', '-1', '1', '0.25', '40']);
    expect(rows[6]).toEqual(['a, "quoted"\nname.txt', '1', 'h.1.attn', 'lag2', '1.2', '0.125', '3', '1e-9', '-3', '3', '1.25', '41']);
    expect(rows[8]!.slice(0, 5)).toEqual(['b.txt', '0', 'h.0.mlp', 'lag1', '0.1']);
  });

  it('is the text the corpus summary writes as corpus-documents.csv for the same fits', () => {
    const fits = docs.flatMap((d) => (d.status === 'ok' ? [{ path: d.path, sha256: 'x', layers: d.layers.map(({ layer, tap, fit }) => ({ layer, tap, fit })) }] : []));
    expect(documentsCsv(fits)).toBe(toCsv(docs));
    expect(toCsv([])).toBe(CSV_COLUMNS.join(',') + '\r\n');
  });
});

describe('csvField(value)', () => {
  it('quotes only what needs it', () => {
    expect(csvField('plain.txt')).toBe('plain.txt');
    expect(csvField(' lead')).toBe('" lead"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(-0.5)).toBe('-0.5');
  });
});
