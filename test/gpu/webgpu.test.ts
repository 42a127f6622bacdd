// The WebGPU provider on this machine's adapter (lavapipe on CI): forced, it reproduces the tiny-a reference for every
// tap; a deliberately wrong GPU graph is refused by the probe; auto passes over a software adapter; the verdict cache
// spares the second load its probe.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITES, tapsOf } from '../../shared/taps.js';
import { loadModel, type Gpt2Model } from '../../electron/core/model/index.js';
import { verdictFile } from '../../electron/core/model/verdicts.js';
import { VERSION } from '../../electron/core/version.js';
import { tempDir, tinyAExpected, tinyAModel } from '../analysis/fixtures.js';
import { hasWebGpu } from './webgpu-adapter.js';

const expected = tinyAExpected();
const TAPS = SITES.flatMap((s) => tapsOf(3, s));
const REFUSED = /^webgpu: refused for this model: its log norms differ from the CPU's by (\S+) at (h\.\d(?:\.attn|\.mlp)?), token (\d+) of a (\d+)-token probe \(limit 1e-4\)/;
const SLOWER = /^webgpu: not chosen by auto: it runs at ([\d.]+)× the CPU's speed on (?:a 1\.1-GFLOP MatMul probe|a 256-token probe) \([\d.]+ ms against [\d.]+ ms\), as a software adapter \(lavapipe, SwiftShader\) or a GPU slower than this CPU does/;

describe.runIf(hasWebGpu)('WebGPU on this machine (tiny-a)', () => {
  let dir: string;
  /** the verdict cache's folder, fresh for this file */
  let home: string;
  beforeAll(() => {
    dir = tinyAModel();
    home = tempDir('gpu-home');
  });

  describe('forced (provider: webgpu)', () => {
    let model: Gpt2Model;
    beforeAll(async () => {
      model = await loadModel(dir, { provider: 'webgpu', verdictsDir: home });
    });
    afterAll(() => model?.dispose());

    it('runs on webgpu after the parity probe, and says so', () => {
      expect(model.executionProvider).toBe('webgpu');
      expect(model.providerProbe.probed).toEqual(['webgpu']);
      expect(model.providerReason).toMatch(/^webgpu, as asked: it reproduces the CPU's log norms within \S+ at 3 probe lengths; it runs at [\d.]+× the CPU's speed on a 256-token probe$/);
      expect(model.providerNotes).toEqual([]);
    });

    for (const [name, doc] of Object.entries(expected.documents)) {
      it(`${name}: every tap's log norms match Hugging Face's within 1e-4`, async () => {
        const r = await model.forward(doc.ids, { norms: TAPS });
        for (const tap of TAPS) {
          const got = Array.from(r.norms.get(tap)!, Math.log);
          const want = doc.taps[tap]!.log_norms;
          expect(got).toHaveLength(want.length);
          const worst = Math.max(...got.map((v, t) => Math.abs(v - want[t]!)));
          expect(worst, tap).toBeLessThanOrEqual(1e-4);
        }
      });
    }

    it('a second load takes the verdict from the cache and probes nothing', async () => {
      const again = await loadModel(dir, { provider: 'webgpu', sites: ['attn'], verdictsDir: home });
      try {
        expect(again.executionProvider).toBe('webgpu');
        expect(again.providerProbe).toEqual({ probed: [], ms: 0 });
        expect(again.providerReason).toMatch(/ \(verdict cached \d{4}-\d\d-\d\d\)$/);
        const cache = JSON.parse(fs.readFileSync(verdictFile(home), 'utf8'));
        const v = Object.values(cache.verdicts as Record<string, Record<string, unknown>>).find((x) => x.provider === 'webgpu' && x.variant === 'standard')!;
        expect(v).toMatchObject({ parity: 'pass', lengths: [256, 1, 37], normscope: VERSION, onnxruntime: '1.30.0',
          model_sha256: 'de638acb897cbbc9cb118f7ee4690d6c3593d0e48b21d904116bc07d7ffcd1d4' });
        // keyed by provider, graph variant, model sha256, normscope version and onnxruntime version
        expect(Object.keys(cache.verdicts)).toContain(`webgpu standard de638acb897cbbc9cb118f7ee4690d6c3593d0e48b21d904116bc07d7ffcd1d4 ${VERSION} 1.30.0`);
      } finally {
        await again.dispose();
      }
    });

    it('a verdict made by another normscope or onnxruntime version is not used: the probe runs again', async () => {
      const file = verdictFile(home);
      const cache = JSON.parse(fs.readFileSync(file, 'utf8')) as { verdicts: Record<string, unknown> };
      // the key ends "<normscope> <onnxruntime>": what another version would have written
      cache.verdicts = Object.fromEntries(Object.entries(cache.verdicts).map(([k, v]) => [k.replace(/ \S+ \S+$/, ' 0.0.0-older 1.29.0'), v]));
      fs.writeFileSync(file, JSON.stringify(cache));
      const again = await loadModel(dir, { provider: 'webgpu', sites: ['attn'], verdictsDir: home });
      try {
        expect(again.providerProbe.probed).toEqual(['webgpu']);
        expect(again.providerReason).not.toContain('verdict cached');
      } finally {
        await again.dispose();
      }
    });
  });

  // onnxruntime 1.30's WebGPU contrib Attention is 0.05–0.1 off in log norm: a real wrong result for the probe to catch
  it('refuses a deliberately wrong GPU result: the fused graph on WebGPU, forced, is a PROVIDER_REFUSED naming tap, token and difference', async () => {
    const err = await loadModel(dir, { provider: 'webgpu', variants: { webgpu: 'fused' }, verdictsDir: home }).then(() => null, (e: unknown) => e as Error & { code: string });
    expect(err).toMatchObject({ code: 'PROVIDER_REFUSED', message: expect.stringMatching(/^provider webgpu was asked for and cannot be used: webgpu: refused/) });
    const m = err!.message.replace(/^provider webgpu was asked for and cannot be used: /, '').match(REFUSED)!;
    expect(m, err!.message).not.toBeNull();
    expect(Number(m[1])).toBeGreaterThan(1e-4);
    expect(TAPS).toContain(m[2]);
    expect(Number(m[3])).toBeLessThan(Number(m[4]));
  });

  it('a refusal is cached too: the next forced load fails at once, saying so', async () => {
    const err = await loadModel(dir, { provider: 'webgpu', variants: { webgpu: 'fused' }, verdictsDir: home }).then(() => null, (e: unknown) => e as Error & { code: string });
    expect(err).toMatchObject({ code: 'PROVIDER_REFUSED', message: expect.stringMatching(/ \(limit 1e-4\) \(verdict cached \d{4}-\d\d-\d\d\)$/) });
  });

  it('auto does not pick the software adapter: slower than the CPU on the timing probe, said in the notes', async () => {
    const autoHome = tempDir('gpu-home-auto');
    const model = await loadModel(dir, { verdictsDir: autoHome });
    try {
      expect(model.executionProvider).toBe('cpu');
      expect(model.providerProbe.probed).toEqual(['webgpu']);
      expect(model.providerReason).toBe('cpu, chosen by auto: no GPU provider passed (see the notes)');
      const note = model.providerNotes.find((n) => n.startsWith('webgpu:'))!;
      expect(note).toMatch(SLOWER);
      expect(Number(note.match(SLOWER)![1])).toBeLessThan(1);
    } finally {
      await model.dispose();
    }
    const again = await loadModel(dir, { verdictsDir: autoHome });
    try {
      expect(again.providerProbe.probed).toEqual([]);
      expect(again.providerNotes.find((n) => n.startsWith('webgpu:'))).toMatch(/ \(verdict cached \d{4}-\d\d-\d\d\)$/);
    } finally {
      await again.dispose();
    }
  });
});
