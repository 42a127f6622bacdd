// The registry: the GPT-2 family and the suggested models of the other families, their hub ids, shapes, parameter counts
// and download sizes against the numbers Hugging Face publishes.
import { describe, expect, it } from 'vitest';
import { float32Bytes, lmHeadParams } from '../../electron/core/model/arch.js';
import { resolveContext } from '../../electron/core/model/budget.js';
import { describeConfig } from '../../electron/core/model/families/index.js';
import { findRegistryEntry, GPT2_FAMILY } from '../../electron/core/models/index.js';
import { OTHER_FAMILIES, REGISTRY } from '../../electron/core/models/registry.js';
import { SUGGESTED_MODELS } from '../../electron/core/models/suggested.js';

// GPT2Model(config).num_parameters() in transformers, as the model cards and the GPT-2 paper's table round them
const PUBLISHED: Record<string, { repo: string; params: number; layers: number; heads: number; width: number }> = {
  gpt2: { repo: 'openai-community/gpt2', params: 124_439_808, layers: 12, heads: 12, width: 768 },
  'gpt2-medium': { repo: 'openai-community/gpt2-medium', params: 354_823_168, layers: 24, heads: 16, width: 1024 },
  'gpt2-large': { repo: 'openai-community/gpt2-large', params: 774_030_080, layers: 36, heads: 20, width: 1280 },
  'gpt2-xl': { repo: 'openai-community/gpt2-xl', params: 1_557_611_200, layers: 48, heads: 25, width: 1600 },
  distilgpt2: { repo: 'distilbert/distilgpt2', params: 81_912_576, layers: 6, heads: 12, width: 768 },
};
// model.safetensors sizes the hub lists (bytes): the download estimate must be within 1%
const SAFETENSORS_BYTES: Record<string, number> = { gpt2: 548_105_171, distilgpt2: 352_824_413 };

describe('GPT2_FAMILY', () => {
  it('lists the five GPT-2 models with their hub ids, shapes and parameter counts', () => {
    expect(GPT2_FAMILY.map((e) => e.name)).toEqual(Object.keys(PUBLISHED));
    for (const e of GPT2_FAMILY) {
      const p = PUBLISHED[e.name]!;
      expect({ repo: e.repo, params: e.params, layers: e.n_layer, heads: e.n_head, width: e.n_embd }, e.name).toEqual(p);
      expect(e.n_positions).toBe(1024);
    }
  });

  it('estimates downloads within 1% of the hub\'s file sizes', () => {
    for (const [name, size] of Object.entries(SAFETENSORS_BYTES)) {
      const e = findRegistryEntry(name)!;
      expect(Math.abs(e.downloadBytes - size) / size, name).toBeLessThan(0.01);
    }
  });

  it('findRegistryEntry accepts short names, hub ids and pre-rename ids, in any case', () => {
    expect(findRegistryEntry('GPT2-Large')!.repo).toBe('openai-community/gpt2-large');
    expect(findRegistryEntry('openai-community/gpt2-xl')!.name).toBe('gpt2-xl');
    expect(findRegistryEntry('distilgpt2')!.legacyRepos).toEqual(['distilgpt2']);
    expect(findRegistryEntry('gpt2')!.legacyRepos).toEqual(['gpt2']);
    expect(findRegistryEntry('gpt3')).toBeNull();
  });
});

// The model cards' parameter counts (`model.num_parameters()` of the *ForCausalLM, so Pythia's includes its untied
// embed_out) and the safetensors sizes the hub lists, rounded as the cards give them (null: not checked)
const CARDS: Record<string, { family: string; params: number; download: number | null; gated: boolean }> = {
  'EleutherAI/pythia-160m': { family: 'gpt_neox', params: 162_322_944, download: 325e6, gated: false },
  'HuggingFaceTB/SmolLM2-135M': { family: 'llama', params: 134.5e6, download: 269e6, gated: false },
  'Qwen/Qwen2.5-0.5B': { family: 'qwen2', params: 0.494e9, download: 988e6, gated: false },
  'Qwen/Qwen3-0.6B': { family: 'qwen3', params: 0.596e9, download: null, gated: false },
  'meta-llama/Llama-3.2-1B': { family: 'llama', params: 1.236e9, download: 2.47e9, gated: true },
  'google/gemma-3-270m': { family: 'gemma3_text', params: 268e6, download: 536e6, gated: true },
  'google/gemma-2-2b': { family: 'gemma2', params: 2.614e9, download: 10.46e9, gated: true },
};

describe('OTHER_FAMILIES', () => {
  it('suggests the laptop-size models of every other family, each config read by the engine, counted as the model cards count', () => {
    expect(OTHER_FAMILIES.map((e) => e.name)).toEqual(Object.keys(CARDS));
    for (const e of OTHER_FAMILIES) {
      const card = CARDS[e.name]!;
      expect({ repo: e.repo, family: e.family, gated: e.gated }, e.name).toEqual({ repo: e.name, family: card.family, gated: card.gated });
      const a = describeConfig(SUGGESTED_MODELS.find((s) => s.repo === e.repo)!.config, e.name);
      expect(Math.abs(e.params + lmHeadParams(a) - card.params) / card.params, e.name).toBeLessThan(0.005);
      // the weights part of the download estimate (the tokenizer files are a rough figure on top)
      const weights = e.downloadBytes - SUGGESTED_MODELS.find((s) => s.repo === e.repo)!.tokenizerBytes;
      if (card.download !== null) expect(Math.abs(weights - card.download) / card.download, e.name).toBeLessThan(0.01);
    }
  });

  it('the float32 memory need of each is the engine\'s rule at the default context, and each fits a 16 GB laptop', () => {
    for (const e of REGISTRY) {
      const config = SUGGESTED_MODELS.find((s) => s.repo === e.repo)?.config ?? { model_type: 'gpt2', n_layer: e.n_layer, n_head: e.n_head, n_embd: e.n_embd, n_positions: 1024, vocab_size: e.vocab_size };
      const a = describeConfig(config, e.name);
      expect(e.memoryBytes, e.name).toBe(float32Bytes(a, resolveContext(a)));
      expect(e.memoryBytes, e.name).toBeLessThan(16e9);
    }
  });

  it('findRegistryEntry knows them by hub id, in any case; pulls of them are not refused as unknown names', () => {
    expect(findRegistryEntry('qwen/qwen3-0.6b')!.repo).toBe('Qwen/Qwen3-0.6B');
    expect(REGISTRY.length).toBe(GPT2_FAMILY.length + OTHER_FAMILIES.length);
  });
});
