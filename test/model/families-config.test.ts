// config.json → description for every family: parameter counts of real models against their published counts, the
// fields that change the forward pass, bad and unsupported configs, bad sharded checkpoints, and the memory check.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNormscopeError } from '../../electron/core/errors.js';
import { lmHeadParams, paramCount } from '../../electron/core/model/arch.js';
import { checkMemory, resolveContext } from '../../electron/core/model/budget.js';
import { describeConfig } from '../../electron/core/model/families/index.js';
import { SHAPES } from '../../electron/core/model/families/shapes.js';
import { checkModelFolder, loadModel } from '../../electron/core/model/index.js';
import { invFreq } from '../../electron/core/model/rotary.js';
import { familyFolder } from './families/folders.js';

const describeShape = (name: string) => describeConfig(SHAPES[name]!.config, `${name}/config.json`);

async function rejects(p: Promise<unknown> | (() => unknown), code: string, ...mentions: string[]): Promise<void> {
  const e = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(() => null, (err: unknown) => err);
  expect(isNormscopeError(e), String(e)).toBe(true);
  expect(e).toMatchObject({ code });
  for (const m of mentions) expect((e as Error).message).toContain(m);
}

describe('describeConfig(config.json) → parameters as the hub\'s model cards count them', () => {
  it.each([
    ['gpt2', 124_439_808], ['smollm2-135m', 134_515_008], ['qwen2.5-0.5b', 494_032_768], ['gemma-3-270m', 268_098_176],
    ['llama-3.2-1b', 1_235_814_400], ['gemma-2-2b', 2_614_341_888], ['pythia-160m', 162_322_944], ['llama-3.1-8b', 8_030_261_248],
  ])('%s: %i parameters (with any untied LM head)', (name, count) => {
    const a = describeShape(name);
    expect(paramCount(a) + lmHeadParams(a)).toBe(count);
  });

  it('the fields that change the forward pass, per family', () => {
    expect(describeShape('smollm2-135m')).toMatchObject({ family: 'llama', n_kv_head: 3, head_dim: 64, norm: { kind: 'rmsnorm', eps: 1e-5 },
      mlp: { kind: 'gated', act: 'silu' }, residual: 'sequential', tieWordEmbeddings: true });
    expect(describeShape('qwen2.5-0.5b').attention).toMatchObject({ qkvBias: true, oBias: false, windows: Array(24).fill(null) });
    const pythia = describeShape('pythia-160m');
    expect(pythia).toMatchObject({ family: 'gpt_neox', residual: 'parallel', norm: { kind: 'layernorm', bias: true }, mlp: { kind: 'plain', act: 'gelu' } });
    expect(pythia.positions).toMatchObject({ kind: 'rotary', global: { dims: 16, base: 10000 } });
    const g3 = describeShape('gemma-3-270m');
    expect(g3.attention.windows).toEqual([512, 512, 512, 512, 512, null, 512, 512, 512, 512, 512, null, 512, 512, 512, 512, 512, null]);
    expect(g3).toMatchObject({ norm: { kind: 'rmsnorm1p' }, postNorms: true, embedScale: Math.fround(Math.sqrt(640)),
      positions: { global: { base: 1e6 }, local: { base: 10000 } }, attention: { qkNorm: true, scale: 1 / 16, softcap: null } });
    const g2 = describeShape('gemma-2-2b');
    expect(g2.attention).toMatchObject({ softcap: 50, windows: Array.from({ length: 26 }, (_, i) => (i % 2 === 0 ? 4096 : null)) });
    expect(g2.finalSoftcap).toBe(30);
    expect(describeShape('llama-3.2-1b').positions).toMatchObject({ global: { scaling: { type: 'llama3', factor: 32, original_max: 8192 } } });
  });

  it('llama3 rope scaling keeps short wavelengths, divides long ones by the factor', () => {
    const a = describeShape('llama-3.2-1b');
    if (a.positions.kind !== 'rotary') throw new Error('rotary expected');
    const scaled = invFreq(a.positions.global), plain = invFreq({ ...a.positions.global, scaling: { type: 'none' } });
    expect(scaled[0]).toBe(plain[0]);
    expect(scaled.at(-1)! / plain.at(-1)!).toBeCloseTo(1 / 32, 12);
  });
});

describe('describeConfig: bad and unsupported configs are refused before any allocation', () => {
  const llama = SHAPES['smollm2-135m']!.config;
  const bad = (patch: Record<string, unknown>) => () => describeConfig({ ...llama, ...patch }, 'config.json');
  it('a missing field: BAD_CONFIG naming it', () => rejects(bad({ hidden_size: undefined }), 'BAD_CONFIG', 'hidden_size'));
  it('num_hidden_layers 1e9: BAD_CONFIG', () => rejects(bad({ num_hidden_layers: 1e9 }), 'BAD_CONFIG', 'num_hidden_layers', '1000000000'));
  it('head_dim 0: BAD_CONFIG', () => rejects(bad({ head_dim: 0 }), 'BAD_CONFIG', 'head_dim'));
  it('heads not a multiple of kv heads: BAD_CONFIG', () => rejects(bad({ num_key_value_heads: 4 }), 'BAD_CONFIG', 'num_key_value_heads'));
  it('rope_scaling yarn: UNSUPPORTED_MODEL naming field and value', () =>
    rejects(bad({ rope_scaling: { rope_type: 'yarn', factor: 4 } }), 'UNSUPPORTED_MODEL', 'rope_scaling.rope_type "yarn"'));
  it('another activation: UNSUPPORTED_MODEL', () => rejects(bad({ hidden_act: 'relu' }), 'UNSUPPORTED_MODEL', 'hidden_act "relu"'));
  it('an unknown model_type: UNSUPPORTED_MODEL listing the families', () =>
    rejects(bad({ model_type: 'mixtral' }), 'UNSUPPORTED_MODEL', '"mixtral"', 'gpt_neox', 'gemma3_text'));
  it('Gemma 3 as an embedding model (bidirectional): UNSUPPORTED_MODEL', () =>
    rejects(() => describeConfig({ ...SHAPES['gemma-3-270m']!.config, use_bidirectional_attention: true }, 'config.json'), 'UNSUPPORTED_MODEL', 'use_bidirectional_attention'));
  it('a layer type other than sliding or full attention: UNSUPPORTED_MODEL', () =>
    rejects(() => describeConfig({ ...SHAPES['gemma-2-2b']!.config, layer_types: Array(26).fill('chunked_attention') }, 'config.json'), 'UNSUPPORTED_MODEL', 'chunked_attention'));
});

describe('resolveContext / checkMemory', () => {
  it('the context defaults to the model\'s, capped at 4,096; longer than the model\'s is BAD_INPUT', async () => {
    expect(resolveContext(describeShape('qwen2.5-0.5b'))).toBe(4096);
    expect(resolveContext(describeShape('pythia-160m'))).toBe(2048);
    expect(resolveContext(describeShape('pythia-160m'), 100)).toBe(100);
    await rejects(() => resolveContext(describeShape('pythia-160m'), 2049), 'BAD_INPUT', '2048');
  });

  it('MODEL_TOO_LARGE names need and limit', async () => {
    await rejects(() => checkMemory(describeShape('llama-3.1-8b'), 4096, 'Llama-3.1-8B', { limit: 24e9 }), 'MODEL_TOO_LARGE',
      'Llama-3.1-8B needs about 34 GB in float32; this machine has 24 GB');
    expect(() => checkMemory(describeShape('smollm2-135m'), 4096, 'SmolLM2-135M', { limit: 24e9 })).not.toThrow();
  });

  it('loadModel refuses a config larger than this machine\'s memory before reading any weights (the folder has none)', async () => {
    const dir = familyFolder('llama-gqa-f32-tied', (d) => {
      fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ ...SHAPES['llama-3.1-8b']!.config, num_hidden_layers: 1000 }));
      fs.rmSync(path.join(d, 'model.safetensors'));
    });
    await rejects(loadModel(dir), 'MODEL_TOO_LARGE', 'in float32; this machine has');
  });
});

describe('sharded checkpoints: typed errors from the headers alone', () => {
  const sharded = 'neox-sequential-bf16-sharded';
  const index = (d: string) => path.join(d, 'model.safetensors.index.json');
  const editIndex = (edit: (map: Record<string, string>) => void) => (d: string) => {
    const json = JSON.parse(fs.readFileSync(index(d), 'utf8'));
    edit(json.weight_map);
    fs.writeFileSync(index(d), JSON.stringify(json));
  };
  it('loads, counting every shard', async () => {
    const r = await checkModelFolder(familyFolder(sharded));
    expect(r.dtype).toBe('BF16');
    expect(r.config.family).toBe('gpt_neox');
  });
  it('a tensor missing from the index: MISSING_TENSOR', () =>
    rejects(checkModelFolder(familyFolder(sharded, editIndex((m) => { delete m['gpt_neox.layers.1.mlp.dense_4h_to_h.weight']; }))),
      'MISSING_TENSOR', 'layers.1.mlp.down.weight'));
  it('an index naming a file outside the model folder: BAD_MODEL', () =>
    rejects(checkModelFolder(familyFolder(sharded, editIndex((m) => { m['gpt_neox.embed_in.weight'] = '../model-00001-of-00002.safetensors'; }))),
      'BAD_MODEL', 'not a file in the model folder'));
  it('a shard the folder lacks: BAD_MODEL', () =>
    rejects(checkModelFolder(familyFolder(sharded, (d) => fs.rmSync(path.join(d, 'model-00002-of-00002.safetensors')))), 'BAD_MODEL', 'model-00002-of-00002'));
  it('an index putting a tensor in a shard that does not hold it: BAD_SAFETENSORS', () =>
    rejects(checkModelFolder(familyFolder(sharded, editIndex((m) => {
      const [k, f] = Object.entries(m).find(([, v]) => v.includes('00001'))!;
      m[k] = f.replace('00001-of', '00002-of');
    }))), 'BAD_SAFETENSORS', 'does not hold it'));
  it('a tensor of the wrong shape for config.json: BAD_TENSOR_SHAPE', () =>
    rejects(checkModelFolder(familyFolder(sharded, (d) => {
      const c = JSON.parse(fs.readFileSync(path.join(d, 'config.json'), 'utf8'));
      fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ ...c, intermediate_size: 96 }));
    })), 'BAD_TENSOR_SHAPE', 'expected [96, 32]'));
  it('a tensor the family has no place for: UNSUPPORTED_MODEL', () =>
    rejects(checkModelFolder(familyFolder('qwen3-qknorm-f16', (d) => {
      const c = JSON.parse(fs.readFileSync(path.join(d, 'config.json'), 'utf8'));
      fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ ...c, model_type: 'qwen2' }));
    })), 'UNSUPPORTED_MODEL', '_norm.weight" has no place in a qwen2'));
});

describe('suggestedModels()', () => {
  it('lists the laptop-sized models of every family with parameters, memory and gating', async () => {
    const { suggestedModels } = await import('../../electron/core/models/suggested.js');
    const list = suggestedModels();
    expect(list.map((m) => m.repo)).toEqual(['EleutherAI/pythia-160m', 'HuggingFaceTB/SmolLM2-135M', 'Qwen/Qwen2.5-0.5B', 'Qwen/Qwen3-0.6B',
      'meta-llama/Llama-3.2-1B', 'google/gemma-3-270m', 'google/gemma-2-2b']);
    expect(list.find((m) => m.repo === 'Qwen/Qwen2.5-0.5B')).toMatchObject({ family: 'qwen2', params: 494_032_768, gated: false });
    for (const m of list) expect(m.memoryBytes).toBeGreaterThan(4 * m.params);
    expect(list.filter((m) => m.gated).map((m) => m.family)).toEqual(['llama', 'gemma3_text', 'gemma2']);
  });
});

describe('the multimodal gemma3 config: its text_config', () => {
  it('describes the text model, and refuses a gemma3 config without one', async () => {
    const text = SHAPES['gemma-3-270m']!.config;
    expect(describeConfig({ model_type: 'gemma3', text_config: { ...text, model_type: undefined } }, 'config.json')).toMatchObject({ family: 'gemma3_text', model_type: 'gemma3_text', n_layer: 18 });
    await rejects(() => describeConfig({ model_type: 'gemma3' }, 'config.json'), 'BAD_CONFIG', 'text_config');
  });
});
