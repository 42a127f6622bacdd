// Folders of the family test cases (cases.json), written by the generator the reference script reads, with a
// whole-word tokenizer so that a text of words w{id} tokenizes to exactly those ids.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error: a plain .mjs generator, shared with the reference script
import { CASES, writeFamilyFolder } from '../../../scripts/make-family-folder.mjs';

const cases = CASES as Record<string, { config: { vocab_size: number } }>;

/** A whitespace tokenizer.json over `vocab` words w0 … w{vocab−1}: ids in, the same ids out, nothing added. WordPiece
 * (its longest match of a whole vocabulary word is the word itself), since the engine refuses a model type transformers.js
 * does not build by name (WordLevel). */
export function wordTokenizer(vocab: number): object {
  return {
    version: '1.0', added_tokens: [], normalizer: null, pre_tokenizer: { type: 'Whitespace' }, post_processor: null, decoder: null,
    model: {
      type: 'WordPiece', vocab: Object.fromEntries(Array.from({ length: vocab }, (_, i) => [`w${i}`, i])), unk_token: 'w0',
      continuing_subword_prefix: '##', max_input_chars_per_word: 100,
    },
  };
}

/** A case's folder, written fresh with the whole-word tokenizer. */
export function familyFolder(name: string, mutate?: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `normscope-${name}-`));
  writeFamilyFolder(cases[name], dir);
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(wordTokenizer(cases[name]!.config.vocab_size)));
  mutate?.(dir);
  return dir;
}

