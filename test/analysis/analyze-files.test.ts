// analyzeFiles: several files through one batched pass give each file analyzeFile's result; a missing file fails
// alone; a cancel makes every document CANCELLED.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../shared/result.js';
import { analyzeFile, analyzeFiles } from '../../electron/core/analysis/index.js';
import { loadModel } from '../../electron/core/model/index.js';
import type { Gpt2Model } from '../../electron/core/model/types.js';
import { sharedDir, tinyAModel } from './fixtures.js';

const settings: Settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' };
const corpus = path.join(sharedDir, 'corpus/licenses');
let model: Gpt2Model;
let files: string[];
beforeAll(async () => {
  model = await loadModel(tinyAModel());
  // the five shortest licenses, so that they share batches
  files = fs.readdirSync(corpus).filter((f) => f.endsWith('.txt')).map((f) => path.join(corpus, f))
    .sort((a, b) => fs.statSync(a).size - fs.statSync(b).size).slice(0, 5);
});
afterAll(async () => {
  await model?.dispose();
});

describe('analyzeFiles', () => {
  it('gives every file what analyzeFile gives it, and fails a missing one alone', async () => {
    const paths = [...files.slice(0, 2), path.join(corpus, 'no-such-file.txt'), ...files.slice(2)];
    const many = await analyzeFiles(model, paths, settings);
    expect(many.map((m) => m.result.status)).toEqual(['ok', 'ok', 'error', 'ok', 'ok', 'ok']);
    expect(many[2]!.result).toMatchObject({ status: 'error', error: { code: 'READ_FAILED' } });
    for (const [i, p] of paths.entries()) {
      if (i === 2) continue;
      const one = await analyzeFile(model, p, settings);
      if (one.result.status !== 'ok' || many[i]!.result.status !== 'ok') throw new Error(`${p} failed`);
      const a = one.result, b = many[i]!.result as typeof a;
      expect(b.tokens).toEqual(a.tokens);
      // batched passes are bit-identical here (forward-rows.test.ts); 1e-9 leaves room for summation order only
      b.layers.forEach((l, k) => l.fit.params.forEach((v, j) => expect(Math.abs(v - a.layers[k]!.fit.params[j]!)).toBeLessThan(1e-9)));
    }
  });

  it('a cancel during the pass makes every document CANCELLED', async () => {
    const controller = new AbortController();
    const out = await analyzeFiles(model, files, settings, { signal: controller.signal, limits: { maxPositions: 300, minFill: 0 }, onProgress: () => controller.abort() });
    expect(out.map((o) => o.result.status === 'error' && o.result.error.code)).toEqual(files.map(() => 'CANCELLED'));
  });
});
