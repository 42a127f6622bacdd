// The store → corpus statistics for one model and settings: each distinct document content counted once.
import type { Settings } from '../../../../shared/result.js';
import { VERSION } from '../../version.js';
import { decodeFactors } from './document-factors.js';
import { PooledLayer } from './pooled-layer.js';
import { FitCollector, type DocumentFits, type LayerSummary } from './statistics.js';
import type { CorpusStore, StoreModelEntry, ModelIdentity } from '../store/index.js';

export const SUMMARY_SCHEMA = 'normscope.corpus-summary/1' as const;

/** Records are read synchronously: every this many, the event loop gets a turn (the app's IPC, a cancel). */
const YIELD_EVERY = 256;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface CorpusSummary {
  schema: typeof SUMMARY_SCHEMA;
  normscope: string;
  created: string;
  model: StoreModelEntry | ModelIdentity;
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
  return store.readingMany(() => summarize(store, model, settings, options));
}

async function summarize(
  store: CorpusStore,
  model: ModelIdentity,
  settings: Settings,
  options: SummaryOptions,
): Promise<{ summary: CorpusSummary; documents: DocumentFits[] }> {
  const alpha = options.alpha ?? 0.05;
  const keep = options.keepDocuments ?? true;
  const bySha = new Map(store.entries(model, settings).map((e) => [e.sha256!, e]));
  const wanted = options.sha256s ? [...new Set(options.sha256s)] : [...bySha.keys()];
  const documents: DocumentFits[] = [];
  const fitted: string[] = [];
  const failures: CorpusSummary['failures'] = [];
  const collector = new FitCollector(settings);
  const wantPooled = options.pooled ?? true;
  // pass 1 of the pooled fits happens here: each document's stored factors are folded in as its result is read
  let layers: PooledLayer[] | null = null;
  /** Documents whose results predate stored factors: pass 1 reads their series. */
  const needSeries: string[] = [];
  for (const [i, sha] of wanted.entries()) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
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
    if (wantPooled) {
      layers ??= Array.from({ length: rec.layers.length }, () => new PooledLayer(settings, alpha));
      const factors = rec.factors?.map((f) => decodeFactors(f, settings.lags));
      if (factors?.length === layers.length && factors.every((f) => f !== undefined)) layers.forEach((l, i) => l.addFactors(factors[i]!));
      else needSeries.push(sha);
    }
    if (keep) documents.push(doc);
    await options.onDocument?.(doc);
  }
  const pooled = layers && fitted.length > 0 ? await pooledFromStore(store, model, settings, fitted, needSeries, layers, collector.layerCount, alpha) : undefined;
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
 * The pooled fits of every layer, once the stored factors are folded in: the rest of pass 1 reads the series of the
 * documents without factors, pass 2 reads every series once, in document order, for the residuals. Undefined when a
 * document has no stored taps.
 */
async function pooledFromStore(
  store: CorpusStore,
  model: ModelIdentity,
  settings: Settings,
  sha256s: readonly string[],
  needSeries: readonly string[],
  folded: PooledLayer[],
  nLayer: number,
  alpha: number,
): Promise<PooledLayer[] | undefined> {
  if (!sha256s.every((sha) => store.hasTaps(sha, model))) return undefined;
  // documents with other layer counts than the first (never within one model): start over from the series
  const layers = folded.length === nLayer ? folded : Array.from({ length: nLayer }, () => new PooledLayer(settings, alpha));
  for (const [i, sha] of (folded === layers ? needSeries : sha256s).entries()) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
    const series = await store.readSeries(sha, model, settings.component);
    if (!series) return undefined;
    layers.forEach((l, i) => l.addDocument(series[i]!));
  }
  for (const l of layers) l.solve();
  for (const [d, sha] of sha256s.entries()) {
    if (d % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
    const series = await store.readSeries(sha, model, settings.component);
    if (!series) return undefined;
    layers.forEach((l, i) => l.residuals(series[i]!));
  }
  return layers;
}
