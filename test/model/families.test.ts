// Every family against its float64 reference (test/model/families/reference.py, written from the Hugging Face module
// definitions; its outputs committed as expected.json): each tap's log norm within 1e-4 on the CPU's gqa and standard
// graphs, and the notebook's AR(2) fitted by the analysis pipeline from those norms.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../electron/core/analysis/index.js';
import { loadModel, type Gpt2Model } from '../../electron/core/model/index.js';
import { DEFAULT_SETTINGS, type DocumentOk } from '../../shared/result.js';
import { familyFolder } from './families/folders.js';
import { sha256 } from './helpers.js';

interface Expected { ids: number[]; weights_sha256: Record<string, string>; log_norms: Record<string, number[]>; ar2_params: Record<string, number[]> }
const expected = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'families/expected.json'), 'utf8')) as Record<string, Expected>;

const models: Gpt2Model[] = [];
afterAll(async () => {
  await Promise.all(models.map((m) => m.dispose()));
});

function worstLogDiff(norms: Map<string, Float32Array>, e: Expected): { diff: number; at: string } {
  let worst = { diff: 0, at: '' };
  for (const [tap, want] of Object.entries(e.log_norms)) {
    const got = norms.get(tap)!;
    for (let t = 0; t < want.length; t++) {
      const d = Math.abs(Math.log(got[t]!) - want[t]!);
      if (!(d <= worst.diff)) worst = { diff: d, at: `${tap} token ${t}` };
    }
  }
  return worst;
}

describe.each(Object.keys(expected))('%s against its float64 reference', (name) => {
  const e = expected[name]!;
  const dir = familyFolder(name);

  it('the generator writes the weights the reference read, byte for byte', () => {
    for (const [file, sha] of Object.entries(e.weights_sha256)) expect(sha256(path.join(dir, file)), file).toBe(sha);
  });

  it.each(['gqa', 'standard'] as const)('every tap\'s log norm within 1e-4 on the %s graph', async (variant) => {
    const model = await loadModel(dir, { provider: 'cpu', variants: { cpu: variant } });
    models.push(model);
    const r = await model.forward(e.ids, { norms: Object.keys(e.log_norms) });
    const worst = worstLogDiff(r.norms, e);
    expect(worst.diff, worst.at).toBeLessThan(1e-4);
  });

  it('the analysis pipeline\'s AR(2) fits match the reference\'s OLS on its own log norms', async () => {
    const model = await loadModel(dir, { provider: 'cpu' });
    models.push(model);
    const text = path.join(dir, 'doc.txt');
    fs.writeFileSync(text, e.ids.map((id) => `w${id}`).join(' '));
    const [{ result }] = await analyzeFiles(model, [text], DEFAULT_SETTINGS);
    expect(result!.status).toBe('ok');
    const doc = result as DocumentOk;
    expect(doc.tokens.map((t) => t.id)).toEqual(e.ids);
    expect(doc.layers.map((l) => l.tap)).toEqual(Object.keys(e.log_norms).filter((t) => t.endsWith('.attn')));
    // log norms agree to ~1e-6; on 21 observations the coefficients carry that at most a few hundredfold
    for (const layer of doc.layers) expect(Math.max(...layer.fit.params.map((p, k) => Math.abs(p - e.ar2_params[layer.tap]![k]!))), layer.tap).toBeLessThan(1e-3);
  });
});
