// A 3,000-token document on a 256-position model: overlapping windows, one log norm per token.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisDocument, DocumentOk } from '../../shared/result.js';
import { SITES, tapName } from '../../shared/taps.js';
import { allTaps, computeTaps, planWindows, type DocumentTaps } from '../../electron/core/analysis/index.js';
import { loadModel } from '../../electron/core/model/index.js';
import type { Gpt2Model } from '../../electron/core/model/types.js';
import { normscope, sharedDir, tempDir, tinyAModel } from './fixtures.js';

let model: Gpt2Model;
let modelDir: string;
let text: string;
let ids: number[];
let taps: DocumentTaps;
const progress: number[] = [];

/** The licenses, concatenated and cut to the longest prefix that tokenizes to exactly `n` tokens. */
function textOfTokens(n: number): string {
  const corpus = path.join(sharedDir, 'corpus/licenses');
  let all = '';
  for (const f of fs.readdirSync(corpus).sort()) {
    all += (all ? '\n\n' : '') + fs.readFileSync(path.join(corpus, f), 'utf8');
    if (model.tokenize(all).ids.length > n) break;
  }
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (model.tokenize(all.slice(0, mid)).ids.length <= n) lo = mid;
    else hi = mid - 1;
  }
  return all.slice(0, lo);
}

/** ln‖tap‖ of one plain forward pass over `slice` (positions from 0), every tap. */
async function singlePass(slice: number[]): Promise<Map<string, Float64Array>> {
  const { norms } = await model.forward(slice, { norms: allTaps(model.config.n_layer) });
  return new Map([...norms].map(([tap, n]) => [tap, Float64Array.from(n, Math.log)]));
}

beforeAll(async () => {
  modelDir = tinyAModel();
  model = await loadModel(modelDir);
  text = textOfTokens(3000);
  ids = model.tokenize(text).ids;
  taps = await computeTaps(model, text, { onProgress: (p) => progress.push(p.tokensDone) });
});
afterAll(async () => {
  await model?.dispose();
});

describe('computeTaps(model, 3,000-token text) on n_positions 256', () => {
  it('the document is 3,000 tokens, longer than the context', () => {
    expect(ids).toHaveLength(3000);
    expect(model.config.n_positions).toBe(256);
    expect(taps.tokens.map((t) => t.id)).toEqual(ids);
  });

  it('one finite log norm per token, every site, every layer', () => {
    for (const site of SITES) {
      expect(taps.logNorms[site]).toHaveLength(3);
      for (const series of taps.logNorms[site]) {
        expect(series).toHaveLength(3000);
        expect(series.every(Number.isFinite)).toBe(true);
      }
    }
  });

  it('the first window’s tokens equal a single pass over them', async () => {
    const single = await singlePass(ids.slice(0, 256));
    for (const site of SITES) {
      for (let layer = 0; layer < 3; layer++) {
        expect(Array.from(taps.logNorms[site][layer]!.subarray(0, 256))).toEqual(Array.from(single.get(tapName(layer, site))!));
      }
    }
  });

  it('a later window’s kept tokens equal a single pass over that window, the last (short) one too', async () => {
    const windows = planWindows(3000, 256);
    for (const w of [windows[5]!, windows.at(-1)!]) {
      const single = await singlePass(ids.slice(w.start, w.end));
      for (const site of SITES) {
        for (let layer = 0; layer < 3; layer++) {
          const got = Array.from(taps.logNorms[site][layer]!.subarray(w.keep, w.end));
          expect(got).toEqual(Array.from(single.get(tapName(layer, site))!.subarray(w.keep - w.start)));
        }
      }
    }
  });

  it('past the first window a token keeps its left context: token 256 differs from a pass that starts at it', async () => {
    const cold = await singlePass(ids.slice(256, 512));
    expect(taps.logNorms.attn[1]![256]).not.toBeCloseTo(cold.get('h.1.attn')![0]!, 6);
  });

  it('reports progress once per window, up to every token', () => {
    expect(progress).toEqual(planWindows(3000, 256).map((w) => w.end));
  });

  it('an aborted signal cancels with CANCELLED', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(computeTaps(model, text, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('normscope analyze on the 3,000-token file', () => {
  it('one log norm per token in the JSON, fits on 2,997 tokens', () => {
    const dir = tempDir('long');
    try {
      fs.writeFileSync(path.join(dir, 'long.txt'), text);
      const run = normscope(['analyze', '--model', modelDir, '--component', 'block', path.join(dir, 'long.txt')]);
      expect(run.status).toBe(0);
      const doc = (JSON.parse(run.stdout) as AnalysisDocument).documents[0] as DocumentOk;
      expect(doc.tokens).toHaveLength(3000);
      for (const [layer, l] of doc.layers.entries()) {
        expect(l.log_norms).toHaveLength(3000);
        expect(l.fit.nobs).toBe(2997);
        expect(l.log_norms).toEqual(Array.from(taps.logNorms.block[layer]!));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
