// design → fit: one OLS per layer of the chosen site, reported with statsmodels' names.
import type { LayerResult, Settings } from '../../../shared/result.js';
import { tapName } from '../../../shared/taps.js';
import { fitOls } from '../stats/index.js';
import { lagDesign } from './design.js';
import { checkFinite } from './series.js';
import type { DocumentTaps } from './types.js';

/** Fit every layer of `settings.component` from stored taps: no model needed. Throws TOO_FEW_TOKENS / NONFINITE. */
export function fitLayers(taps: DocumentTaps, settings: Settings): LayerResult[] {
  return taps.logNorms[settings.component].map((series, layer) => {
    const tap = tapName(layer, settings.component);
    checkFinite(series, tap, taps.tokens);
    const { y, X } = lagDesign(series, settings.lags, settings.start);
    const fit = fitOls(y, X, { cov: settings.cov, maxlags: settings.maxlags }).toJSON();
    return { layer, tap, log_norms: Array.from(series), fit };
  });
}
