// Models of the supported families small enough for a laptop: the engine's SHAPES (each repository's config.json as the
// hub publishes it; a pull always reads the real one again), whether the hub gates it, and what its download holds.
import { describeConfig, modelSummary, SHAPES } from '../model/index.js';

export interface SuggestedModel {
  repo: string;
  description: string;
  /** Llama and Gemma: the hub asks the user to accept a licence first, and a pull needs HF_TOKEN. */
  gated: boolean;
  /** Bytes per parameter of the stored safetensors (bf16/f16: 2, f32: 4), for the download estimate. */
  storedBytesPerParam: 2 | 4;
  /** Approximate bytes of its tokenizer files. */
  tokenizerBytes: number;
  config: Record<string, unknown>;
}

function suggested(shape: string, description: string, gated: boolean, storedBytesPerParam: 2 | 4, tokenizerBytes: number): SuggestedModel {
  const s = SHAPES[shape]!;
  return { repo: s.repo, description, gated, storedBytesPerParam, tokenizerBytes, config: s.config };
}

export const SUGGESTED_MODELS: readonly SuggestedModel[] = [
  suggested('pythia-160m', 'Pythia 160M (GPT-NeoX), the interpretability suite', false, 2, 2_100_000),
  suggested('smollm2-135m', 'SmolLM2 135M (Llama)', false, 2, 2_200_000),
  suggested('qwen2.5-0.5b', 'Qwen 2.5 0.5B', false, 2, 11_400_000),
  suggested('qwen3-0.6b', 'Qwen 3 0.6B', false, 2, 11_400_000),
  suggested('llama-3.2-1b', 'Llama 3.2 1B (gated: accept the licence on the hub)', true, 2, 9_100_000),
  suggested('gemma-3-270m', 'Gemma 3 270M (gated: accept the licence on the hub)', true, 2, 38_000_000),
  suggested('gemma-2-2b', 'Gemma 2 2B (gated: accept the licence on the hub)', true, 4, 21_000_000),
];

/** Each suggested model as the engine reads its config: family, base-model parameters, float32 bytes a session needs. */
export function suggestedModels(): { repo: string; family: string; params: number; memoryBytes: number; gated: boolean }[] {
  return SUGGESTED_MODELS.map(({ repo, config, gated }) => {
    const s = modelSummary(describeConfig(config, `${repo}/config.json`));
    return { repo, family: s.family, params: s.params, memoryBytes: s.float32_bytes, gated };
  });
}
