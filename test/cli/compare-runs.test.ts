// `normscope compare --runs`: finished corpus folders of the licenses corpus (a 6-document subset), each made by a
// different tiny model, equal each folder's own corpus-summary.json; folders fitted with other settings are refused.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonDocument } from '../../shared/comparison.js';
import type { FitJSON } from '../../shared/result.js';
import { normscope, tempDir } from '../analysis/fixtures.js';
import { COMPARE_MODELS, licensesSubset } from '../compare/fixtures.js';

interface SummaryFile {
  settings: Record<string, unknown>;
  documents: { total: number; ok: number; failed: number };
  layers: { layer: number; coefficients: { share_significant: number; n: number; n_significant: number; mean: number }[]; pooled: FitJSON }[];
}

let texts: string;
let out: string;
const folders: string[] = [];

function batch(model: string, folder: string, extra: string[] = []): void {
  const r = normscope(['analyze', '--model', model, '--out-dir', folder, '--quiet', ...extra, texts]);
  expect(r.status, r.stderr).toBe(0);
}

beforeAll(() => {
  texts = licensesSubset(6, 'compare-runs');
  out = tempDir('compare-runs-out');
  for (const m of COMPARE_MODELS) {
    folders.push(path.join(out, m.label));
    batch(m.dir(), folders.at(-1)!);
  }
});
afterAll(() => {
  for (const d of [texts, out]) fs.rmSync(d, { recursive: true, force: true });
});

describe('normscope compare --runs', () => {
  let doc: ComparisonDocument;
  let summaries: SummaryFile[];
  beforeAll(() => {
    const r = normscope(['compare', '--runs', ...folders, '--out', path.join(out, 'runs.json'), '--figures', path.join(out, 'figures')]);
    expect(r.status, r.stderr).toBe(0);
    doc = JSON.parse(fs.readFileSync(path.join(out, 'runs.json'), 'utf8')) as ComparisonDocument;
    summaries = folders.map((f) => JSON.parse(fs.readFileSync(path.join(f, 'corpus-summary.json'), 'utf8')) as SummaryFile);
  });

  it('names each folder\'s model and takes the settings they share', () => {
    expect(doc.models.map((m) => [m.spec, m.status, m.model?.name])).toEqual(folders.map((f, k) => [f, 'ok', COMPARE_MODELS[k]!.label]));
    expect(doc.settings).toEqual(summaries[0]!.settings);
  });

  it('pooled β, its p and the share significant of every layer equal the folder\'s own summary, at layer / (n − 1)', () => {
    for (const [k, s] of summaries.entries()) {
      const run = doc.runs![k]!;
      expect(run.documents).toEqual(s.documents);
      expect(run.documents.ok).toBe(6);
      const n = s.layers.length;
      expect(run.layers.map((l) => l.depth)).toEqual(s.layers.map((l) => l.layer / (n - 1)));
      for (const [i, l] of s.layers.entries()) {
        expect(run.layers[i]!.pooled_beta).toEqual([l.pooled.params[1], l.pooled.params[2]]);
        expect(run.layers[i]!.pooled_pvalues).toEqual([l.pooled.pvalues[1], l.pooled.pvalues[2]]);
        expect(run.layers[i]!.share_significant).toEqual([l.coefficients[1]!.share_significant, l.coefficients[2]!.share_significant]);
      }
    }
  });

  it('the per-model summary counts every document × layer fit of the folder', () => {
    for (const [k, s] of summaries.entries()) {
      const sum = doc.summary[k]!;
      expect(sum.n_fits).toBe(6 * s.layers.length);
      for (const lag of [1, 2]) {
        const significant = s.layers.reduce((a, l) => a + l.coefficients[lag]!.n_significant, 0);
        expect(sum.share_significant[lag - 1]).toBe(significant / sum.n_fits);
        expect(sum.mean_beta[lag - 1]).toBeCloseTo(s.layers.reduce((a, l) => a + l.coefficients[lag]!.mean, 0) / s.layers.length, 12);
      }
    }
  });

  it('draws the two figures a corpus comparison has', () => {
    expect(fs.readdirSync(path.join(out, 'figures')).sort()).toEqual(['comparison.compare-beta-depth.svg', 'comparison.compare-share-significant.svg']);
  });

  it.each([
    ['lags', ['--lags', '1', '--start', '3']],
    ['start', ['--start', '4']],
    ['component', ['--component', 'mlp']],
    ['cov', ['--cov', 'HC3']],
  ])('a folder fitted with another %s is refused with exit 2, naming the field', (field, settings) => {
    const other = path.join(out, `other-${field}`);
    batch(COMPARE_MODELS[1]!.dir(), other, settings);
    const r = normscope(['compare', '--runs', folders[0]!, other]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`different settings: ${field} is `));
    fs.rmSync(other, { recursive: true, force: true });
  });
});
