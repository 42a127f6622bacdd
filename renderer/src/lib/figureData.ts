// A document figure's input, picked from the view by the shared picker — the same pick the core makes
// for exports (electron/core/app/export.ts figureInput), so screen and file draw the same data.
import type { DocumentFigure, DocumentView } from '../../../shared/ipc.js';
import { documentFigureData, type FigureDataMap } from '../../../shared/figures/index.js';

export function figureInput<F extends DocumentFigure>(figure: F, v: Pick<DocumentView, 'layers' | 'settings' | 'model' | 'tokens'>): FigureDataMap[F] {
  const { logNorms, beta } = documentFigureData({ path: '', status: 'ok', tokens: v.tokens, layers: v.layers }, v.settings, v.model.n_layer);
  return (figure === 'beta-across-layers' ? beta : logNorms) as FigureDataMap[F];
}
