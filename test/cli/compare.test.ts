// `normscope compare` against `normscope analyze`: the same files and settings through each model give, field by field,
// what analyze gives for that model; one model that cannot be loaded leaves the others' results and exits 1.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonDocument } from '../../shared/comparison.js';
import type { AnalysisDocument, DocumentOk } from '../../shared/result.js';
import { normscope, tempDir } from '../analysis/fixtures.js';
import { COMPARE_MODELS, licensesSubset, unsupportedModel } from '../compare/fixtures.js';

const SETTINGS = ['--lags', '2', '--start', '3', '--cov', 'HC1'];
let texts: string;
let out: string;
let models: string[];
const analyses: AnalysisDocument[] = [];

beforeAll(() => {
  models = COMPARE_MODELS.map((m) => m.dir());
  texts = licensesSubset(3, 'compare-texts');
  // one document too short for the fit: its error must be the same through compare as through analyze
  fs.writeFileSync(path.join(texts, 'short.txt'), 'Too short.');
  out = tempDir('compare-out');
  for (const [i, dir] of models.entries()) {
    const r = normscope(['analyze', '--model', dir, ...SETTINGS, '--out', path.join(out, `analyze-${i}.json`), '--quiet', texts]);
    expect(r.status).toBe(1); // the short document
    analyses.push(JSON.parse(fs.readFileSync(path.join(out, `analyze-${i}.json`), 'utf8')) as AnalysisDocument);
  }
});
afterAll(() => {
  for (const d of [texts, out]) fs.rmSync(d, { recursive: true, force: true });
});

function compare(extra: string[], file: string): { doc: ComparisonDocument; status: number | null; stderr: string } {
  const r = normscope(['compare', ...extra, ...SETTINGS, '--out', path.join(out, file), texts]);
  expect(r.stderr).not.toMatch(/Error:|at .*\.js:\d+/);
  return { doc: JSON.parse(fs.readFileSync(path.join(out, file), 'utf8')) as ComparisonDocument, status: r.status, stderr: r.stderr };
}

describe(`normscope compare ${COMPARE_MODELS.map((m) => `--model ${m.label}`).join(' ')}`, () => {
  let run: ReturnType<typeof compare>;
  beforeAll(() => {
    run = compare(models.flatMap((m) => ['--model', m]), 'both.json');
  });

  it('writes normscope.comparison/1 with analyze\'s settings; exit 1 for the document that failed', () => {
    expect(run.status).toBe(1);
    expect(run.doc.schema).toBe('normscope.comparison/1');
    expect(run.doc.settings).toEqual(analyses[0]!.settings);
    expect(run.doc.models.map((m) => m.status)).toEqual(models.map(() => 'ok'));
  });

  it('each model\'s description and provenance are analyze\'s (but for the time it was made)', () => {
    for (const [k, a] of analyses.entries()) {
      const m = run.doc.models[k]!;
      expect(m.spec).toBe(models[k]);
      expect(m.model).toEqual(a.model);
      expect({ ...m.provenance, created: null }).toEqual({ ...a.provenance, created: null });
    }
  });

  it('every document through every model is, field by field, what analyze reports', () => {
    expect(run.doc.documents.map((d) => d.path)).toEqual(analyses[0]!.documents.map((d) => d.path));
    for (const [d, doc] of run.doc.documents.entries()) {
      expect(doc.results.map((r) => r.model)).toEqual(models.map((_, k) => k));
      for (const r of doc.results) expect(r.result).toEqual(analyses[r.model]!.documents[d]);
    }
  });

  it('token counts per document and model, from each model\'s own tokenizer', () => {
    for (const doc of run.doc.documents) {
      const counts = doc.results.map((r) => {
        const a = analyses[r.model]!.documents.find((x) => x.path === doc.path)!;
        return a.status === 'ok' ? a.tokens.length : null;
      });
      expect(doc.results.map((r) => r.n_tokens)).toEqual(counts);
      expect(doc.token_counts_differ).toBe(new Set(counts.filter((c) => c !== null)).size > 1);
    }
  });

  it('depth is layer / (n_layer − 1) for every model and layer', () => {
    for (const [k, a] of analyses.entries()) {
      const n = a.model.n_layer;
      expect(run.doc.depth[k]).toEqual({ model: k, layers: Array.from({ length: n }, (_, layer) => ({ layer, depth: layer / (n - 1) })) });
    }
  });

  it('the summary is the share of layer fits with p < .05 and the mean β, per lag, over analyze\'s results', () => {
    for (const [k, a] of analyses.entries()) {
      const fits = (a.documents.filter((d) => d.status === 'ok') as DocumentOk[]).flatMap((d) => d.layers.map((l) => l.fit));
      const s = run.doc.summary[k]!;
      expect(s.n_fits).toBe(fits.length);
      for (const lag of [1, 2]) {
        expect(s.share_significant[lag - 1]).toBe(fits.filter((f) => f.pvalues[lag]! < 0.05).length / fits.length);
        const mean = fits.reduce((sum, f) => sum + f.params[lag]!, 0) / fits.length;
        expect(s.mean_beta[lag - 1]).toBeCloseTo(mean, 12);
      }
    }
  });
});

describe('normscope compare with a model that cannot be used', () => {
  it('keeps the other model\'s results, puts the typed error in the failed model\'s row, exits 1', () => {
    const bert = unsupportedModel();
    const run = compare(['--model', models[0]!, '--model', bert], 'one-fails.json');
    expect(run.status).toBe(1);
    expect(run.doc.models[1]).toMatchObject({ spec: bert, status: 'error', error: { code: 'UNSUPPORTED_MODEL', message: expect.stringContaining('bert') } });
    expect(run.stderr).toContain('UNSUPPORTED_MODEL');
    for (const [d, doc] of run.doc.documents.entries()) {
      expect(doc.results.map((r) => r.model)).toEqual([0]);
      expect(doc.results[0]!.result).toEqual(analyses[0]!.documents[d]);
    }
    expect(run.doc.depth.map((d) => d.model)).toEqual([0]);
    expect(run.doc.summary.map((s) => s.model)).toEqual([0]);
    fs.rmSync(path.dirname(bert), { recursive: true, force: true });
  });
});

describe('normscope compare usage', () => {
  it.each([
    [['--model', 'a'], /2 to 8 --model/],
    [['--model', 'a', '--model', 'b', '--csv', 'x.csv'], /--csv is not available/],
    [['--runs', 'a', 'b', '--lags', '1'], /--lags does not apply to --runs/],
    [['--runs', '--model', 'a', 'b', 'c'], /not both/],
    [['--model', 'a', '--model', 'b', '--lags', '0'], /--lags must be/],
  ])('%j exits 2 with the reason', (args, reason) => {
    const r = normscope(['compare', ...args, 'x.txt']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(reason);
  });
});
