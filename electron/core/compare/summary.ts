// One model's documents → its summary: the share of layer fits with p < alpha per lag, and the mean β per lag.
import type { ModelSummary } from '../../../shared/comparison.js';
import type { DocumentResult } from '../../../shared/result.js';

/** Over every layer of every document the model fitted (failed documents count nowhere). */
export function summarizeModel(model: number, results: readonly DocumentResult[], lags: number, alpha: number): ModelSummary {
  const significant = new Array<number>(lags).fill(0);
  const betaSum = new Array<number>(lags).fill(0);
  let nFits = 0;
  for (const r of results) {
    if (r.status !== 'ok') continue;
    for (const l of r.layers) {
      nFits++;
      for (let k = 1; k <= lags; k++) {
        betaSum[k - 1]! += l.fit.params[k]!;
        if (l.fit.pvalues[k]! < alpha) significant[k - 1]!++;
      }
    }
  }
  // a model with no fits has no shares or means (empty, rather than NaN, which JSON cannot carry)
  if (nFits === 0) return { model, n_fits: 0, share_significant: [], mean_beta: [] };
  return { model, n_fits: nFits, share_significant: significant.map((v) => v / nFits), mean_beta: betaSum.map((v) => v / nFits) };
}
