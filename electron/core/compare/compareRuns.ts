// finished corpus folders (one model each) → one comparison: each folder's own summary (pooled β and share of documents
// with p < alpha per layer) at relative depth. Folders fitted with other settings are refused, naming the first field.
import { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS, COMPARISON_SCHEMA, type ComparedModel, type ComparedRun, type ComparisonDocument, type ModelSummary } from '../../../shared/comparison.js';
import type { Settings } from '../../../shared/result.js';
import { CorpusStore, normalizeSettings, summarizeStore, type LayerSummary, type StoreModelEntry } from '../corpus/index.js';
import { NormscopeError } from '../errors.js';
import { modelDepth, relativeDepth } from './depth.js';
import { DEFAULT_ALPHA } from './comparisonDocument.js';

/** The settings a comparison of runs must share, in the order a mismatch is reported. */
export const RUN_SETTINGS_FIELDS = ['lags', 'start', 'component', 'cov', 'maxlags'] as const satisfies readonly (keyof Settings)[];

/** A results folder's last run, opened read-only. */
export interface OpenRun {
  folder: string;
  store: CorpusStore;
  model: StoreModelEntry;
  settings: Settings;
  started: string;
}

/** Throws BAD_USAGE for a folder count outside 2–8 or settings that differ (details.field names the first), BAD_INPUT
 * for a folder that holds no finished run. */
export async function compareRuns(folders: readonly string[], alpha = DEFAULT_ALPHA): Promise<ComparisonDocument> {
  if (folders.length < COMPARE_MIN_MODELS || folders.length > COMPARE_MAX_MODELS) {
    throw new NormscopeError('BAD_USAGE', `compare --runs needs ${COMPARE_MIN_MODELS} to ${COMPARE_MAX_MODELS} results folders, got ${folders.length}`);
  }
  const open: OpenRun[] = [];
  for (const folder of folders) open.push(await openFinishedRun(folder));
  checkSameSettings(open);
  const runs: ComparedRun[] = [];
  const summary: ModelSummary[] = [];
  for (const [model, r] of open.entries()) {
    const { summary: s } = await summarizeStore(r.store, r.model, r.settings, { alpha, keepDocuments: false });
    runs.push({ model, folder: r.folder, documents: s.documents, layers: s.layers.map((l) => runLayer(l, r.model.n_layer, r.settings.lags)) });
    summary.push(runSummary(model, s.layers, r.settings.lags));
  }
  return {
    schema: COMPARISON_SCHEMA,
    settings: open[0]!.settings,
    alpha,
    models: open.map(modelOf),
    documents: [],
    runs,
    depth: open.map((r, model) => modelDepth(model, r.model.n_layer)),
    summary,
    created: new Date().toISOString(),
  };
}

/** The folder's last run: its model and settings. Throws BAD_INPUT for a folder that holds no finished run. */
export async function openFinishedRun(folder: string): Promise<OpenRun> {
  const store = await CorpusStore.open(folder, { readOnly: true });
  const manifest = store.getManifest();
  const run = manifest.runs.at(-1);
  const model = run && manifest.models.find((m) => m.model_sha256 === run.model_sha256);
  if (!run || !model) throw new NormscopeError('BAD_INPUT', `${folder} holds no finished corpus run`);
  return { folder, store, model, settings: normalizeSettings(run.settings), started: run.started };
}

function checkSameSettings(open: readonly OpenRun[]): void {
  const first = open[0]!;
  for (const r of open.slice(1)) {
    const field = RUN_SETTINGS_FIELDS.find((f) => first.settings[f] !== r.settings[f]);
    if (field === undefined) continue;
    throw new NormscopeError(
      'BAD_USAGE',
      `the runs were fitted with different settings: ${field} is ${String(r.settings[field] ?? 'unset')} in ${r.folder} but ${String(first.settings[field] ?? 'unset')} in ${first.folder}`,
      { field, folders: [first.folder, r.folder] },
    );
  }
}

function runLayer(l: LayerSummary, nLayer: number, lags: number): ComparedRun['layers'][number] {
  const pooled = l.pooled && 'params' in l.pooled ? l.pooled : undefined;
  const lagRange = Array.from({ length: lags }, (_, i) => i + 1);
  return {
    layer: l.layer,
    depth: relativeDepth(l.layer, nLayer),
    pooled_beta: lagRange.map((k) => pooled?.params[k] ?? null),
    pooled_pvalues: lagRange.map((k) => pooled?.pvalues[k] ?? null),
    share_significant: lagRange.map((k) => l.coefficients[k]!.share_significant),
  };
}

/** Over every document × layer fit in the folder: the same counts the texts' summary takes. */
function runSummary(model: number, layers: readonly LayerSummary[], lags: number): ModelSummary {
  const lagRange = Array.from({ length: lags }, (_, i) => i + 1);
  const n = (k: number) => layers.reduce((s, l) => s + l.coefficients[k]!.n, 0);
  const nFits = n(1);
  if (nFits === 0) return { model, n_fits: 0, share_significant: [], mean_beta: [] };
  return {
    model,
    n_fits: nFits,
    share_significant: lagRange.map((k) => layers.reduce((s, l) => s + l.coefficients[k]!.n_significant, 0) / n(k)),
    mean_beta: lagRange.map((k) => layers.reduce((s, l) => s + l.coefficients[k]!.mean * l.coefficients[k]!.n, 0) / n(k)),
  };
}

function modelOf(r: OpenRun): ComparedModel {
  const { name, source, n_layer, n_head, n_embd, n_positions, execution_provider, model_sha256, tokenizer_sha256, revision } = r.model;
  return {
    spec: r.folder,
    status: 'ok',
    model: { name, source, n_layer, n_head, n_embd, n_positions, execution_provider },
    provenance: { normscope: r.store.getManifest().normscope, model_sha256, model_revision: revision, tokenizer_sha256, execution_provider, created: r.started },
  };
}
