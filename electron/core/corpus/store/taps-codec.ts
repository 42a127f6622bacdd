// DocumentTaps ⇄ the JSON record of a normscope.corpus/1 taps.jsonl: every log norm bit-exact as base64 of
// little-endian float64. Kept to read and upgrade first-version stores; new taps go to taps.bin (taps-frame.ts).
import os from 'node:os';
import type { TokenJSON } from '../../../../shared/result.js';
import { SITES, type Site } from '../../../../shared/taps.js';
import type { DocumentTaps } from '../../analysis/index.js';

export interface EncodedTaps {
  tokens: TokenJSON[];
  /** site → per layer, base64 of T little-endian float64 log norms. */
  log_norms: Record<Site, string[]>;
}

const bigEndian = os.endianness() === 'BE';

export function encodeTaps(taps: DocumentTaps): EncodedTaps {
  const log_norms = {} as Record<Site, string[]>;
  for (const site of SITES) {
    log_norms[site] = taps.logNorms[site].map((series) => {
      const bytes = Buffer.from(new Float64Array(series).buffer);
      return (bigEndian ? bytes.swap64() : bytes).toString('base64');
    });
  }
  return { tokens: taps.tokens, log_norms };
}

/** Throws TypeError when the record does not hold T values per layer for every site. */
export function decodeTaps(encoded: EncodedTaps): DocumentTaps {
  const T = encoded.tokens.length;
  const logNorms = {} as Record<Site, Float64Array[]>;
  for (const site of SITES) {
    const layers = encoded.log_norms[site];
    if (!Array.isArray(layers)) throw new TypeError(`stored taps lack site ${site}`);
    logNorms[site] = layers.map((b64, layer) => {
      const bytes = Buffer.from(b64, 'base64');
      if (bytes.length !== 8 * T) throw new TypeError(`stored taps of ${site} layer ${layer} hold ${bytes.length / 8} values for ${T} tokens`);
      if (bigEndian) bytes.swap64();
      const out = new Float64Array(T);
      new Uint8Array(out.buffer).set(bytes);
      return out;
    });
  }
  return { tokens: encoded.tokens, logNorms };
}
