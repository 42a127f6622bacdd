// Corpus statistics over the licenses batch, against values computed here from the stored files by hand: quantiles,
// share significant, the inverse-variance-weighted mean with Cochran's Q and I², the pooled OLS on a hand-built stack,
// pooled slopes in closed form, and the fixed-effects fit against explicit document dummies.
import fs from 'node:fs';
import path from 'node:path';
import jStat from 'jstat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../../shared/result.js';
import {
  CorpusStore,
  inverseVarianceMean,
  layersCsv,
  pooledFixedEffects,
  pooledOls,
  startCorpusRun,
  summarizeStore,
  LAYER_COLUMNS,
  type CorpusSummary,
  type FixedEffectsFit,
} from '../../../electron/core/corpus/index.js';
import { fitOls } from '../../../electron/core/stats/index.js';
import { sharedDir, tempDir, tinyAModel } from '../../analysis/fixtures.js';
import { float64s, results, tapsRecords, type PlainResult } from '../helpers.js';

const settings: Settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' };
const Z975 = 1.959963984540054; // the standard normal's 0.975 quantile
let root: string;
let summary: CorpusSummary;
let docs: PlainResult[];
let series: Float64Array[][]; // per document, per layer (attn)

beforeAll(async () => {
  root = tempDir('corpus-stats');
  const out = path.join(root, 'out');
  const run = startCorpusRun({
    paths: [path.join(sharedDir, 'corpus/licenses')],
    outDir: out,
    model: { dir: tinyAModel(), name: 'tiny-a', source: 'folder', revision: null },
    settings,
  });
  const outcome = await run.done;
  if (outcome.state !== 'done') throw new Error(JSON.stringify(outcome.status.error));
  const store = await CorpusStore.open(out, { readOnly: true });
  const model = { model_sha256: outcome.status.model!.model_sha256, tokenizer_sha256: outcome.status.model!.tokenizer_sha256 };
  ({ summary } = await summarizeStore(store, model, settings));
  docs = results(out);
  const taps = new Map(tapsRecords(out).map((t) => [t.sha256, t]));
  series = docs.map((d) => taps.get(d.sha256!)!.log_norms.attn.map(float64s));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** numpy's default (linear) quantile of sorted values. */
function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]!);
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/** y[t] on [1, y[t-1] … y[t-p]] for t = start … T-1, every document stacked, written out plainly. */
function handStack(all: Float64Array[], lags: number, start: number): { y: number[]; X: number[][]; doc: number[] } {
  const y: number[] = [];
  const X: number[][] = [];
  const doc: number[] = [];
  all.forEach((s, d) => {
    for (let t = start; t < s.length; t++) {
      y.push(s[t]!);
      const row = [1];
      for (let k = 1; k <= lags; k++) row.push(s[t - k]!);
      X.push(row);
      doc.push(d);
    }
  });
  return { y, X, doc };
}

describe('per-coefficient statistics across the 77 distinct documents', () => {
  it('counts every document once', () => {
    expect(docs).toHaveLength(77);
    expect(summary.documents).toEqual({ total: 77, ok: 77, failed: 0 });
    expect(summary.layers.map((l) => l.tap)).toEqual(['h.0.attn', 'h.1.attn', 'h.2.attn']);
  });

  it('β quantiles, mean, sd and the share with p < .05 match a hand computation (1e-12 relative)', () => {
    for (const layer of [0, 1, 2]) {
      for (const k of [0, 1, 2]) {
        const c = summary.layers[layer]!.coefficients[k]!;
        const betas = docs.map((d) => d.layers![layer]!.fit.params[k]!);
        const sorted = [...betas].sort((a, b) => a - b);
        const m = betas.reduce((a, b) => a + b, 0) / betas.length;
        const sd = Math.sqrt(betas.reduce((a, b) => a + (b - m) ** 2, 0) / (betas.length - 1));
        expect(c.betas).toEqual(betas);
        expect(rel(c.mean, m)).toBeLessThan(1e-12);
        expect(rel(c.sd, sd)).toBeLessThan(1e-12);
        for (const [name, p] of [['min', 0], ['q05', 0.05], ['q25', 0.25], ['median', 0.5], ['q75', 0.75], ['q95', 0.95], ['max', 1]] as const) {
          expect(rel(c.quantiles[name], quantile(sorted, p))).toBeLessThan(1e-12);
        }
        const sig = docs.filter((d) => d.layers![layer]!.fit.pvalues[k]! < 0.05).length;
        expect(c.n_significant).toBe(sig);
        expect(c.share_significant).toBe(sig / 77);
      }
    }
  });

  it('the inverse-variance-weighted mean, its CI, Cochran’s Q and I² match a hand computation (1e-12 relative)', () => {
    for (const layer of [0, 1, 2]) {
      for (const k of [0, 1, 2]) {
        const w = summary.layers[layer]!.coefficients[k]!.weighted!;
        let sw = 0;
        let swb = 0;
        for (const d of docs) {
          const b = d.layers![layer]!.fit.params[k]!;
          const s = d.layers![layer]!.fit.bse[k]!;
          sw += 1 / (s * s);
          swb += b / (s * s);
        }
        const mean = swb / sw;
        const se = Math.sqrt(1 / sw);
        let q = 0;
        for (const d of docs) q += (d.layers![layer]!.fit.params[k]! - mean) ** 2 / d.layers![layer]!.fit.bse[k]! ** 2;
        expect(w.k).toBe(77);
        expect(rel(w.mean, mean)).toBeLessThan(1e-12);
        expect(rel(w.se, se)).toBeLessThan(1e-12);
        expect(rel(w.conf_int[0], mean - Z975 * se)).toBeLessThan(1e-12);
        expect(rel(w.conf_int[1], mean + Z975 * se)).toBeLessThan(1e-12);
        expect(rel(w.q, q)).toBeLessThan(1e-10);
        expect(w.q_df).toBe(76);
        expect(rel(w.i2, Math.max(0, (q - 76) / q))).toBeLessThan(1e-10);
        expect(Math.abs(w.q_pvalue - (1 - jStat.chisquare.cdf(q, 76)))).toBeLessThan(1e-9);
      }
    }
  });

  it('one document: the weighted mean is its β and I² is 0 (df = 0), even where Σwβ/Σw rounds a bit away from β', () => {
    // pairs found by search where w·β/w ≠ β in float64, so Q comes out a tiny positive number with df = 0
    const cases: [number, number][] = [];
    for (let i = 1; cases.length < 20 && i < 100_000; i++) {
      const b = Math.sin(i) * 0.9, s = 0.01 + (i % 97) / 200;
      const w = 1 / (s * s);
      if ((w * b) / w !== b) cases.push([b, s]);
    }
    expect(cases).toHaveLength(20);
    for (const [b, s] of cases) {
      const w = inverseVarianceMean([b], [s])!;
      expect(w.k).toBe(1);
      expect(w.q_df).toBe(0);
      expect(Math.abs(w.mean - b)).toBeLessThanOrEqual(Math.abs(b) * 2 ** -52);
      expect(w.i2).toBe(0);
      expect(w.q_pvalue).toBeNaN();
    }
  });

  it('exports one CSV row per layer × coefficient with the same numbers', () => {
    const lines = layersCsv(summary.layers).trim().split('\r\n');
    expect(lines[0]).toBe(LAYER_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 3 * 3);
    const row = Object.fromEntries(lines[1 + 3 * 1 + 1]!.split(',').map((v, i) => [LAYER_COLUMNS[i], v]));
    const c = summary.layers[1]!.coefficients[1]!;
    expect(row).toMatchObject({ layer: '1', tap: 'h.1.attn', term: 'lag1', n: '77' });
    expect(Number(row.ivw_mean)).toBe(c.weighted!.mean);
    expect(Number(row.median)).toBe(c.quantiles.median);
  });
});

describe('pooled fits', () => {
  it('the pooled OLS equals fitOls on a hand-built stack of every document’s lag design (1e-12 relative)', () => {
    for (const layer of [0, 2]) {
      const pooled = summary.layers[layer]!.pooled!;
      if ('error' in pooled) throw new Error(pooled.error.message);
      const { y, X } = handStack(series.map((s) => s[layer]!), 2, 3);
      const hand = fitOls(y, X).toJSON();
      expect(pooled.nobs).toBe(y.length);
      expect(pooled.nobs).toBe(58_126 - 863 - 77 * 3); // every token but the duplicate document's and each document's first 3
      for (const key of ['params', 'bse', 'tvalues'] as const) hand[key].forEach((v, i) => expect(Math.abs(pooled[key][i]! - v)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(v), 1e-300)));
      // a tail probability's relative error is t² times t's (p ~ 1e-97 here): compare ln p, which for large t is
      // about −t²/2, so t to 1e-12 means ln p to 2e-12
      const lnP = (p: number) => Math.log(Math.max(p, Number.MIN_VALUE)); // a p under the smallest double reads as 0
      hand.pvalues.forEach((v, i) => expect(rel(lnP(pooled.pvalues[i]!), lnP(v))).toBeLessThan(2e-12));
      for (const key of ['rsquared', 'ssr', 'fvalue', 'llf', 'durbin_watson'] as const) expect(rel(pooled[key], hand[key])).toBeLessThan(1e-12);
    }
  });

  it('a lag-1 pooled slope equals Sxy/Sxx, and the fixed-effects slope the within-document Sxy/Sxx (1e-10 relative)', () => {
    const lag1: Settings = { ...settings, lags: 1, start: 1 };
    const layer1 = series.map((s) => s[1]!);
    let sx = 0, sy = 0, n = 0;
    for (const s of layer1) for (let t = 1; t < s.length; t++) (sx += s[t - 1]!), (sy += s[t]!), n++;
    const mx = sx / n;
    const my = sy / n;
    let sxy = 0, sxx = 0, wxy = 0, wxx = 0;
    for (const s of layer1) {
      let dx = 0, dy = 0;
      const m = s.length - 1;
      for (let t = 1; t < s.length; t++) (dx += s[t - 1]! / m), (dy += s[t]! / m);
      for (let t = 1; t < s.length; t++) {
        sxy += (s[t - 1]! - mx) * (s[t]! - my);
        sxx += (s[t - 1]! - mx) ** 2;
        wxy += (s[t - 1]! - dx) * (s[t]! - dy);
        wxx += (s[t - 1]! - dx) ** 2;
      }
    }
    const pooled = pooledOls(layer1, lag1);
    expect(rel(pooled.params[1]!, sxy / sxx)).toBeLessThan(1e-10);
    expect(rel(pooled.params[0]!, my - (sxy / sxx) * mx)).toBeLessThan(1e-10);
    expect(rel(pooledFixedEffects(layer1, lag1).params[0]!, wxy / wxx)).toBeLessThan(1e-10);
  });

  describe('fixed effects by the within transformation equal OLS with one dummy per document (8 documents)', () => {
    const pick = () => series.filter((_, i) => i % 10 === 0).map((s) => s[2]!);
    function dummies(all: Float64Array[]) {
      const { y, X, doc } = handStack(all, 2, 3);
      const D = all.length;
      return { y, X: X.map((row, i) => [...Array.from({ length: D }, (_, d) => (doc[i] === d ? 1 : 0)), row[1]!, row[2]!]), D };
    }
    for (const cov of ['nonrobust', 'HC0', 'HC1', 'HAC'] as const) {
      it(`${cov}: slopes, bse, p-values, CI (1e-9 relative) and the within R²`, () => {
        const all = pick();
        const s: Settings = { ...settings, cov, ...(cov === 'HAC' ? { maxlags: 3 } : {}) };
        const fe = pooledFixedEffects(all, s) as FixedEffectsFit;
        const { y, X, D } = dummies(all);
        const full = fitOls(y, X, { cov, ...(cov === 'HAC' ? { maxlags: 3 } : {}) }).toJSON();
        expect(fe.n_documents).toBe(8);
        expect(fe.nobs).toBe(y.length);
        expect(fe.df_resid).toBe(full.df_resid);
        for (let k = 0; k < 2; k++) {
          expect(rel(fe.params[k]!, full.params[D + k]!)).toBeLessThan(1e-9);
          expect(rel(fe.bse[k]!, full.bse[D + k]!)).toBeLessThan(1e-9);
          expect(Math.abs(fe.pvalues[k]! - full.pvalues[D + k]!)).toBeLessThan(1e-12);
          expect(rel(fe.conf_int[k]![0], full.conf_int[D + k]![0])).toBeLessThan(1e-9);
        }
        expect(rel(fe.ssr, full.ssr)).toBeLessThan(1e-9);
        // within R²: the dummies' fit explains the document means too, so compare with the demeaned outcome's share
        const { doc } = handStack(all, 2, 3);
        const means = Array.from({ length: D }, (_, d) => {
          const ys = y.filter((_, i) => doc[i] === d);
          return ys.reduce((a, b) => a + b, 0) / ys.length;
        });
        const within = y.reduce((a, v, i) => a + (v - means[doc[i]!]!) ** 2, 0);
        expect(rel(fe.rsquared_within, 1 - full.ssr / within)).toBeLessThan(1e-9);
      });
    }
    it('HC2/HC3 are refused with a reason (they need the dummy design’s leverage)', () => {
      expect(() => pooledFixedEffects(pick(), { ...settings, cov: 'HC3' })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
      const layer = summary.layers[0]!;
      expect(layer.fixed_effects).not.toHaveProperty('error');
    });
  });
});
