// layer → relative depth: where a layer sits between the first (0) and the last (1), so models of different depth line up.
import type { ModelDepth } from '../../../shared/comparison.js';

/** layer / (n_layer − 1); a one-layer model's only layer is at 0. */
export function relativeDepth(layer: number, nLayer: number): number {
  return nLayer > 1 ? layer / (nLayer - 1) : 0;
}

/** Every layer of a model of `nLayer` layers at its relative depth. */
export function modelDepth(model: number, nLayer: number): ModelDepth {
  return { model, layers: Array.from({ length: nLayer }, (_, layer) => ({ layer, depth: relativeDepth(layer, nLayer) })) };
}
