// The standard graph of the rotary families on this machine's WebGPU adapter (lavapipe on CI), forced: it passes the
// parity probe against the CPU and reproduces the float64 reference (test/model/families) for every tap within 1e-4.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../electron/core/model/index.js';
import { tempDir } from '../analysis/fixtures.js';
import { familyFolder } from '../model/families/folders.js';
import { hasWebGpu } from './webgpu-adapter.js';

const expected = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../model/families/expected.json'), 'utf8')) as
  Record<string, { ids: number[]; log_norms: Record<string, number[]> }>;

describe.runIf(hasWebGpu)('WebGPU (standard graph) on the families', () => {
  // a fresh verdict cache: each family's parity probe runs here
  let home: string;
  beforeAll(() => {
    home = tempDir('gpu-families-home');
  });

  it.each(['llama-gqa-f32-tied', 'qwen3-qknorm-f16', 'neox-parallel-partial', 'gemma2-softcap-window', 'gemma3-qknorm-local-rope'])(
    '%s: every tap within 1e-4 of the reference', async (name) => {
      const e = expected[name]!;
      const model = await loadModel(familyFolder(name), { provider: 'webgpu', verdictsDir: home });
      try {
        expect(model.executionProvider).toBe('webgpu');
        const r = await model.forward(e.ids, { norms: Object.keys(e.log_norms) });
        for (const [tap, want] of Object.entries(e.log_norms)) {
          const got = r.norms.get(tap)!;
          expect(Math.max(...want.map((v, t) => Math.abs(Math.log(got[t]!) - v))), tap).toBeLessThan(1e-4);
        }
      } finally {
        await model.dispose();
      }
    }, 120_000);
});
