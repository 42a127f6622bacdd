import type { DocumentOk, Settings } from '../result.js';
import type { FigureDataMap } from './figures.js';

export type DocumentFigureName = 'attention-norm-strip' | 'attention-norm-histograms' | 'beta-across-layers' | 'log-norm-heatmap';

/**
 * One analysed document's figure inputs, keyed by figure, straight from the JSON contract: log norms
 * for the strip, histograms and heat map; the fits' params and p-values for the β figure.
 */
export function documentFigureData(
  doc: DocumentOk,
  settings: Pick<Settings, 'component' | 'lags'>,
  nLayers: number = doc.layers.length,
): Pick<FigureDataMap, DocumentFigureName> {
  const logNorms = { layers: doc.layers.map((l) => ({ layer: l.layer, logNorms: l.log_norms })), nLayers, component: settings.component };
  return {
    'attention-norm-strip': logNorms,
    'attention-norm-histograms': logNorms,
    'log-norm-heatmap': logNorms,
    'beta-across-layers': {
      layers: doc.layers.map((l) => ({ layer: l.layer, params: l.fit.params, pvalues: l.fit.pvalues })),
      lags: settings.lags,
      component: settings.component,
    },
  };
}
