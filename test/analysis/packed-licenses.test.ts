// Batched forward passes equal single ones on GPT-2 small's shapes: every document of the licenses corpus, run in
// right-padded batches of up to four rows, gives every tap's log norm within 1e-6 of its own pass (the bound).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTaps, planBatches, tapNorms, tapNormsMany } from '../../electron/core/analysis/index.js';
import { loadModel } from '../../electron/core/model/index.js';
import type { Gpt2Model } from '../../electron/core/model/types.js';
import { generatedModel, sharedDir } from './fixtures.js';

// a budget of four full-context rows and rows down to half the longest: most documents share a batch, with padding
const LIMITS = { maxPositions: 4096, minFill: 0.5 };
let model: Gpt2Model;
let documents: number[][];

beforeAll(async () => {
  const dir = generatedModel('gpt2-small-shape', '--layers 12 --heads 12 --embd 768 --positions 1024 --seed 1');
  model = await loadModel(dir, { provider: 'cpu' });
  const corpus = path.join(sharedDir, 'corpus/licenses');
  documents = fs.readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort().map((f) => model.tokenize(fs.readFileSync(path.join(corpus, f), 'utf8')).ids);
}, 600_000);
afterAll(async () => {
  await model?.dispose();
});

describe('packed documents on the GPT-2-small shape', () => {
  it('every licenses document batched equals its own forward pass within 1e-6 for every tap', async () => {
    const batches = planBatches(documents.map((d) => d.length), LIMITS);
    // the test means something only if documents really share batches
    expect(batches.filter((b) => b.length > 1).flat().length).toBeGreaterThan(0.9 * documents.length);
    const progress: number[] = [];
    const packed = await tapNormsMany(model, documents, { limits: LIMITS, onProgress: (p) => progress.push(p.tokensDone) });
    expect(progress.at(-1)).toBe(documents.reduce((n, d) => n + d.length, 0));
    let worst = 0;
    for (const [i, ids] of documents.entries()) {
      const got = packed[i]!;
      if (!('norms' in got)) throw new Error(`document ${i} failed: ${String(got.error)}`);
      const alone = await tapNorms(model, ids);
      for (const tap of allTaps(model.config.n_layer)) {
        const a = got.norms.get(tap)!, b = alone.get(tap)!;
        expect(a.length).toBe(ids.length);
        for (let t = 0; t < ids.length; t++) worst = Math.max(worst, Math.abs(Math.log(a[t]!) - Math.log(b[t]!)));
      }
    }
    expect(worst).toBeLessThan(1e-6);
  }, 600_000);
});
