// Models of every family that run on a laptop, with what each needs: what `models list`, the model manager and a pull
// suggest beyond the GPT-2 sizes (the registry). Shapes are their published config.json files (families/shapes.ts).
import { describeConfig, modelSummary } from '../model/index.js';
import { SHAPES } from '../model/families/shapes.js';

export interface SuggestedModel {
  /** hub repository id */
  repo: string;
  family: string;
  params: number;
  /** float32 bytes a session needs at the default context (the memory check's estimate) */
  memoryBytes: number;
  /** Llama and Gemma repositories are gated: the licence must be accepted on the hub and HF_TOKEN set */
  gated: boolean;
}

const ORDER = ['pythia-160m', 'smollm2-135m', 'qwen2.5-0.5b', 'qwen3-0.6b', 'llama-3.2-1b', 'gemma-3-270m', 'gemma-2-2b'];

export function suggestedModels(): SuggestedModel[] {
  return ORDER.map((name) => {
    const { repo, config } = SHAPES[name]!;
    const s = modelSummary(describeConfig(config, `${repo}/config.json`));
    return { repo, family: s.family, params: s.params, memoryBytes: s.float32_bytes, gated: /^(meta-llama|google)\//.test(repo) };
  });
}
