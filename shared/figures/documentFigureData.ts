import type { DocumentOk, Settings } from '../result.js';
import type { BetaData, LogNormData } from './types.js';

/**
 * One analysed document's figure inputs, straight from the JSON contract: `logNorms` for the strip,
 * histograms and heat map; `beta` (the fits' params and p-values) for the β figure.
 */
export function documentFigureData(
  doc: DocumentOk,
  settings: Pick<Settings, 'component' | 'lags'>,
  nLayers: number = doc.layers.length,
): { logNorms: LogNormData; beta: BetaData } {
  return {
    logNorms: { layers: doc.layers.map((l) => ({ layer: l.layer, logNorms: l.log_norms })), nLayers, component: settings.component },
    beta: {
      layers: doc.layers.map((l) => ({ layer: l.layer, params: l.fit.params, pvalues: l.fit.pvalues })),
      lags: settings.lags,
      component: settings.component,
    },
  };
}
