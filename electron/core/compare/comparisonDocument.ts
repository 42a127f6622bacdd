// model runs → the contract: `normscope.comparison/1` with each document's results per model, depths and summaries.
import { COMPARISON_SCHEMA, type ComparedDocument, type ComparisonDocument } from '../../../shared/comparison.js';
import type { Settings } from '../../../shared/result.js';
import { modelDepth } from './depth.js';
import type { ModelRun } from './runModels.js';
import { summarizeModel } from './summary.js';

export const DEFAULT_ALPHA = 0.05;

/** Lines the runs up by document (the order of `files`); token counts are reported per model, never aligned. */
export function comparisonDocument(runs: readonly ModelRun[], files: readonly string[], settings: Settings, alpha = DEFAULT_ALPHA): ComparisonDocument {
  const ran = runs.map((r, model) => ({ ...r, model })).filter((r) => r.entry.status === 'ok');
  const documents: ComparedDocument[] = files.map((path, d) => {
    const results = ran.map((r) => {
      const result = r.results[d]!;
      return { model: r.model, n_tokens: result.status === 'ok' ? result.tokens.length : null, result };
    });
    const counts = new Set(results.map((r) => r.n_tokens).filter((n) => n !== null));
    return { path, results, token_counts_differ: counts.size > 1 };
  });
  return {
    schema: COMPARISON_SCHEMA,
    settings,
    alpha,
    models: runs.map((r) => r.entry),
    documents,
    depth: ran.map((r) => modelDepth(r.model, r.entry.model!.n_layer)),
    summary: ran.map((r) => summarizeModel(r.model, r.results, settings.lags, alpha)),
    created: new Date().toISOString(),
  };
}
