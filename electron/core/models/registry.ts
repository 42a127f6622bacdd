// The models normscope knows by name: the GPT-2 family and the suggested laptop-size models of the other families, with
// hub ids, shapes, parameter counts, the float32 memory a session needs, download sizes, and the files a pull fetches.
import { describeConfig, lmHeadParams, modelSummary, type Family } from '../model/index.js';
import { SUGGESTED_MODELS, type SuggestedModel } from './suggested.js';

export interface RegistryEntry {
  /** The short name normscope shows and accepts (`gpt2`). */
  name: string;
  /** The hub repository (`openai-community/gpt2`); the suggested models of other families go by it as their name. */
  repo: string;
  /** Older ids of the same repository: a cache filled before the hub's renaming holds `models--gpt2`. */
  legacyRepos: string[];
  description: string;
  family: Family;
  /** The hub asks for a licence to be accepted first: a pull needs HF_TOKEN. */
  gated: boolean;
  n_layer: number;
  n_head: number;
  n_embd: number;
  n_positions: number;
  vocab_size: number;
  /** Parameters of the transformer (embeddings included, LM head tied), as `GPT2Model.num_parameters()`. */
  params: number;
  /** Approximate bytes a pull downloads (model.safetensors is float32 and carries the attn.bias buffers, + ~3 MB of tokenizer files). */
  downloadBytes: number;
  /** The engine's float32 estimate for a session at the default context (model/budget.ts): what MODEL_TOO_LARGE compares. */
  memoryBytes: number;
}

/** A file a pull fetches; optional ones are skipped when the repository lacks them (404). */
export interface ModelFile {
  file: string;
  required: boolean;
}

/** What a pull fetches besides config.json (read first) and the weights (model.safetensors, or the shards
 * model.safetensors.index.json names): the tokenizer, in both of GPT-2's forms. */
export const MODEL_FILES: readonly ModelFile[] = [
  { file: 'tokenizer.json', required: true },
  { file: 'tokenizer_config.json', required: false },
  { file: 'vocab.json', required: false },
  { file: 'merges.txt', required: false },
];

const VOCAB = 50257;

/** GPT2Model's parameter count from its shape: embeddings + per block (12·d² + 13·d) + final LayerNorm. */
export function gpt2ParamCount(c: { n_layer: number; n_embd: number; n_positions: number; vocab_size: number }): number {
  const d = c.n_embd;
  return c.vocab_size * d + c.n_positions * d + c.n_layer * (12 * d * d + 13 * d) + 2 * d;
}

function gpt2Params(n_layer: number, n_embd: number, n_positions: number): number {
  return gpt2ParamCount({ n_layer, n_embd, n_positions, vocab_size: VOCAB });
}

/** float32 weights + one [1,1,P,P] float32 attn.bias buffer per block (the hub's safetensors carry them) + tokenizer files. */
function approxDownload(n_layer: number, n_embd: number, n_positions: number): number {
  return 4 * gpt2Params(n_layer, n_embd, n_positions) + n_layer * 4 * n_positions * n_positions + 2_900_000;
}

const memoryOf = (config: Record<string, unknown>, file: string) => modelSummary(describeConfig(config, file)).float32_bytes;

function entry(name: string, repo: string, legacy: string, description: string, n_layer: number, n_head: number, n_embd: number): RegistryEntry {
  const n_positions = 1024;
  return {
    name, repo, legacyRepos: [legacy], description, family: 'gpt2', gated: false, n_layer, n_head, n_embd, n_positions, vocab_size: VOCAB,
    params: gpt2Params(n_layer, n_embd, n_positions),
    downloadBytes: approxDownload(n_layer, n_embd, n_positions),
    memoryBytes: memoryOf({ model_type: 'gpt2', n_layer, n_head, n_embd, n_positions, vocab_size: VOCAB }, `${repo} config.json`),
  };
}

/** A suggested model's entry, its shape and counts from the engine's reading of its config (the LM head, when untied,
 * is downloaded but not counted: the parameters are the base model's, as for GPT-2). */
function suggestedEntry(s: SuggestedModel): RegistryEntry {
  const a = describeConfig(s.config, `${s.repo} config.json`);
  const m = modelSummary(a);
  return {
    name: s.repo, repo: s.repo, legacyRepos: [], description: s.description, family: a.family, gated: s.gated,
    n_layer: a.n_layer, n_head: a.n_head, n_embd: a.n_embd, n_positions: a.n_positions, vocab_size: a.vocab_size, params: m.params,
    downloadBytes: (m.params + lmHeadParams(a)) * s.storedBytesPerParam + s.tokenizerBytes, memoryBytes: m.float32_bytes,
  };
}

/** In the order resolveModel prefers them when no model is named: GPT-2 small first (the notebook's), distilled last. */
export const GPT2_FAMILY: readonly RegistryEntry[] = [
  entry('gpt2', 'openai-community/gpt2', 'gpt2', 'GPT-2 small, the notebook\'s model', 12, 12, 768),
  entry('gpt2-medium', 'openai-community/gpt2-medium', 'gpt2-medium', 'GPT-2 medium', 24, 16, 1024),
  entry('gpt2-large', 'openai-community/gpt2-large', 'gpt2-large', 'GPT-2 large', 36, 20, 1280),
  entry('gpt2-xl', 'openai-community/gpt2-xl', 'gpt2-xl', 'GPT-2 XL', 48, 25, 1600),
  entry('distilgpt2', 'distilbert/distilgpt2', 'distilgpt2', 'DistilGPT2, distilled from GPT-2 small', 6, 12, 768),
];

/** Models of the other families that run on a laptop, smallest families first; with GPT2_FAMILY, what normscope suggests. */
export const OTHER_FAMILIES: readonly RegistryEntry[] = SUGGESTED_MODELS.map(suggestedEntry);

/** Every model normscope knows by name: the GPT-2 family, then the suggested models of the other families. */
export const REGISTRY: readonly RegistryEntry[] = [...GPT2_FAMILY, ...OTHER_FAMILIES];

/** The entry a name denotes: its short name, its hub id or a legacy id (case-insensitive); null when none. */
export function findRegistryEntry(name: string): RegistryEntry | null {
  const n = name.trim().toLowerCase();
  return REGISTRY.find((e) => e.name === n || e.repo.toLowerCase() === n || e.legacyRepos.includes(n)) ?? null;
}

/** `ORG/NAME`, as the hub spells repository ids (single-segment legacy ids are known through the registry only). */
export function isRepoId(s: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(s) && !s.includes('..');
}
