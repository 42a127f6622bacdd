// The store → corpus statistics for one model and settings: each distinct document content counted once.
import type { Settings } from '../../../shared/result.js';
import { VERSION } from '../version.js';
import { corpusStatistics, type DocumentFits, type LayerSummary } from './statistics.js';
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
  /** Also fit the pooled regressions (reads each document's stored taps). Default true. */
  pooled?: boolean;
}

/** Corpus statistics from stored results, with each document's fits (for the per-document table and CSV). */
export async function summarizeStore(
  store: CorpusStore,
  model: ModelIdentity,
  settings: Settings,
  options: SummaryOptions = {},
): Promise<{ summary: CorpusSummary; documents: DocumentFits[] }> {
  const alpha = options.alpha ?? 0.05;
  const pooled = options.pooled ?? true;
  const bySha = new Map(store.entries(model, settings).map((e) => [e.sha256!, e]));
  const wanted = options.sha256s ? [...new Set(options.sha256s)] : [...bySha.keys()];
  const documents: DocumentFits[] = [];
  const failures: CorpusSummary['failures'] = [];
  for (const sha of wanted) {
    const entry = bySha.get(sha);
    if (!entry) continue;
    const rec = await store.readResult(entry);
    if (rec.status === 'error' || !rec.layers) {
      failures.push({ path: rec.path, sha256: rec.sha256, code: rec.error?.code ?? 'MODEL_FAILED', message: rec.error?.message ?? 'no fits stored' });
      continue;
    }
    const doc: DocumentFits = { path: rec.path, sha256: sha, layers: rec.layers };
    if (pooled) {
      const taps = await store.readTaps(sha, model);
      if (taps) doc.series = taps.logNorms[settings.component];
    }
    documents.push(doc);
  }
  const known = store.getManifest().models.find((m) => m.model_sha256 === model.model_sha256 && m.tokenizer_sha256 === model.tokenizer_sha256);
  const summary: CorpusSummary = {
    schema: SUMMARY_SCHEMA,
    normscope: VERSION,
    created: new Date().toISOString(),
    model: known ?? { model_sha256: model.model_sha256, tokenizer_sha256: model.tokenizer_sha256 },
    settings,
    alpha,
    documents: { total: documents.length + failures.length, ok: documents.length, failed: failures.length },
    failures,
    layers: corpusStatistics(documents, settings, { alpha }),
  };
  return { summary, documents };
}

