// Every family against its float64 reference (test/model/families/reference.py, written from the Hugging Face module
// definitions; its outputs committed as expected.json): each tap's log norm and the last tokens' logits within 1e-4 on
// the CPU's gqa and standard graphs, and the notebook's AR(2) fitted by the analysis pipeline from those norms.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../electron/core/analysis/index.js';
import { loadModel, type Gpt2Model } from '../../electron/core/model/index.js';
import { DEFAULT_SETTINGS, type DocumentOk } from '../../shared/result.js';
import { expected, worstLogDiff } from './families/expected.js';
import { familyFolder } from './families/folders.js';
import { maxAbsDiff, sha256 } from './helpers.js';

const models: Gpt2Model[] = [];
afterAll(async () => {
  await Promise.all(models.map((m) => m.dispose()));
});

describe.each(Object.keys(expected))('%s against its float64 reference', (name) => {
  const e = expected[name]!;
  const dir = familyFolder(name);

  it('the generator writes the weights the reference read, byte for byte', () => {
    for (const [file, sha] of Object.entries(e.weights_sha256)) expect(sha256(path.join(dir, file)), file).toBe(sha);
  });

  it.each(['gqa', 'standard'] as const)('every tap\'s log norm within 1e-4 on the %s graph', async (variant) => {
    const model = await loadModel(dir, { provider: 'cpu', variants: { cpu: variant } });
    models.push(model);
    const r = await model.forward(e.ids, { norms: Object.keys(e.log_norms) });
    const worst = worstLogDiff(r.norms, e);
    expect(worst.diff, worst.at).toBeLessThan(1e-4);
  });

  it('the analysis pipeline\'s AR(2) fits match the reference\'s OLS on its own log norms', async () => {
    const model = await loadModel(dir, { provider: 'cpu' });
    models.push(model);
    const text = path.join(dir, 'doc.txt');
    fs.writeFileSync(text, e.ids.map((id) => `w${id}`).join(' '));
    const [{ result }] = await analyzeFiles(model, [text], DEFAULT_SETTINGS);
    expect(result!.status).toBe('ok');
    const doc = result as DocumentOk;
    expect(doc.tokens.map((t) => t.id)).toEqual(e.ids);
    expect(doc.layers.map((l) => l.tap)).toEqual(Object.keys(e.log_norms).filter((t) => t.endsWith('.attn')));
    // log norms agree to ~1e-6; on 21 observations the coefficients carry that at most a few hundredfold
    for (const layer of doc.layers) expect(Math.max(...layer.fit.params.map((p, k) => Math.abs(p - e.ar2_params[layer.tap]![k]!))), layer.tap).toBeLessThan(1e-3);
  });
});

describe('forwardRows on a family: packed rows give what each row alone gives', () => {
  it.each(['mistral-window-mqa', 'gemma2-softcap-window', 'neox-parallel-partial'])('%s: rows of 24 and 11 tokens in one [2, 24] pass', async (name) => {
    const e = expected[name]!;
    const model = await loadModel(familyFolder(name), { provider: 'cpu' });
    models.push(model);
    const taps = Object.keys(e.log_norms);
    const short = e.ids.slice(0, 11);
    const [a, b] = await model.forwardRows([e.ids, short], { norms: taps });
    const alone = await model.forward(short, { norms: taps });
    expect(worstLogDiff(a!.norms, e).diff).toBeLessThan(1e-4);
    for (const tap of taps) expect(relDiff(b!.norms.get(tap)!, alone.norms.get(tap)!), tap).toBeLessThan(1e-5);
  });

  it('the fused variant (CUDA, DirectML) builds standard attention for the families, equal to the reference', async () => {
    const e = expected['gemma3-qknorm-local-rope']!;
    const model = await loadModel(familyFolder('gemma3-qknorm-local-rope'), { provider: 'cpu', variants: { cpu: 'fused' } });
    models.push(model);
    expect(worstLogDiff((await model.forward(e.ids, { norms: Object.keys(e.log_norms) })).norms, e).diff).toBeLessThan(1e-4);
  });

  it('the fused variant\'s logits through an untied, soft-capped head equal the reference', async () => {
    const e = expected['gemma2-untied-softcap-f16']!;
    const model = await loadModel(familyFolder('gemma2-untied-softcap-f16'), { provider: 'cpu', variants: { cpu: 'fused' }, logits: true });
    models.push(model);
    const { logits } = await model.forward(e.ids, { logits: true });
    const want = e.logits_tail.flat(), got = logits!.subarray(logits!.length - want.length);
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
  });
});

describe.each(Object.keys(expected))('%s: logits through its LM head (tied, or untied and read for logits)', (name) => {
  it.each(['gqa', 'standard'] as const)('the last two tokens\' logits within 1e-4 of the reference on the %s graph', async (variant) => {
    const e = expected[name]!;
    const model = await loadModel(familyFolder(name), { provider: 'cpu', variants: { cpu: variant }, logits: true });
    models.push(model);
    const { logits } = await model.forward(e.ids, { logits: true });
    const V = e.logits_tail[0]!.length;
    const tail = Array.from(logits!.subarray(logits!.length - 2 * V));
    expect(Math.max(...tail.map((v, i) => Math.abs(v - e.logits_tail[Math.floor(i / V)]![i % V]!)))).toBeLessThan(1e-4);
  });
});

function relDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.abs(b[i]!));
  return m;
}

describe('provenance of a sharded checkpoint', () => {
  it('model_sha256 is the sha256 of its shards\' sha256s, one a line, in index order', async () => {
    const name = 'llama-llama3-bf16-sharded-untied-biases';
    const model = await loadModel(familyFolder(name), { provider: 'cpu' });
    models.push(model);
    const shards = Object.values(expected[name]!.weights_sha256);
    expect(shards).toHaveLength(3);
    expect((await model.hashes()).model).toBe(createHash('sha256').update(shards.join('\n')).digest('hex'));
  });
});
