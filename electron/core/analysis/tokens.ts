// text → tokens: GPT-2's byte-level BPE as the model carries it, no special tokens added (DESIGN step 1).
import type { TokenJSON } from '../../../shared/result.js';
import type { Gpt2Model } from '../model/types.js';

export interface Tokens {
  ids: number[];
  /** Each id with its own decoded text, as the notebook prints tokens. */
  tokens: TokenJSON[];
}

export function tokenizeText(model: Pick<Gpt2Model, 'tokenize'>, text: string): Tokens {
  const { ids, texts } = model.tokenize(text);
  return { ids, tokens: ids.map((id, i) => ({ id, text: texts[i] ?? '' })) };
}
