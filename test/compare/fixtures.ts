// The models the compare tests run: tiny checkpoints of different depth and width, generated once into the test
// cache. Adding a family is one line here (a tiny llama or Pythia folder from its own generator).
import fs from 'node:fs';
import path from 'node:path';
import { generatedModel, sharedDir, tempDir } from '../analysis/fixtures.js';

export interface CompareModel {
  /** The folder's name in the test cache (also the model's name in the comparison). */
  label: string;
  dir: () => string;
}

export const COMPARE_MODELS: readonly CompareModel[] = [
  { label: 'cmp-gpt2-l2', dir: () => generatedModel('cmp-gpt2-l2', '--layers 2 --heads 2 --embd 16 --positions 1024 --seed 3') },
  { label: 'cmp-gpt2-l4', dir: () => generatedModel('cmp-gpt2-l4', '--layers 4 --heads 4 --embd 32 --positions 1024 --seed 4') },
];

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
