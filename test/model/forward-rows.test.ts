// forwardRows: several sequences as one right-padded [B, T] pass give each row what forward() gives it alone, on every
// graph variant (padding sits after a row's tokens, where the causal mask keeps it out of them).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, type Gpt2Model } from '../../electron/core/model/index.js';
import { SITES, tapName, tapsOf } from '../../shared/taps.js';
import { generatedModel, maxAbsDiff, SHARED } from './helpers.js';

const allTaps = (n: number) => SITES.flatMap((s) => tapsOf(n, s));
const logs = (v: Float32Array) => Float64Array.from(v, Math.log);
const models: Gpt2Model[] = [];
afterAll(async () => {
  await Promise.all(models.map((m) => m.dispose()));
});

describe.each(['gqa', 'fused', 'standard'] as const)('the %s graph', (variant) => {
  let model: Gpt2Model;
  let rows: number[][];
  beforeAll(async () => {
    model = await loadModel(generatedModel('--layers 2 --heads 8 --embd 64 --positions 64 --seed 7'), { provider: 'cpu', variants: { cpu: variant }, logits: true });
    models.push(model);
    const text = fs.readFileSync(path.join(SHARED, 'corpus/licenses', fs.readdirSync(path.join(SHARED, 'corpus/licenses')).sort()[0]!), 'utf8');
    const ids = model.tokenize(text).ids;
    // lengths 64 (the model's whole context), 1, 2, 37, 63 and 50: the longest row sets T, the others are padded
    rows = [64, 1, 2, 37, 63, 50].map((n, k) => ids.slice(k * 7, k * 7 + n));
  });

  it('every row\'s tap norms within 1e-6 in log and its vectors within 1e-6 of its own forward pass', async () => {
    const taps = allTaps(2);
    const batched = await model.forwardRows(rows, { norms: taps, vectors: taps });
    expect(batched).toHaveLength(rows.length);
    for (const [r, ids] of rows.entries()) {
      const alone = await model.forward(ids, { norms: taps, vectors: taps });
      for (const tap of taps) {
        expect(batched[r]!.norms.get(tap)!.length, `${tap} row ${r}`).toBe(ids.length);
        expect(maxAbsDiff(logs(batched[r]!.norms.get(tap)!), logs(alone.norms.get(tap)!)), `${tap} row ${r}`).toBeLessThan(1e-6);
        expect(batched[r]!.vectors.get(tap)!.length).toBe(ids.length * 64);
        expect(maxAbsDiff(batched[r]!.vectors.get(tap)!, alone.vectors.get(tap)!), `${tap} row ${r}`).toBeLessThan(1e-6);
      }
    }
  });

  it('logits row by row within 1e-6 of each row alone', async () => {
    const batched = await model.forwardRows(rows.slice(1, 4), { logits: true });
    for (const [r, ids] of rows.slice(1, 4).entries()) {
      const alone = await model.forward(ids, { logits: true });
      expect(batched[r]!.logits!.length).toBe(ids.length * 50257);
      expect(maxAbsDiff(batched[r]!.logits!, alone.logits!)).toBeLessThan(1e-6);
    }
  });

  it('checks every row as forward() checks one', async () => {
    await expect(model.forwardRows([[1, 2], []], { norms: [tapName(0, 'attn')] })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(model.forwardRows([[1, 2], new Array(65).fill(1)], { norms: [tapName(0, 'attn')] })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(model.forwardRows([[1, 50257]], { norms: [tapName(0, 'attn')] })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(await model.forwardRows([], { norms: [tapName(0, 'attn')] })).toEqual([]);
  });
});
