// planBatches: every document exactly once, no batch past its position budget, padding bounded by minFill.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_LIMITS, allTaps, planBatches, tapNormsMany } from '../../electron/core/analysis/index.js';
import { NormscopeError } from '../../electron/core/errors.js';
import type { Gpt2Model } from '../../electron/core/model/types.js';

/** mulberry32, so the random cases are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('planBatches', () => {
  it('puts every index in exactly one batch, within the budget and the fill bound, for random lengths', () => {
    const rand = random(7);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(rand() * 60);
      const lengths = Array.from({ length: n }, () => 1 + Math.floor(rand() * (rand() < 0.2 ? 1500 : 300)));
      const limits = { maxPositions: 256 + Math.floor(rand() * 2048), minFill: rand() };
      const batches = planBatches(lengths, limits);
      expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
      for (const b of batches) {
        const longest = Math.max(...b.map((i) => lengths[i]!));
        if (b.length > 1) expect(b.length * longest).toBeLessThanOrEqual(limits.maxPositions);
        for (const i of b) expect(lengths[i]!).toBeGreaterThanOrEqual(limits.minFill * longest);
      }
    }
  });

  it('groups equal short lengths up to the budget and leaves a long one alone', () => {
    expect(planBatches([100, 100, 100, 100, 2000, 100], { maxPositions: 300, minFill: 0.5 })).toEqual([[4], [0, 1, 2], [3, 5]]);
    expect(planBatches([], DEFAULT_BATCH_LIMITS)).toEqual([]);
  });

  it('keeps rows of very different lengths apart (padding at most 1 − minFill of a row)', () => {
    expect(planBatches([400, 100, 390, 95], { maxPositions: 1024, minFill: 0.85 })).toEqual([[0, 2], [1, 3]]);
  });

  it('refuses limits that cannot plan', () => {
    expect(() => planBatches([1], { maxPositions: 0, minFill: 0.5 })).toThrow(RangeError);
    expect(() => planBatches([1], { maxPositions: 10, minFill: 2 })).toThrow(RangeError);
  });
});

describe('tapNormsMany with a model that fails on one document', () => {
  // a stand-in model: every tap's norm at a token is its id + 1; any pass that holds id 13 throws
  const config = { n_layer: 1, n_positions: 8 } as Gpt2Model['config'];
  const norms = (ids: ArrayLike<number>) => new Map(allTaps(1).map((t) => [t, Float32Array.from(ids, (id) => id + 1)]));
  const check = (ids: ArrayLike<number>) => {
    if (Array.from(ids).includes(13)) throw new NormscopeError('MODEL_FAILED', 'id 13');
  };
  const passes: number[][] = [];
  const model: Pick<Gpt2Model, 'config' | 'forward' | 'forwardRows'> = {
    config,
    forward: async (ids) => {
      check(ids);
      passes.push([ids.length]);
      return { norms: norms(ids), vectors: new Map() };
    },
    forwardRows: async (rows) => {
      rows.forEach(check);
      passes.push(rows.map((r) => r.length));
      return rows.map((ids) => ({ norms: norms(ids), vectors: new Map() }));
    },
  };

  it('fails only that document, gives the others their norms, and windows the long one', async () => {
    const docs = [[1, 2, 3, 4], [5, 13, 7, 8], [9, 10, 11, 12], Array.from({ length: 20 }, (_, i) => i + 20)];
    const progress: number[] = [];
    const out = await tapNormsMany(model, docs, { limits: { maxPositions: 16, minFill: 0.5 }, onProgress: (p) => progress.push(p.tokensDone) });
    expect('error' in out[1]!).toBe(true);
    expect((out[1] as { error: NormscopeError }).error.message).toBe('id 13');
    for (const i of [0, 2, 3]) {
      const got = out[i] as { norms: Map<string, Float32Array> };
      for (const tap of allTaps(1)) expect(Array.from(got.norms.get(tap)!)).toEqual(docs[i]!.map((id) => id + 1));
    }
    // the three short ones tried as one batch, which failed (no pass recorded), then each alone (the bad one throws
    // again); the long one in windows of 8 positions, stride 4
    expect(passes).toEqual([[4], [4], [8], [8], [8], [8]]);
    expect(progress.at(-1)).toBe(32);
    expect([...progress]).toEqual([...progress].sort((a, b) => a - b));
  });
});
