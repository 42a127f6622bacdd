// A comparison document built by hand for the figure tests: chosen β, p and log norms per model, document and layer.
import type { ComparisonDocument } from '../../shared/comparison.js';
import type { DocumentOk, FitJSON } from '../../shared/result.js';
import { parkMiller } from '../figures/support.js';

export interface SyntheticModel {
  name: string;
  nLayer: number;
  /** [document][layer] → β and p of lag 1 and lag 2. */
  fits: { beta: [number, number]; p: [number, number] }[][];
}

export function syntheticComparison(models: SyntheticModel[], seed = 7): ComparisonDocument {
  const rnd = parkMiller(seed);
  const nDocs = models[0]!.fits.length;
  const doc = (m: SyntheticModel, d: number): DocumentOk => ({
    path: `doc-${d}.txt`,
    status: 'ok',
    tokens: Array.from({ length: 12 }, (_, id) => ({ id, text: `t${id}` })),
    layers: m.fits[d]!.map((f, layer) => ({
      layer,
      tap: `h.${layer}.attn`,
      log_norms: Array.from({ length: 12 }, () => layer + 3 * rnd()),
      fit: { params: [0.1, ...f.beta], pvalues: [0.5, ...f.p] } as unknown as FitJSON,
    })),
  });
  return {
    schema: 'normscope.comparison/1',
    settings: { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' },
    alpha: 0.05,
    models: models.map((m) => ({
      spec: m.name,
      status: 'ok',
      model: { name: m.name, source: 'test', n_layer: m.nLayer, n_head: 2, n_embd: 8, n_positions: 64, execution_provider: 'cpu' },
    })),
    documents: Array.from({ length: nDocs }, (_, d) => ({
      path: `doc-${d}.txt`,
      token_counts_differ: false,
      results: models.map((m, k) => ({ model: k, n_tokens: 12, result: doc(m, d) })),
    })),
    depth: models.map((m, k) => ({ model: k, layers: Array.from({ length: m.nLayer }, (_, layer) => ({ layer, depth: layer / (m.nLayer - 1) })) })),
    summary: models.map((m, k) => ({ model: k, n_fits: nDocs * m.nLayer, share_significant: [0.5, 0.25], mean_beta: [0.2, 0.1] })),
    created: '2026-12-03T00:00:00.000Z',
  };
}

/** Fits whose β and p follow a simple pattern over layers and documents. */
export function patternFits(nDocs: number, nLayer: number, p: (d: number, layer: number, lag: number) => number): SyntheticModel['fits'] {
  return Array.from({ length: nDocs }, (_, d) =>
    Array.from({ length: nLayer }, (_, layer) => ({
      beta: [0.2 + 0.1 * layer + 0.05 * d * (layer % 2 ? 1 : -1), 0.1 - 0.03 * layer + 0.02 * d] as [number, number],
      p: [p(d, layer, 1), p(d, layer, 2)] as [number, number],
    })),
  );
}
