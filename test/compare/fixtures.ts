// The models the compare tests run: tiny checkpoints of different depth and width, generated once into the test
// cache. Adding a family is one line here (a tiny llama or Pythia folder from its own generator).
import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error: a plain .mjs generator, shared with the families' reference script
import { writeFamilyFolder } from '../../scripts/make-family-folder.mjs';
import { generatedModel, sharedDir, tempDir } from '../analysis/fixtures.js';

export interface CompareModel {
  /** The folder's name in the test cache (also the model's name in the comparison). */
  label: string;
  dir: () => string;
}

export const COMPARE_MODELS: readonly CompareModel[] = [
  { label: 'cmp-gpt2-l2', dir: () => generatedModel('cmp-gpt2-l2', '--layers 2 --heads 2 --embd 16 --positions 1024 --seed 3') },
  { label: 'cmp-gpt2-l4', dir: () => generatedModel('cmp-gpt2-l4', '--layers 4 --heads 4 --embd 32 --positions 1024 --seed 4') },
  { label: 'cmp-llama-l3', dir: () => llamaModel('cmp-llama-l3') },
];

let llamaDir: string | null = null;
/** A tiny Llama (GQA, rotary, SiLU-gated MLP) with GPT-2's tokenizer, so it reads the same texts as the GPT-2 fixtures. */
function llamaModel(label: string): string {
  if (llamaDir) return llamaDir;
  const dir = path.join(tempDir('llama'), label);
  writeFamilyFolder({
    seed: 5,
    files: { dtype: 'BF16', prefix: true },
    config: {
      model_type: 'llama', hidden_size: 32, intermediate_size: 64, num_hidden_layers: 3, num_attention_heads: 4,
      num_key_value_heads: 2, max_position_embeddings: 1024, rms_norm_eps: 1e-5, rope_theta: 10000.0, vocab_size: 50257,
      tie_word_embeddings: true, hidden_act: 'silu',
    },
  }, dir, { tokenizer: path.join(sharedDir, 'fixtures/gpt2-tokenizer/tokenizer.json') });
  return (llamaDir = dir);
}

/** A model folder whose config no family reads (model_type "bert"): today's way to make one model fail. */
export function unsupportedModel(): string {
  const dir = path.join(tempDir('bert'), 'bert-tiny');
  const from = COMPARE_MODELS[0]!.dir();
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(from)) fs.copyFileSync(path.join(from, f), path.join(dir, f));
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, model_type: 'bert' }));
  return dir;
}

/** The first `n` documents of the licenses corpus (sorted by name), copied into a fresh folder. */
export function licensesSubset(n: number, label = 'licenses'): string {
  const corpus = path.join(sharedDir, 'corpus/licenses');
  const dir = tempDir(label);
  for (const name of fs.readdirSync(corpus).sort().slice(0, n)) fs.copyFileSync(path.join(corpus, name), path.join(dir, name));
  return dir;
}
