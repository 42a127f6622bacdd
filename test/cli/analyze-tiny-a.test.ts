// The real CLI on the tiny-a fixture's two texts, written as files, against Hugging Face + statsmodels (expected.json).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisDocument, DocumentOk, FitJSON } from '../../shared/result.js';
import { SITES, tapName } from '../../shared/taps.js';
import { normscope, tempDir, tinyAExpected, tinyAModel, worstAbsolute, worstRelative } from '../analysis/fixtures.js';

const expected = tinyAExpected();
const names = Object.keys(expected.documents); // hungarian-rock, lighthouse
let model: string;
let dir: string;
const files: string[] = [];

beforeAll(() => {
  model = tinyAModel();
  dir = tempDir('tiny-a');
  for (const name of names) {
    files.push(path.join(dir, `${name}.txt`));
    fs.writeFileSync(files.at(-1)!, expected.documents[name]!.text);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function analyze(extra: string[]): { doc: AnalysisDocument; stderr: string; status: number | null } {
  const r = normscope(['analyze', '--model', model, ...extra, ...files]);
  expect(r.stderr).not.toMatch(/Error:|at .*\.js:\d+/); // no stack traces
  return { doc: JSON.parse(r.stdout) as AnalysisDocument, stderr: r.stderr, status: r.status };
}

// tolerances of the issue: log norms 1e-4 absolute, params 1e-3 relative, p-values 1e-4 absolute
describe.each(SITES)('normscope analyze --component %s (tiny-a)', (component) => {
  let run: ReturnType<typeof analyze>;
  beforeAll(() => {
    run = analyze(['--component', component]);
  });

  it('exits 0 with the contract header', () => {
    expect(run.status).toBe(0);
    expect(run.doc.schema).toBe('normscope.analysis/1');
    expect(run.doc.settings).toEqual({ component, lags: 2, start: 3, cov: 'nonrobust' });
    expect(run.doc.model).toMatchObject({ n_layer: 3, n_head: 4, n_embd: 32, n_positions: 256, execution_provider: 'cpu' });
    expect(run.doc.provenance).toMatchObject({ normscope: expect.any(String), model_sha256: expect.stringMatching(/^[0-9a-f]{64}$/), execution_provider: 'cpu' });
  });

  it.each(names)('%s: tokens, log norms and fits of every layer match expected.json', (name) => {
    const exp = expected.documents[name]!;
    const res = run.doc.documents.find((d) => d.path.endsWith(`${name}.txt`)) as DocumentOk;
    expect(res.status).toBe('ok');
    expect(res.tokens.map((t) => t.id)).toEqual(exp.ids);
    expect(res.layers.map((l) => l.tap)).toEqual([0, 1, 2].map((l) => tapName(l, component)));
    for (const layer of res.layers) {
      const ref = exp.taps[layer.tap]!;
      const fit = layer.fit;
      const want = ref.ar2 as unknown as FitJSON;
      expect(worstAbsolute(layer.log_norms, ref.log_norms), `${layer.tap} log norms`).toBeLessThanOrEqual(1e-4);
      expect(worstRelative(fit.params, want.params).rel, `${layer.tap} params`).toBeLessThanOrEqual(1e-3);
      expect(worstAbsolute(fit.pvalues, want.pvalues), `${layer.tap} p-values`).toBeLessThanOrEqual(1e-4);
      expect(fit.nobs).toBe(want.nobs);
      expect(fit.df_resid).toBe(want.df_resid);
      expect(worstRelative(fit.bse, want.bse).rel, `${layer.tap} bse`).toBeLessThanOrEqual(1e-3);
      expect(worstRelative([fit.rsquared, fit.fvalue, fit.llf, fit.durbin_watson], [want.rsquared, want.fvalue, want.llf, want.durbin_watson]).rel).toBeLessThanOrEqual(1e-3);
    }
  });
});

describe('normscope analyze --cov HAC --maxlags 2 --csv FILE', () => {
  let run: ReturnType<typeof analyze>;
  let csv: string[][];
  beforeAll(() => {
    const csvFile = path.join(dir, 'fits.csv');
    run = analyze(['--cov', 'HAC', '--maxlags', '2', '--csv', csvFile]);
    csv = fs.readFileSync(csvFile, 'utf8').trimEnd().split('\r\n').map((l) => l.split(','));
  });

  it('robust standard errors equal statsmodels HAC(2) within 1e-3 relative', () => {
    expect(run.status).toBe(0);
    expect(run.doc.settings).toEqual({ component: 'attn', lags: 2, start: 3, cov: 'HAC', maxlags: 2 });
    for (const res of run.doc.documents as DocumentOk[]) {
      const exp = expected.documents[path.basename(res.path, '.txt')]!;
      for (const layer of res.layers) {
        const want = exp.taps[layer.tap]!.ar2 as { bse_HAC2: number[] };
        expect(worstRelative(layer.fit.bse, want.bse_HAC2).rel, layer.tap).toBeLessThanOrEqual(1e-3);
      }
    }
  });

  it('CSV: a header and 2 documents × 3 layers × 3 terms, with the JSON fit values', () => {
    expect(csv[0]).toEqual(['path', 'layer', 'tap', 'term', 'estimate', 'bse', 't', 'p', 'ci_low', 'ci_high', 'rsquared', 'nobs']);
    expect(csv).toHaveLength(1 + 18);
    const row = csv.find((r) => r[0]!.endsWith('lighthouse.txt') && r[2] === 'h.0.attn' && r[3] === 'lag1')!;
    const ref = expected.documents['lighthouse']!.taps['h.0.attn']!.ar2 as unknown as FitJSON & { bse_HAC2: number[] };
    expect(Number(row[1])).toBe(0);
    expect(Math.abs(Number(row[4]) / ref.params[1]! - 1)).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(Number(row[5]) / ref.bse_HAC2[1]! - 1)).toBeLessThanOrEqual(1e-3);
    expect(Number(row[11])).toBe(ref.nobs);
    expect(Math.abs(Number(row[10]) - ref.rsquared)).toBeLessThanOrEqual(1e-4);
    expect(csv.filter((r) => r[3] === 'const')).toHaveLength(6);
  });
});
