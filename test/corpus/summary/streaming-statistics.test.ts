// The streaming corpus statistics (per-document QR factors, a second pass for residuals) against the in-memory
// implementation they replaced (reference-statistics.ts, every series stacked at once), on ../shared/corpus/licenses
// with the tiny-a model: every statistic, every covariance, relative 1e-10.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FitJSON, Settings } from '../../../shared/result.js';
import { COV_TYPES } from '../../../shared/result.js';
import { lagDesign } from '../../../electron/core/analysis/index.js';
import { CorpusStore, corpusStatistics, startCorpusRun, summarizeStore, type LayerSummary } from '../../../electron/core/corpus/index.js';
import { fitOls } from '../../../electron/core/stats/index.js';
import { sharedDir, tempDir, tinyAModel } from '../../analysis/fixtures.js';
import { corpusStatistics as referenceStatistics, type DocumentFits } from './reference-statistics.js';

const base: Settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' };
let root: string;
let store: CorpusStore;
let model: { model_sha256: string; tokenizer_sha256: string };
let docs: { path: string; sha256: string; series: Float64Array[] }[];

beforeAll(async () => {
  root = tempDir('corpus-stream');
  const out = path.join(root, 'out');
  const run = startCorpusRun({
    paths: [path.join(sharedDir, 'corpus/licenses')],
    outDir: out,
    model: { dir: tinyAModel(), name: 'tiny-a', source: 'folder', revision: null },
    settings: base,
  });
  const outcome = await run.done;
  if (outcome.state !== 'done') throw new Error(JSON.stringify(outcome.status.error));
  model = { model_sha256: outcome.status.model!.model_sha256, tokenizer_sha256: outcome.status.model!.tokenizer_sha256 };
  store = await CorpusStore.open(out, { readOnly: true });
  const entries = store.entries(model, base).filter((e) => e.status === 'ok');
  docs = await Promise.all(entries.map(async (e) => ({ path: e.path, sha256: e.sha256!, series: (await store.readSeries(e.sha256!, model, 'attn'))! })));
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/**
 * |a − b| ≤ 1e-10 · max(|a|, |b|), NaN equal to NaN. Tail probabilities below 1e-6 are compared as ln p (relative
 * 1e-10): p's relative error is about t² times t's, so two equally accurate fits (t equal to 1e-13) differ by 1e-10
 * in a p of 1e-97 while ln p agrees to 1e-12.
 */
function close(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, where).toBe('number');
    let a = actual as number;
    if (Number.isNaN(expected)) return expect(Number.isNaN(a), `${where}: ${a} should be NaN`).toBe(true);
    if (/(pvalue|pvalues\[\d+\])$/.test(where) && expected > 0 && expected < 1e-6) {
      a = Math.log(a);
      expected = Math.log(expected);
    }
    const e = expected as number;
    const scale = Math.max(Math.abs(a), Math.abs(e));
    expect(Math.abs(a - e) <= 1e-10 * scale, `${where}: ${a} vs ${e}`).toBe(true);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length === expected.length, `${where}: length`).toBe(true);
    expected.forEach((v, i) => close((actual as unknown[])[i], v, `${where}[${i}]`));
    return;
  }
  if (expected && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), `${where}: keys`).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) close((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
    return;
  }
  expect(actual, where).toEqual(expected);
}

/** Every document's per-layer fit under `settings`, as the batch computes it. */
function documentFits(settings: Settings): DocumentFits[] {
  return docs.map((d) => ({
    path: d.path,
    sha256: d.sha256,
    series: d.series,
    layers: d.series.map((s, layer) => {
      const { y, X } = lagDesign(s, settings.lags, settings.start);
      return { layer, tap: `h.${layer}.attn`, fit: fitOls(y, X, { cov: settings.cov, maxlags: settings.maxlags }).toJSON() as FitJSON };
    }),
  }));
}

const variants: Settings[] = [
  ...COV_TYPES.map((cov): Settings => (cov === 'HAC' ? { ...base, cov, maxlags: 2 } : { ...base, cov })),
  { ...base, cov: 'HAC', maxlags: 0 },
  { ...base, lags: 1, start: 1, cov: 'HC1' },
  { ...base, lags: 3, start: 5, cov: 'HAC', maxlags: 4 },
];

describe('streaming corpus statistics equal the in-memory ones (relative 1e-10)', () => {
  it('the batch stored 77 fitted documents with their series', () => {
    expect(docs.length).toBe(77);
    expect(docs.every((d) => d.series.length === 3)).toBe(true);
  });

  for (const settings of variants) {
    const label = `${settings.cov}${settings.maxlags !== undefined ? ` maxlags=${settings.maxlags}` : ''} lags=${settings.lags} start=${settings.start}`;
    it(`every statistic of every layer under ${label}: quantiles, share p<.05, weighted mean/Q/I², pooled OLS, fixed effects`, () => {
      const fits = documentFits(settings);
      const expected = referenceStatistics(fits, settings);
      const actual = corpusStatistics(fits, settings);
      expect(actual.length).toBe(3);
      close(actual, expected, label);
      // the pooled fits were computed (or, for HC2/HC3 fixed effects, refused the same way)
      for (const l of actual) {
        expect('error' in (l.pooled as object)).toBe(false);
        expect('error' in (l.fixed_effects as object)).toBe(settings.cov === 'HC2' || settings.cov === 'HC3');
      }
    });
  }

  it('summarizeStore streaming the store equals the reference on the stored fits and series', async () => {
    const { summary } = await summarizeStore(store, model, base, { keepDocuments: false });
    const stored: DocumentFits[] = [];
    for (const e of store.entries(model, base).filter((x) => x.status === 'ok')) {
      const rec = await store.readResult(e);
      stored.push({ path: rec.path, sha256: rec.sha256!, layers: rec.layers!, series: (await store.readSeries(rec.sha256!, model, 'attn'))! });
    }
    // pass 1 folded the per-document factors stored with each result (no series read for it)
    const withFactors = await Promise.all(store.entries(model, base).filter((x) => x.status === 'ok').map(async (e) => (await store.readResult(e)).factors?.length));
    expect(withFactors.every((n) => n === 3)).toBe(true);
    const expected: LayerSummary[] = referenceStatistics(stored, base) as LayerSummary[];
    close(summary.layers, expected, 'store');
    expect(summary.documents).toEqual({ total: 77, ok: 77, failed: 0 });
  });
});
