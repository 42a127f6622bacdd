// comparison → the three compare figures' inputs. Every number the figures show is computed here (the renderers and
// the app only draw): means across documents with a t-based 95% band, shares, log-norm quartiles.
import { deviation, mean, quantileSorted } from 'd3';
import type { ComparisonDocument } from '../../../shared/comparison.js';
import type { CompareBetaData, CompareLogNormData, CompareModelKey, CompareShareData } from '../../../shared/figures/types.js';
import type { DocumentOk } from '../../../shared/result.js';
import { tIsf, tSf } from '../stats/index.js';

export interface ComparisonFigureData {
  'compare-beta-depth': CompareBetaData;
  'compare-share-significant': CompareShareData;
  /** Null for a comparison of corpus runs (their token series stay in the folders). */
  'compare-log-norms-depth': CompareLogNormData | null;
}

export function comparisonFigureData(doc: ComparisonDocument): ComparisonFigureData {
  const keys = modelKeys(doc);
  const { lags, component } = doc.settings;
  const beta: CompareBetaData = {
    lags,
    component,
    models: keys.map((k) => ({ ...k, points: doc.runs ? runPoints(doc, k.model) : documentPoints(okResults(doc, k.model), doc.depth, k.model, lags) })),
  };
  const share: CompareShareData = {
    lags,
    component,
    models: keys.map((k) => {
      const s = doc.summary.find((m) => m.model === k.model)!;
      return { ...k, share: s.n_fits ? s.share_significant : new Array<number>(lags).fill(0), n: s.n_fits };
    }),
  };
  const logNorms: CompareLogNormData | null = doc.runs
    ? null
    : { component, models: keys.map((k) => ({ ...k, layers: logNormQuartiles(okResults(doc, k.model), depthOf(doc.depth, k.model)) })) };
  return { 'compare-beta-depth': beta, 'compare-share-significant': share, 'compare-log-norms-depth': logNorms };
}

/** The models that ran, named as in the comparison, `name (2)` where two share a name. */
function modelKeys(doc: ComparisonDocument): CompareModelKey[] {
  const seen = new Map<string, number>();
  return doc.depth.map(({ model }) => {
    const base = doc.models[model]!.model?.name ?? doc.models[model]!.spec;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return { model, name: count > 1 ? `${base} (${count})` : base };
  });
}

function okResults(doc: ComparisonDocument, model: number): DocumentOk[] {
  return doc.documents.flatMap((d) => d.results.filter((r) => r.model === model && r.result.status === 'ok').map((r) => r.result as DocumentOk));
}

function depthOf(depths: ComparisonDocument['depth'], model: number): (layer: number) => number {
  const layers = depths.find((d) => d.model === model)!.layers;
  return (layer) => layers[layer]!.depth;
}

/**
 * One document: its fits' β and p. Several: the mean β over documents, its 95% band mean ± t(.975, n−1)·sd/√n, and the
 * p of the one-sample t-test of that mean (so a marker is filled exactly when the band leaves out zero).
 */
function documentPoints(results: DocumentOk[], depths: ComparisonDocument['depth'], model: number, lags: number): CompareBetaData['models'][number]['points'] {
  const depth = depthOf(depths, model);
  const nLayer = depths.find((d) => d.model === model)!.layers.length;
  const points: CompareBetaData['models'][number]['points'] = [];
  for (let layer = 0; layer < nLayer; layer++) {
    for (let lag = 1; lag <= lags; lag++) {
      const fits = results.map((r) => r.layers[layer]?.fit).filter((f) => f !== undefined);
      const n = fits.length;
      if (n === 0) continue;
      if (n === 1) {
        points.push({ layer, depth: depth(layer), lag, beta: fits[0]!.params[lag]!, p: fits[0]!.pvalues[lag]!, n });
        continue;
      }
      const betas = fits.map((f) => f.params[lag]!);
      const m = mean(betas)!;
      const se = deviation(betas)! / Math.sqrt(n);
      const half = tIsf(0.025, n - 1) * se;
      const p = se > 0 ? 2 * tSf(Math.abs(m / se), n - 1) : m === 0 ? 1 : 0;
      points.push({ layer, depth: depth(layer), lag, beta: m, p, lo: m - half, hi: m + half, n });
    }
  }
  return points;
}

/** A corpus run: each layer's pooled β and p, as the folder's summary has them. */
function runPoints(doc: ComparisonDocument, model: number): CompareBetaData['models'][number]['points'] {
  const run = doc.runs!.find((r) => r.model === model)!;
  return run.layers.flatMap((l) =>
    l.pooled_beta.flatMap((beta, i) => (beta === null || l.pooled_pvalues[i] === null ? [] : [{ layer: l.layer, depth: l.depth, lag: i + 1, beta, p: l.pooled_pvalues[i]!, n: run.documents.ok }])),
  );
}

/** Per layer, the quartiles (linear interpolation, numpy's default) of tokens 1..T-1 of every document pooled. */
function logNormQuartiles(results: DocumentOk[], depth: (layer: number) => number): CompareLogNormData['models'][number]['layers'] {
  const nLayer = Math.max(0, ...results.map((r) => r.layers.length));
  return Array.from({ length: nLayer }, (_, layer) => {
    const values = results.flatMap((r) => r.layers[layer]?.log_norms.slice(1) ?? []).sort((a, b) => a - b);
    return { layer, depth: depth(layer), q25: quantileSorted(values, 0.25)!, median: quantileSorted(values, 0.5)!, q75: quantileSorted(values, 0.75)! };
  });
}
