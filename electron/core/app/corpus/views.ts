// What the corpus view is shown, made from the core's results: a job's status, a document's row, a layer's summary and
// the corpus figures' inputs (plain data for IPC; the renderer computes nothing).
import type { CorpusDocumentRow, CorpusLayerSummary, CorpusPooledFit, CorpusResults, CorpusStatus, Maybe } from '../../../../shared/ipc.js';
import type { Settings } from '../../../../shared/result.js';
import type { CorpusRunStatus, DocumentRow, FixedEffectsFit, LayerSummary, Unavailable } from '../../corpus/index.js';
import { isDemoName } from '../../models/index.js';
import type { HandleRegistry } from '../handles.js';
import type { CorpusJob } from './job.js';

/** The corpus view's picture of a job, from its run's status (or the last one). */
export function statusView(j: CorpusJob, s: CorpusRunStatus = j.run?.status() ?? j.last): CorpusStatus {
  const model = s.model ? { name: s.model.name, execution_provider: s.model.execution_provider, demo: j.model?.demo ?? isDemoName(s.model.name) } : null;
  return {
    jobId: j.jobId,
    state: s.state,
    phase: s.phase,
    pausing: s.pausing,
    documentsDone: s.documentsDone,
    documentsTotal: s.documentsTotal,
    documentsFailed: s.documentsFailed,
    documentsSkipped: s.documentsSkipped,
    documentsRefit: s.documentsRefit,
    tokensDone: s.tokensDone,
    tokensPerSecond: s.tokensPerSecond,
    etaSeconds: s.etaSeconds,
    currentFile: s.currentFile === null ? null : j.nameOf(s.currentFile),
    currentTokens: s.currentTokens,
    elapsedSeconds: s.elapsedSeconds,
    inputs: j.inputHandles,
    results: j.resultsHandle,
    settings: j.settings,
    model: model ?? (j.model ? { name: j.model.name, execution_provider: j.model.execution_provider, demo: j.model.demo } : null),
    reopened: j.reopened,
    ...(s.error ? { error: s.error } : {}),
  };
}

/** One document's row as the corpus table shows it. */
export function rowView(j: CorpusJob, r: DocumentRow, index: number, handles: HandleRegistry): CorpusDocumentRow {
  return {
    index,
    file: handles.issue(r.path, 'file'),
    name: j.nameOf(r.path),
    status: r.status,
    source: r.source ?? null,
    tokens: r.tokens ?? null,
    ...(r.error ? { errorCode: r.error.code, errorMessage: r.error.message } : {}),
    rsquared: r.rsquared ?? [],
    betas: (r.params ?? []).map((p) => p.slice(1)),
    pvalues: (r.pvalues ?? []).map((p) => p.slice(1)),
  };
}

/** The corpus figures' inputs, picked from the core's layer summaries: per layer and lag, the finite β of every
 * document and the share with p < alpha (layers without a fitted document left out). */
export function corpusFigureData(layers: readonly LayerSummary[], settings: Settings): CorpusResults['figures'] {
  const lags = Array.from({ length: settings.lags }, (_, i) => i + 1);
  const fitted = layers.filter((l) => l.n_documents > 0 && lags.every((k) => Number.isFinite(l.coefficients[k]?.share_significant)));
  if (fitted.length === 0) return null;
  return {
    'beta-distributions': {
      lags: settings.lags,
      component: settings.component,
      layers: fitted.map((l) => ({ layer: l.layer, betas: lags.map((k) => l.coefficients[k]!.betas.filter(Number.isFinite)) })),
    },
    'share-significant': {
      lags: settings.lags,
      component: settings.component,
      layers: fitted.map((l) => ({ layer: l.layer, share: lags.map((k) => l.coefficients[k]!.share_significant), n: l.n_documents })),
    },
  };
}

function maybe(v: number | undefined): Maybe {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/** One layer of the core's corpus summary as the corpus view shows it (non-finite numbers as null). */
export function layerView(l: LayerSummary): CorpusLayerSummary {
  return {
    layer: l.layer,
    tap: l.tap,
    nDocuments: l.n_documents,
    coefficients: l.coefficients.map((c) => ({
      index: c.index,
      term: c.term,
      n: c.n,
      mean: maybe(c.mean),
      sd: maybe(c.sd),
      quantiles: { min: maybe(c.quantiles.min), q25: maybe(c.quantiles.q25), median: maybe(c.quantiles.median), q75: maybe(c.quantiles.q75), max: maybe(c.quantiles.max) },
      shareSignificant: maybe(c.share_significant),
      nSignificant: c.n_significant,
      weightedMean: maybe(c.weighted?.mean),
      weightedMeanSe: maybe(c.weighted?.se),
      weightedMeanConfInt: c.weighted ? c.weighted.conf_int : null,
      heterogeneity: c.weighted ? { q: c.weighted.q, df: c.weighted.q_df, pvalue: maybe(c.weighted.q_pvalue), i2: c.weighted.i2 } : null,
    })),
    pooled: pooledOf(l.pooled, (fit) => ({
      nobs: fit.nobs,
      rsquared: fit.rsquared,
      coefficients: fit.params.map((estimate, k) => ({ index: k, estimate, bse: fit.bse[k]!, pvalue: fit.pvalues[k]!, confInt: fit.conf_int[k]! })),
    })),
    fixedEffects: pooledOf(l.fixed_effects, (fit: FixedEffectsFit) => ({
      nobs: fit.nobs,
      rsquared: fit.rsquared_within,
      // the within fit reports the lags only: index k is lag k
      coefficients: fit.params.map((estimate, k) => ({ index: k + 1, estimate, bse: fit.bse[k]!, pvalue: fit.pvalues[k]!, confInt: fit.conf_int[k]! })),
    })),
  };
}

function pooledOf<T extends object>(v: T | Unavailable | undefined, of: (fit: T) => CorpusPooledFit): CorpusLayerSummary['pooled'] {
  if (v === undefined) return null;
  return 'error' in v ? { error: (v as Unavailable).error } : of(v as T);
}

export function idleStatus(outDir: string): CorpusRunStatus {
  return {
    state: 'idle',
    phase: null,
    pausing: false,
    documentsTotal: 0,
    documentsDone: 0,
    documentsFailed: 0,
    documentsSkipped: 0,
    documentsRefit: 0,
    tokensDone: 0,
    tokensPerSecond: 0,
    etaSeconds: null,
    currentFile: null,
    currentTokens: null,
    elapsedSeconds: 0,
    outDir,
    model: null,
  };
}
