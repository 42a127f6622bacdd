// Tiny model folders of every family for the hub and app tests: the engine's generator (test/model/families) with a
// word-level tokenizer, and the float64 reference values its reference.py committed for each case.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../analysis/fixtures.js';
// @ts-expect-error: a plain .mjs generator, shared with the reference script
import { CASES, writeFamilyFolder } from '../model/families/make-family-folder.mjs';

const FAMILIES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'model', 'families');

export interface FamilyExpected {
  ids: number[];
  log_norms: Record<string, number[]>;
  ar2_params: Record<string, number[]>;
}

/** A case of cases.json: its config.json as written. */
export function familyConfig(name: string): Record<string, unknown> {
  return (CASES as Record<string, { config: Record<string, unknown> }>)[name]!.config;
}

/** The reference's log norms and AR(2) coefficients for a case (test/model/families/expected.json). */
export function familyExpected(name: string): FamilyExpected {
  return (JSON.parse(fs.readFileSync(path.join(FAMILIES, 'expected.json'), 'utf8')) as Record<string, FamilyExpected>)[name]!;
}

/** The text whose word-level tokens are the reference's ids: `w{id}` words. */
export function familyText(name: string): string {
  return familyExpected(name).ids.map((id) => `w${id}`).join(' ');
}

/** Writes a case's folder (config.json, weights, a tokenizer.json that maps the word `w{i}` to id i and adds nothing)
 * into `dir` (default: a new temporary folder). WordPiece, whose longest match of a whole word in the vocabulary is the
 * word itself: a WordLevel model is refused, since transformers.js does not build one by that name. */
export function familyFolder(name: string, dir = tempDir(`family-${name}`)): string {
  const spec = (CASES as Record<string, { config: { vocab_size: number } }>)[name]!;
  writeFamilyFolder(spec, dir);
  const vocab = Object.fromEntries(Array.from({ length: spec.config.vocab_size }, (_, i) => [`w${i}`, i]));
  const tokenizer = {
    version: '1.0', added_tokens: [], normalizer: null, pre_tokenizer: { type: 'Whitespace' }, post_processor: null, decoder: null,
    model: { type: 'WordPiece', vocab, unk_token: 'w0', continuing_subword_prefix: '##', max_input_chars_per_word: 100 },
  };
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  return dir;
}
