// The model folder's own tokenizer through transformers.js, fully offline: tokenizer.json (any family), or GPT-2's older
// vocab.json + merges.txt pair turned into the same tokenizer.json a Hugging Face conversion writes. Text is encoded as
// Python's `tokenizer(text)` does: the file's post-processor applies (Llama 3.x and Gemma prepend BOS; GPT-2, Pythia and
// Qwen add nothing); no chat template ever.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PreTrainedTokenizer, env } from '@huggingface/transformers';
import { NormscopeError } from '../errors.js';
import type { Tokenized } from './types.js';

// normscope never downloads through transformers.js: model folders are complete or refused
env.allowRemoteModels = false;

export interface ModelTokenizer {
  /** Files the tokenizer was read from (tokenizer_config.json not included), for provenance hashing. */
  readonly files: string[];
  /** Largest token id the tokenizer can produce. */
  readonly maxId: number;
  /** The special tokens its post-processor adds to every text (`<|begin_of_text|>`, `<bos>`), in order; none for GPT-2. */
  readonly added: string[];
  tokenize(text: string): Tokenized;
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new NormscopeError('BAD_TOKENIZER', `${file} cannot be read (${(e as Error).message})`, { path: file });
  }
}

function parseJson(text: string, file: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new NormscopeError('BAD_TOKENIZER', `${file} is not JSON (${(e as Error).message})`, { path: file });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new NormscopeError('BAD_TOKENIZER', `${file} is not a JSON object`, { path: file });
  return v as Record<string, unknown>;
}

/** The tokenizer models transformers.js builds; given another `model.type` it would guess one from the vocabulary's shape. */
const KNOWN_MODEL_TYPES: readonly unknown[] = ['BPE', 'Unigram', 'WordPiece'];

/** Refuses a tokenizer.json whose model is missing or of a type transformers.js would not build as named. */
function checkTokenizerModel(json: Record<string, unknown>, file: string): void {
  const model = json.model;
  if (model === null || typeof model !== 'object' || Array.isArray(model)) {
    throw new NormscopeError('BAD_TOKENIZER', `${file} has no "model" object`, { path: file });
  }
  const type = (model as Record<string, unknown>).type;
  if (type !== undefined && !KNOWN_MODEL_TYPES.includes(type)) {
    throw new NormscopeError('BAD_TOKENIZER', `${file}: model type ${JSON.stringify(type)} is not one transformers.js knows (${KNOWN_MODEL_TYPES.join(', ')})`, { path: file });
  }
}

const END_OF_TEXT = '<|endoftext|>';

/** The tokenizer.json Hugging Face's converter writes for a GPT-2 vocab.json + merges.txt. */
function gpt2TokenizerJson(vocab: Record<string, unknown>, mergesText: string, vocabFile: string): Record<string, unknown> {
  for (const [k, v] of Object.entries(vocab)) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new NormscopeError('BAD_TOKENIZER', `${vocabFile}: token ${JSON.stringify(k)} has id ${JSON.stringify(v)}`, { path: vocabFile });
    }
  }
  const merges = mergesText.split(/\r?\n/).filter((l) => l.length > 0 && !l.startsWith('#version'));
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const eot = vocab[END_OF_TEXT];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: typeof eot === 'number'
      ? [{ id: eot, content: END_OF_TEXT, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }]
      : [],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, add_prefix_space: true, trim_offsets: false },
    decoder: { ...byteLevel, add_prefix_space: true },
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
      fuse_unk: false, byte_fallback: false, vocab, merges,
    },
  };
}

/** Loads the tokenizer of a model folder; MISSING_TOKENIZER when it has neither file set, BAD_TOKENIZER when they do not parse. */
export async function loadTokenizer(dir: string): Promise<ModelTokenizer> {
  const at = (f: string) => path.join(dir, f);
  const configText = await readIfExists(at('tokenizer_config.json'));
  const config = configText === null ? {} : parseJson(configText, at('tokenizer_config.json'));
  let json: Record<string, unknown>;
  let files: string[];
  const tokenizerText = await readIfExists(at('tokenizer.json'));
  if (tokenizerText !== null) {
    json = parseJson(tokenizerText, at('tokenizer.json'));
    checkTokenizerModel(json, at('tokenizer.json'));
    files = [at('tokenizer.json')];
  } else {
    const [vocabText, mergesText] = await Promise.all([readIfExists(at('vocab.json')), readIfExists(at('merges.txt'))]);
    if (vocabText === null || mergesText === null) {
      throw new NormscopeError('MISSING_TOKENIZER', `${dir} has no tokenizer: it needs tokenizer.json, or vocab.json and merges.txt`, { path: dir });
    }
    json = gpt2TokenizerJson(parseJson(vocabText, at('vocab.json')), mergesText, at('vocab.json'));
    files = [at('vocab.json'), at('merges.txt')];
  }
  let tokenizer: PreTrainedTokenizer;
  try {
    // every family's tokenizer class in transformers.js is this one; the file itself says how it tokenizes
    tokenizer = new PreTrainedTokenizer(json, config);
  } catch (e) {
    throw new NormscopeError('BAD_TOKENIZER', `${files.join(' + ')}: not a usable tokenizer (${(e as Error).message})`, { path: files[0] });
  }
  let maxId = -1;
  for (const id of tokenizer.get_vocab().values()) if (id > maxId) maxId = id;
  if (maxId < 0) throw new NormscopeError('BAD_TOKENIZER', `${files.join(' + ')}: the vocabulary is empty`, { path: files[0] });
  return {
    files,
    maxId,
    added: addedTokens(tokenizer),
    tokenize(text: string): Tokenized {
      const ids = tokenizer.encode(text, { add_special_tokens: true });
      return { ids, texts: ids.map((id) => tokenizer.decode([id])) };
    },
  };
}

/** The tokens the post-processor puts around a text: what `tokenizer(text)` has and the bare encoding has not. */
function addedTokens(tokenizer: PreTrainedTokenizer): string[] {
  const probe = 'normscope';
  const withSpecial = tokenizer.encode(probe, { add_special_tokens: true }), bare = tokenizer.encode(probe, { add_special_tokens: false });
  const n = bare.length;
  for (let p = 0; p + n <= withSpecial.length; p++) {
    if (bare.every((id, i) => withSpecial[p + i] === id)) {
      return [...withSpecial.slice(0, p), ...withSpecial.slice(p + n)].map((id) => tokenizer.decode([id]));
    }
  }
  return [];
}
