// loadModel on the tiny-a fixture against Hugging Face GPT-2 in PyTorch (forward hooks) and statsmodels: ../shared/fixtures/tiny-a.
import fs from 'node:fs';
import path from 'node:path';
import { Matrix, solve } from 'ml-matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, type Gpt2Model } from '../../electron/core/model/index.js';
import { SITES, tapsOf } from '../../shared/taps.js';
import { generatedModel, maxAbsDiff, SHARED, sha256 } from './helpers.js';

interface ExpectedTap { log_norms: number[]; vectors?: number[][]; ar2: { params: number[] } }
const fixture = path.join(SHARED, 'fixtures/tiny-a');
const recipe = JSON.parse(fs.readFileSync(path.join(fixture, 'recipe.json'), 'utf8')) as { args: string; made: { sha256: string } };
const expected = JSON.parse(fs.readFileSync(path.join(fixture, 'expected.json'), 'utf8')) as {
  documents: Record<string, { text: string; ids: number[]; taps: Record<string, ExpectedTap> }>;
};
const taps = SITES.flatMap((s) => tapsOf(3, s));

let dir: string;
let model: Gpt2Model;
beforeAll(async () => {
  dir = generatedModel(recipe.args);
  model = await loadModel(dir);
});
afterAll(() => model?.dispose());

describe('tiny-a (3 layers, 4 heads, 32 wide) against Hugging Face', () => {
  it('the generator reproduces the recipe\'s weights byte for byte', () => {
    expect(sha256(path.join(dir, 'model.safetensors'))).toBe(recipe.made.sha256);
  });

  it('reports the provider in use and why others were passed over', () => {
    expect(['cuda', 'dml', 'coreml', 'webgpu', 'cpu']).toContain(model.executionProvider);
    if (model.executionProvider === 'cpu' && process.platform === 'linux') expect(model.providerNotes.some((n) => n.startsWith('cuda:'))).toBe(true);
  });

  for (const [name, doc] of Object.entries(expected.documents)) {
    describe(name, () => {
      it('tokenize(text) gives the expected ids, one decoded text per id', () => {
        const t = model.tokenize(doc.text);
        expect(t.ids).toEqual(doc.ids);
        expect(t.texts).toHaveLength(doc.ids.length);
        expect(t.texts.slice(0, 3)).toEqual(name === 'hungarian-rock' ? ['Hung', 'arian', ' rock'] : ['The', ' lighthouse', ' keeper']);
      });

      it('forward(ids, {vectors}) matches the attention outputs within 1e-4', async () => {
        const attn = tapsOf(3, 'attn');
        const r = await model.forward(doc.ids, { vectors: attn });
        for (const tap of attn) {
          expect(maxAbsDiff(r.vectors.get(tap)!, doc.taps[tap]!.vectors!.flat()), tap).toBeLessThan(1e-4);
        }
      });

      it('forward(ids, {norms}) gives every tap\'s log norms within 1e-4', async () => {
        const r = await model.forward(doc.ids, { norms: taps });
        for (const tap of taps) {
          const logs = Array.from(r.norms.get(tap)!, Math.log);
          expect(maxAbsDiff(logs, doc.taps[tap]!.log_norms), tap).toBeLessThan(1e-4);
        }
      });

      it('the AR(2) fit of those log norms matches statsmodels\' params within 1e-3 relative', async () => {
        const r = await model.forward(doc.ids, { norms: taps });
        for (const tap of taps) {
          const y = Array.from(r.norms.get(tap)!, Math.log);
          // the notebook's design: y[t] on [1, y[t-1], y[t-2]] for t = 3..T-1, solved by least squares (ml-matrix QR)
          const rows = y.slice(3).map((_, k) => [1, y[k + 2]!, y[k + 1]!]);
          const params = solve(new Matrix(rows), Matrix.columnVector(y.slice(3)), true).to1DArray();
          const want = doc.taps[tap]!.ar2.params;
          for (let j = 0; j < 3; j++) expect(Math.abs(params[j]! - want[j]!) / Math.abs(want[j]!), `${tap} param ${j}`).toBeLessThan(1e-3);
        }
      });
    });
  }

  it('a pruned request (attention norms only) gives the full graph\'s norms to float32 rounding', async () => {
    const ids = expected.documents['lighthouse']!.ids;
    const attn = tapsOf(3, 'attn');
    const full = await model.forward(ids, { norms: taps });
    // onnxruntime may fuse a pruned graph's last MatMul + Add differently: a few float32 ulps (2^-23 ≈ 1.2e-7 relative) apart
    const close = (a: Float32Array, b: Float32Array) => expect(maxAbsDiff(Array.from(a, Math.log), Array.from(b, Math.log))).toBeLessThan(1e-6);
    const pruned = await model.forward(ids, { norms: attn });
    expect([...pruned.norms.keys()]).toEqual(attn);
    for (const tap of attn) close(pruned.norms.get(tap)!, full.norms.get(tap)!);
    const one = await model.forward(ids, { norms: ['h.0.attn', 'h.0.attn'] });
    expect([...one.norms.keys()]).toEqual(['h.0.attn']);
    close(one.norms.get('h.0.attn')!, full.norms.get('h.0.attn')!);
  });

  it('rejects ids and tap names it cannot run, with BAD_INPUT', async () => {
    await expect(model.forward([], { norms: ['h.0.attn'] })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(model.forward(new Array(257).fill(1), { norms: ['h.0.attn'] })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(model.forward([50257], { norms: ['h.0.attn'] })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(model.forward([1.5], { norms: ['h.0.attn'] })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(model.forward([1, 2], { norms: ['h.3.attn', 'h.0.ln_1'] })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('h.3.attn, h.0.ln_1') });
  });

  it('refuses load options it cannot honour, with BAD_INPUT', async () => {
    await expect(loadModel(dir, { sites: [] })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(loadModel(dir, { sites: ['ln_1' as never] })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('ln_1') });
    await expect(loadModel(dir, { providers: [] })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(loadModel(dir, { providers: ['tpu' as never] })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('tpu') });
    await expect(loadModel(dir, { threads: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('hashes() gives the sha256 of the weights and of tokenizer.json', async () => {
    const h = await model.hashes();
    expect(h.model).toBe(recipe.made.sha256);
    expect(h.tokenizer).toBe(sha256(path.join(dir, 'tokenizer.json')));
  });
});
