// The GPT-2 family normscope knows by name: hub ids, shapes, parameter counts, download sizes and files.

export interface RegistryEntry {
  /** The short name normscope shows and accepts (`gpt2`). */
  name: string;
  /** The hub repository (`openai-community/gpt2`). */
  repo: string;
  /** Older ids of the same repository: a cache filled before the hub's renaming holds `models--gpt2`. */
  legacyRepos: string[];
  description: string;
  n_layer: number;
  n_head: number;
  n_embd: number;
  n_positions: number;
  vocab_size: number;
  /** Parameters of the transformer (embeddings included, LM head tied), as `GPT2Model.num_parameters()`. */
  params: number;
  /** Approximate bytes a pull downloads (model.safetensors is float32 and carries the attn.bias buffers, + ~3 MB of tokenizer files). */
  downloadBytes: number;
}

/** A file a pull fetches; optional ones are skipped when the repository lacks them (404). */
export interface ModelFile {
  file: string;
  required: boolean;
}

/** What a pull fetches from any GPT-2 repository: weights, config, and the tokenizer in both of its forms. */
export const MODEL_FILES: readonly ModelFile[] = [
  { file: 'config.json', required: true },
  { file: 'tokenizer.json', required: true },
  { file: 'tokenizer_config.json', required: false },
  { file: 'vocab.json', required: false },
  { file: 'merges.txt', required: false },
  { file: 'model.safetensors', required: true },
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

function entry(name: string, repo: string, legacy: string, description: string, n_layer: number, n_head: number, n_embd: number): RegistryEntry {
  const n_positions = 1024;
  return {
    name, repo, legacyRepos: [legacy], description, n_layer, n_head, n_embd, n_positions, vocab_size: VOCAB,
    params: gpt2Params(n_layer, n_embd, n_positions),
    downloadBytes: approxDownload(n_layer, n_embd, n_positions),
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

/** The entry a name denotes: its short name, its hub id or a legacy id (case-insensitive); null when none. */
export function findRegistryEntry(name: string): RegistryEntry | null {
  const n = name.trim().toLowerCase();
  return GPT2_FAMILY.find((e) => e.name === n || e.repo.toLowerCase() === n || e.legacyRepos.includes(n)) ?? null;
}

/** `ORG/NAME`, as the hub spells repository ids (single-segment legacy ids are known through the registry only). */
export function isRepoId(s: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(s) && !s.includes('..');
}
