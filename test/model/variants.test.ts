// Other checkpoints and shapes: float16 / bfloat16 weights, prefixed keys with an LM head and legacy buffers, another depth
// and head count against an independent float64 forward, the standard-operator graph, and provider fallback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, type Gpt2Model } from '../../electron/core/model/index.js';
import { buildGraph } from '../../electron/core/model/graph.js';
import { readConfig } from '../../electron/core/model/config.js';
import { readSafetensorsHeader } from '../../electron/core/model/safetensors.js';
import { createSession } from '../../electron/core/model/session.js';
import { placeWeights, resolveWeights } from '../../electron/core/model/weights.js';
import { normName, SITES, tapsOf } from '../../shared/taps.js';
import {
  copyFolder, folderWeights, generatedModel, l2, maxAbsDiff, readRawSafetensors, referenceForward, writeRawSafetensors, SHARED,
} from './helpers.js';

const TEXT = 'The lighthouse keeper climbed the stairs, counting each of the 144 steps — as he had every night since 1962.';
const logs = (v: Float32Array) => Array.from(v, Math.log);
const allTaps = (n: number) => SITES.flatMap((s) => tapsOf(n, s));

const models: Gpt2Model[] = [];
async function load(dir: string, options = {}): Promise<Gpt2Model> {
  const m = await loadModel(dir, options);
  models.push(m);
  return m;
}
afterAll(async () => {
  await Promise.all(models.map((m) => m.dispose()));
});

describe('2 layers, 8 heads, 64 wide against a float64 reference forward', () => {
  let dir: string;
  let model: Gpt2Model;
  let ids: number[];
  let ref: ReturnType<typeof referenceForward>;
  beforeAll(async () => {
    dir = generatedModel('--layers 2 --heads 8 --embd 64 --positions 64 --seed 7');
    model = await load(dir, { logits: true });
    ids = model.tokenize(TEXT).ids;
    ref = referenceForward({ n_layer: 2, n_head: 8, n_embd: 64, layer_norm_epsilon: 1e-5 }, folderWeights(dir), ids);
  });

  it('every tap\'s log norms within 1e-4 and the vectors within 1e-4', async () => {
    const r = await model.forward(ids, { norms: allTaps(2), vectors: allTaps(2) });
    for (const tap of allTaps(2)) {
      expect(maxAbsDiff(logs(r.norms.get(tap)!), ref.taps.get(tap)!.map((v) => Math.log(l2(v)))), tap).toBeLessThan(1e-4);
      expect(maxAbsDiff(r.vectors.get(tap)!, ref.taps.get(tap)!.flatMap((v) => Array.from(v))), tap).toBeLessThan(1e-4);
    }
  });

  it('logits when asked, within 1e-4', async () => {
    const r = await model.forward(ids, { logits: true });
    expect(r.logits).toHaveLength(ids.length * 50257);
    expect(maxAbsDiff(r.logits!, ref.logits.flatMap((v) => Array.from(v)))).toBeLessThan(1e-4);
  });

  // loadModel runs the 'gqa' graph on the CPU; the other two are what the GPU providers get
  it.each(['standard', 'fused'] as const)('the %s graph (standard: providers without contrib operators; fused: CUDA) computes the same taps', async (ops) => {
    const config = await readConfig(dir);
    const file = await readSafetensorsHeader(path.join(dir, 'model.safetensors'));
    const weights = await placeWeights(file, resolveWeights(file, config));
    const norms = allTaps(2);
    const graph = buildGraph({ config, weights: weights.refs, norms, vectors: ['h.1.attn'], logits: false, ops });
    const session = await createSession('cpu', { graph, weightsFolder: weights.folder });
    try {
      const out = await session.run(ids, [...norms.map(normName), 'h.1.attn']);
      for (const tap of norms) {
        expect(maxAbsDiff(logs(out.get(normName(tap))!), ref.taps.get(tap)!.map((v) => Math.log(l2(v)))), tap).toBeLessThan(1e-4);
      }
      expect(maxAbsDiff(out.get('h.1.attn')!, ref.taps.get('h.1.attn')!.flatMap((v) => Array.from(v)))).toBeLessThan(1e-4);
    } finally {
      await session.release();
    }
  });

  it('a full-length input (n_positions ids) runs', async () => {
    const long = Array.from({ length: 64 }, (_, i) => (i * 7919) % 50257);
    const r = await model.forward(long, { norms: ['h.1'] });
    expect(r.norms.get('h.1')).toHaveLength(64);
  });
});

describe('checkpoint variants of tiny-a give the plain checkpoint\'s results', () => {
  const plainArgs = '--layers 3 --heads 4 --embd 32 --positions 256 --seed 1';
  let plain: Gpt2Model;
  let ids: number[];
  let base: Map<string, Float32Array>;
  beforeAll(async () => {
    plain = await load(generatedModel(plainArgs));
    ids = plain.tokenize(TEXT).ids;
    base = (await plain.forward(ids, { norms: allTaps(3) })).norms;
  });

  it('--prefix --lm-head --mask-buffers: identical norms', async () => {
    const m = await load(generatedModel(`${plainArgs} --prefix --lm-head --mask-buffers`));
    const r = await m.forward(ids, { norms: allTaps(3) });
    for (const tap of allTaps(3)) expect(Array.from(r.norms.get(tap)!), tap).toEqual(Array.from(base.get(tap)!));
  });

  it('--dtype f16: computed in float32, matching the float64 reference of the f16 weights within 1e-4 and the f32 model within 5e-3', async () => {
    const dir = generatedModel(`${plainArgs} --dtype f16`);
    const m = await load(dir);
    const r = await m.forward(ids, { norms: allTaps(3) });
    const ref = referenceForward({ n_layer: 3, n_head: 4, n_embd: 32, layer_norm_epsilon: 1e-5 }, folderWeights(dir), ids);
    let worst = 0;
    for (const tap of allTaps(3)) {
      expect(maxAbsDiff(logs(r.norms.get(tap)!), ref.taps.get(tap)!.map((v) => Math.log(l2(v)))), tap).toBeLessThan(1e-4);
      worst = Math.max(worst, maxAbsDiff(logs(r.norms.get(tap)!), logs(base.get(tap)!)));
    }
    // f16 keeps 11 significant bits: each weight moves by up to 2^-11 ≈ 4.9e-4 relative; over three blocks of dot products,
    // LayerNorms and the residual sum these add up to a few such units in a log norm, so 10·2^-11 bounds the drift from f32
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(5e-3);
  });

  it('BF16 weights: matching the float64 reference of the bf16 weights within 1e-4', async () => {
    const dir = copyFolder(generatedModel(plainArgs), ['config.json', 'tokenizer.json', 'tokenizer_config.json']);
    const raw = readRawSafetensors(path.join(generatedModel(plainArgs), 'model.safetensors'));
    for (const t of raw.values()) {
      // bfloat16 is the top half of float32 (truncation is one valid rounding; the reference reads the same bits)
      const f = new Uint16Array(t.bytes.buffer.slice(t.bytes.byteOffset, t.bytes.byteOffset + t.bytes.byteLength));
      t.bytes = new Uint8Array(Uint16Array.from({ length: f.length / 2 }, (_, i) => f[2 * i + 1]!).buffer);
      t.dtype = 'BF16';
    }
    writeRawSafetensors(path.join(dir, 'model.safetensors'), raw);
    const m = await load(dir);
    const r = await m.forward(ids, { norms: allTaps(3) });
    const ref = referenceForward({ n_layer: 3, n_head: 4, n_embd: 32, layer_norm_epsilon: 1e-5 }, folderWeights(dir), ids);
    for (const tap of allTaps(3)) {
      expect(maxAbsDiff(logs(r.norms.get(tap)!), ref.taps.get(tap)!.map((v) => Math.log(l2(v)))), tap).toBeLessThan(1e-4);
    }
    fs.rmSync(dir, { recursive: true });
  });

  it('a Hugging Face cache snapshot, whose files are relative links into blobs/, loads and gives identical norms', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-hub-'));
    const snapshot = path.join(cache, 'snapshots', 'abc123');
    fs.mkdirSync(path.join(cache, 'blobs'), { recursive: true });
    fs.mkdirSync(snapshot, { recursive: true });
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) {
      fs.copyFileSync(path.join(generatedModel(plainArgs), f), path.join(cache, 'blobs', `blob-${f.length}`));
      fs.symlinkSync(`../../blobs/blob-${f.length}`, path.join(snapshot, f));
    }
    const m = await load(snapshot);
    const r = await m.forward(ids, { norms: allTaps(3) });
    expect(Array.from(r.norms.get('h.1.attn')!)).toEqual(Array.from(base.get('h.1.attn')!));
    fs.rmSync(cache, { recursive: true });
  });

  it('a vocab.json + merges.txt tokenizer folder loads and tokenizes like tokenizer.json', async () => {
    const dir = copyFolder(generatedModel(plainArgs), ['config.json', 'model.safetensors']);
    const tj = JSON.parse(fs.readFileSync(path.join(SHARED, 'fixtures/gpt2-tokenizer/tokenizer.json'), 'utf8')) as { model: { vocab: object; merges: string[] } };
    fs.writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(tj.model.vocab));
    fs.writeFileSync(path.join(dir, 'merges.txt'), ['#version: 0.2', ...tj.model.merges, ''].join('\n'));
    const m = await load(dir);
    const text = `${TEXT} Illés, Metró <|endoftext|> ünïcödé 日本語`;
    expect(m.tokenize(text)).toEqual(plain.tokenize(text));
    const r = await m.forward(ids, { norms: allTaps(3) });
    expect(Array.from(r.norms.get('h.2')!)).toEqual(Array.from(base.get('h.2')!));
    fs.rmSync(dir, { recursive: true });
  });
});

describe('execution providers', () => {
  const dir = () => generatedModel('--layers 3 --heads 4 --embd 32 --positions 256 --seed 1');

  // CoreML exists on macOS only: elsewhere it is the provider that must be passed over
  it.skipIf(process.platform === 'darwin')('falls back to the cpu and says why each preferred provider was not used', async () => {
    const m = await load(dir(), { providers: ['coreml', 'cpu'], sites: ['attn'] });
    expect(m.executionProvider).toBe('cpu');
    expect(m.providerNotes).toEqual([expect.stringMatching(/^coreml: /)]);
  });

  it.skipIf(process.platform === 'darwin')('PROVIDER_FAILED with every reason when no listed provider starts', async () => {
    await expect(loadModel(dir(), { providers: ['coreml', 'dml'] })).rejects.toMatchObject({
      code: 'PROVIDER_FAILED', message: expect.stringMatching(/coreml: .*; dml: /),
    });
  });
});
