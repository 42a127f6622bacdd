// The GPT-2 family: hub ids, shapes, and parameter counts against the numbers Hugging Face publishes.
import { describe, expect, it } from 'vitest';
import { findRegistryEntry, GPT2_FAMILY } from '../../electron/core/models/index.js';

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
