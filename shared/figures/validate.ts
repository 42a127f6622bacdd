// Shape checks for renderer inputs: misuse is reported with the place it happened.
import { FigureInputError } from './figureInputError.js';
import type { LayerLogNorms, LogNormData } from './types.js';

export function checkLayerCount(n: unknown, what = 'nLayers'): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new FigureInputError(`${what} must be a positive integer (got ${String(n)})`);
  return n;
}

export function checkLayers<T extends { layer: number }>(layers: unknown, figure: string): T[] {
  if (!Array.isArray(layers)) throw new FigureInputError(`${figure}: data.layers must be an array`);
  for (const l of layers as T[]) {
    if (l == null || typeof l.layer !== 'number' || !Number.isInteger(l.layer) || l.layer < 0) {
      throw new FigureInputError(`${figure}: every entry of data.layers needs a non-negative integer layer`);
    }
  }
  return layers as T[];
}

/** The strip's and the histograms' input: a layer count, and finite log norms for each layer in the order given. */
export function checkLogNormData(data: LogNormData, figure: string): { nLayers: number; layers: LayerLogNorms[] } {
  const nLayers = checkLayerCount(data?.nLayers);
  const layers = checkLayers<LayerLogNorms>(data.layers, figure);
  for (const l of layers) checkFinite(l.logNorms, `${figure}: layer ${l.layer} log norms`);
  return { nLayers, layers };
}

export function checkFinite(values: ArrayLike<number>, where: string): void {
  if (values == null || typeof values.length !== 'number') throw new FigureInputError(`${where}: expected an array of numbers`);
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number' || !Number.isFinite(values[i])) {
      throw new FigureInputError(`${where}: value ${i} is not a finite number (${String(values[i])})`);
    }
  }
}

/** Compare figures: every model has its index in the comparison (for linking) and a name (for the legend). */
export function checkCompareModels<M extends { model: number; name: string }>(models: unknown, figure: string): M[] {
  if (!Array.isArray(models)) throw new FigureInputError(`${figure}: data.models must be an array`);
  for (const m of models as M[]) {
    if (m == null || !Number.isInteger(m.model) || m.model < 0 || typeof m.name !== 'string') {
      throw new FigureInputError(`${figure}: every entry of data.models needs a non-negative integer model and a name`);
    }
  }
  return models as M[];
}
