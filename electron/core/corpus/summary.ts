// The store → corpus statistics for one model and settings: each distinct document content counted once.
import type { Settings } from '../../../shared/result.js';
import { VERSION } from '../version.js';
import { PooledLayer, decodeFactors, type DocumentFactors } from './pooled-stream.js';
import { FitCollector, type DocumentFits, type LayerSummary } from './statistics.js';
import type { CorpusStore, ModelEntry, ModelIdentity } from './store.js';

export const SUMMARY_SCHEMA = 'normscope.corpus-summary/1' as const;

export interface CorpusSummary {
  schema: typeof SUMMARY_SCHEMA;
  normscope: string;
  created: string;
  model: ModelEntry | ModelIdentity;
  settings: Settings;
  alpha: number;
  /** Distinct document contents summarized. */
  documents: { total: number; ok: number; failed: number };
  failures: { path: string; sha256: string | null; code: string; message: string }[];
  layers: LayerSummary[];
}

export interface SummaryOptions {
  /** Only these contents (a batch's documents), in this order; default every result in the store for the model and settings. */
  sha256s?: readonly string[];
  alpha?: number;
  /** Also fit the pooled regressions (two streaming passes over the stored taps). Default true. */
  pooled?: boolean;
  /** Return every document's fits (for the per-document table); default true. Set false and use onDocument for big corpora. */
  keepDocuments?: boolean;
  /** Called with each summarized document's fits in order, as they are read. */
  onDocument?: (doc: DocumentFits) => void | Promise<void>;
}

/**
 * Corpus statistics from stored results, with each document's fits (for the per-document table and CSV). Memory holds
 * a few numbers per document and layer: fits are read one record at a time, and the pooled fits stream each
 * document's series twice (pass 1 its QR factor, pass 2 its residuals under the pooled β).
 */
export async function summarizeStore(
  store: CorpusStore,
  model: ModelIdentity,
  settings: Settings,
  options: SummaryOptions = {},
): Promise<{ summary: CorpusSummary; documents: DocumentFits[] }> {
  const alpha = options.alpha ?? 0.05;
  const keep = options.keepDocuments ?? true;
  const bySha = new Map(store.entries(model, settings).map((e) => [e.sha256!, e]));
  const wanted = options.sha256s ? [...new Set(options.sha256s)] : [...bySha.keys()];
  const documents: DocumentFits[] = [];
  const fitted: string[] = [];
  const failures: CorpusSummary['failures'] = [];
  const collector = new FitCollector(settings);
  /** Per document, its stored factors (pass 1 needs no series for these). */
  const stored = new Map<string, DocumentFactors[]>();
  for (const sha of wanted) {
    const entry = bySha.get(sha);
    if (!entry) continue;
    const rec = await store.readResult(entry);
    if (rec.status === 'error' || !rec.layers) {
      failures.push({ path: rec.path, sha256: rec.sha256, code: rec.error?.code ?? 'MODEL_FAILED', message: rec.error?.message ?? 'no fits stored' });
      continue;
    }
    const doc: DocumentFits = { path: rec.path, sha256: sha, layers: rec.layers };
    collector.add(doc.layers);
    fitted.push(sha);
    const factors = rec.factors?.map((f) => decodeFactors(f, settings.lags));
    if (factors?.length === rec.layers.length && factors.every((f) => f !== undefined)) stored.set(sha, factors as DocumentFactors[]);
    if (keep) documents.push(doc);
    await options.onDocument?.(doc);
  }
  const pooled = (options.pooled ?? true) && fitted.length > 0 ? await pooledFromStore(store, model, settings, fitted, stored, collector.layerCount, alpha) : undefined;
  const known = store.getManifest().models.find((m) => m.model_sha256 === model.model_sha256 && m.tokenizer_sha256 === model.tokenizer_sha256);
  const summary: CorpusSummary = {
    schema: SUMMARY_SCHEMA,
    normscope: VERSION,
    created: new Date().toISOString(),
    model: known ?? { model_sha256: model.model_sha256, tokenizer_sha256: model.tokenizer_sha256 },
    settings,
    alpha,
    documents: { total: fitted.length + failures.length, ok: fitted.length, failed: failures.length },
    failures,
    layers: collector.summaries(alpha, pooled),
  };
  return { summary, documents };
}

/**
 * The pooled fits of every layer: pass 1 folds each document's stored factors (its series only where a result predates
 * them), pass 2 reads every series once for the residuals. Undefined when a document has no stored taps.
 */
async function pooledFromStore(
  store: CorpusStore,
  model: ModelIdentity,
  settings: Settings,
  sha256s: readonly string[],
  stored: ReadonlyMap<string, DocumentFactors[]>,
  nLayer: number,
  alpha: number,
): Promise<PooledLayer[] | undefined> {
  if (!sha256s.every((sha) => store.hasTaps(sha, model))) return undefined;
  const layers = Array.from({ length: nLayer }, () => new PooledLayer(settings, alpha));
  for (const pass of [1, 2] as const) {
    for (const sha of sha256s) {
      const factors = pass === 1 ? stored.get(sha) : undefined;
      if (factors && factors.length === nLayer) {
        layers.forEach((l, i) => l.addFactors(factors[i]!));
        continue;
      }
      const series = await store.readSeries(sha, model, settings.component);
      if (!series) return undefined;
      layers.forEach((l, i) => (pass === 1 ? l.addDocument(series[i]!) : l.residuals(series[i]!)));
    }
    if (pass === 1) for (const l of layers) l.solve();
  }
  return layers;
}
