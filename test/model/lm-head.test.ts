// An untied LM head is read only when logits are asked for: without them a checkpoint whose head is broken or missing
// still loads and gives its taps; with them the head is checked (typed errors) and counted in the memory need. The
// logits themselves are checked against the float64 reference in families.test.ts.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { float32Bytes } from '../../electron/core/model/arch.js';
import { readCheckpoint } from '../../electron/core/model/checkpoint.js';
import { NAMES } from '../../electron/core/model/families/index.js';
import { LM_HEAD, mapName } from '../../electron/core/model/families/names.js';
import { readConfig } from '../../electron/core/model/config.js';
import { loadModel, type Gpt2Model } from '../../electron/core/model/index.js';
import { resolveWeights } from '../../electron/core/model/weights.js';
import { rejection } from '../models/helpers.js';
import { expected, worstLogDiff } from './families/expected.js';
import { familyFolder } from './families/folders.js';
import { maxAbsDiff, readRawSafetensors, writeRawSafetensors, type RawTensor } from './helpers.js';


const models: Gpt2Model[] = [];
afterAll(async () => {
  await Promise.all(models.map((m) => m.dispose()));
});

/** A case's folder with its single model.safetensors rewritten by `edit`. */
const edited = (name: string, edit: (t: Map<string, RawTensor>) => void) => familyFolder(name, (d) => {
  const file = path.join(d, 'model.safetensors');
  const tensors = readRawSafetensors(file);
  edit(tensors);
  writeRawSafetensors(file, tensors);
});

async function worstTapDiff(model: Gpt2Model, name: string): Promise<number> {
  const e = expected[name]!;
  return worstLogDiff((await model.forward(e.ids, { norms: Object.keys(e.log_norms) })).norms, e).diff;
}

describe('an untied LM head without logits: never read', () => {
  const name = 'mistral-window-mqa';
  // one row short of [vocab, hidden]: any check of the head would refuse it
  const wrongShape = () => edited(name, (t) => {
    const head = t.get('lm_head.weight')!;
    t.set('lm_head.weight', { dtype: head.dtype, shape: [head.shape[0]! - 1, head.shape[1]!], bytes: head.bytes.subarray(0, head.bytes.length - head.shape[1]! * 4) });
  });

  it('a wrong-shape head: taps-only loads and its taps match the reference; with logits, BAD_TENSOR_SHAPE naming it', async () => {
    const dir = wrongShape();
    const model = await loadModel(dir, { provider: 'cpu' });
    models.push(model);
    expect(await worstTapDiff(model, name)).toBeLessThan(1e-4);
    const e = await rejection(loadModel(dir, { provider: 'cpu', logits: true }));
    expect(e.code).toBe('BAD_TENSOR_SHAPE');
    expect(e.message).toContain('"lm_head.weight" has shape [95, 32], expected [96, 32]');
  });

  it('its weights are not placed (no memory) unless logits are asked for, and the memory need counts it only then', async () => {
    const dir = familyFolder('llama-linear-f16-headdim16-noprefix');
    const config = await readConfig(dir);
    const { shards } = await readCheckpoint(dir);
    expect([...resolveWeights(shards, config).keys()]).not.toContain(LM_HEAD);
    expect(resolveWeights(shards, config, { logits: true }).get(LM_HEAD)).toMatchObject({ name: 'lm_head.weight', shape: [96, 32], dtype: 'F16' });
    expect(float32Bytes(config, 64, true) - float32Bytes(config, 64)).toBe(4 * 96 * 32);
    const tied = await readConfig(familyFolder('llama-gqa-f32-tied'));
    expect(float32Bytes(tied, 64, true)).toBe(float32Bytes(tied, 64));
  });

  it('a model loaded without logits refuses a logits request with BAD_INPUT (its head was never read)', async () => {
    const model = await loadModel(familyFolder(name), { provider: 'cpu' });
    models.push(model);
    const e = await rejection(model.forward(expected[name]!.ids, { logits: true }));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain('logits: true');
  });
});

describe('an untied LM head missing from the checkpoint', () => {
  it.each([
    ['llama-linear-f16-headdim16-noprefix', 'lm_head.weight'],
    ['neox-parallel-partial', 'embed_out.weight'],
  ])('%s without %s: taps-only loads; with logits, BAD_MODEL naming the tensor', async (name, key) => {
    const dir = edited(name, (t) => t.delete(key));
    const model = await loadModel(dir, { provider: 'cpu' });
    models.push(model);
    expect(await worstTapDiff(model, name)).toBeLessThan(1e-4);
    const e = await rejection(loadModel(dir, { provider: 'cpu', logits: true }));
    expect(e.code).toBe('BAD_MODEL');
    expect(e.message).toContain(`no "${key}" tensor`);
    expect(e.details).toMatchObject({ tensor: key });
  });
});

describe('the LM head under each family\'s key conventions', () => {
  it('model.lm_head.weight (a prefixed head) gives the reference logits', async () => {
    const name = 'mistral-window-mqa';
    const dir = edited(name, (t) => {
      t.set('model.lm_head.weight', t.get('lm_head.weight')!);
      t.delete('lm_head.weight');
    });
    const model = await loadModel(dir, { provider: 'cpu', logits: true });
    models.push(model);
    const { logits } = await model.forward(expected[name]!.ids, { logits: true });
    const want = expected[name]!.logits_tail.flat();
    const got = logits!.subarray(logits!.length - want.length);
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
  });

  it('maps each family\'s head key, and nothing else, to the canonical LM head', () => {
    expect(mapName(NAMES.llama, 'lm_head.weight')).toBe(LM_HEAD);
    expect(mapName(NAMES.qwen3, 'model.lm_head.weight')).toBe(LM_HEAD);
    expect(mapName(NAMES.gpt_neox, 'embed_out.weight')).toBe(LM_HEAD);
    expect(mapName(NAMES.gemma2, 'lm_head.weight')).toBe(LM_HEAD);
    // the multimodal Gemma 3's older checkpoints
    expect(mapName(NAMES.gemma3_text, 'language_model.lm_head.weight')).toBe(LM_HEAD);
    expect(mapName(NAMES.gemma3_text, 'language_model.model.layers.0.mlp.up_proj.weight')).toBe('layers.0.mlp.up.weight');
    expect(mapName(NAMES.gpt_neox, 'lm_head.weight')).toBeUndefined();
  });
});
