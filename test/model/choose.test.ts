// chooseSession's order of work under `auto`: the model-independent adapter screen (from its cached verdict here, so no
// GPU is needed) decides before the weights are hashed, so a machine whose adapter is refused never reads them; and the
// verdicts live in the folder the engine's caller gives, never in one the engine finds on its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adapterScreenKey, chooseSession, type ChooseContext } from '../../electron/core/model/choose.js';
import { unavailable } from '../../electron/core/model/providers.js';
import type { TapSession } from '../../electron/core/model/session.js';
import type { ExecutionProvider } from '../../electron/core/model/types.js';
import { VerdictCache, verdictFile } from '../../electron/core/model/verdicts.js';
import { loadModel } from '../../electron/core/model/index.js';
import { familyFolder } from './families/folders.js';
import { sha256 } from './helpers.js';

/** the verdict cache's folder, fresh for each test */
let home: string;
let weights: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-choose-'));
  weights = path.join(home, 'model.onnx');
  fs.writeFileSync(weights, Buffer.alloc(1 << 20, 7));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

/** A context whose sessions are stand-ins: the CPU one opens, a GPU one fails to start (as on a machine without one). */
function context(): { ctx: ChooseContext; opened: string[] } {
  const opened: string[] = [];
  const session = (provider: ExecutionProvider): TapSession => ({
    provider, inputNames: [], outputNames: [],
    run: async () => new Map(), runRows: async () => new Map(), release: async () => undefined,
  });
  const ctx: ChooseContext = {
    choice: 'auto',
    candidates: ['webgpu', 'cpu'],
    variant: () => 'gqa',
    modelFile: weights,
    verdicts: new VerdictCache(home),
    shape: { nPositions: 64, vocabSize: 100 },
    probeFetch: ['h.0.attn.norm'],
    requestIsProbe: true,
    open: async (p, set) => {
      opened.push(`${p}:${set}`);
      if (p !== 'cpu') throw new Error('no adapter');
      return session(p);
    },
  };
  return { ctx, opened };
}

const screen = (gpu_ms: number, cpu_ms: number) =>
  new VerdictCache(home).store(
    adapterScreenKey('webgpu', 'gqa'),
    { parity: 'unchecked', lengths: [], worst: null, speed: { length: 128, gpu_ms, cpu_ms, probe: 'matmul' }, probe_ms: 1 },
  );
const hashesKept = () => Object.keys(JSON.parse(fs.readFileSync(verdictFile(home), 'utf8')).hashes);

describe('chooseSession under auto', () => {
  it('this build has the bundled WebGPU provider (what the screen is for)', () => {
    expect(unavailable('webgpu')).toBeNull();
  });

  it('an adapter the screen refuses (20× slower than the CPU on MatMul): the CPU, and the weights are never hashed', async () => {
    await screen(100, 5);
    const { ctx, opened } = context();
    const chosen = await chooseSession(ctx);
    expect(chosen.session.provider).toBe('cpu');
    expect(chosen.modelSha).toBeNull();
    expect(chosen.notes).toEqual([expect.stringMatching(/^webgpu: .*slower.*\(verdict cached \d{4}-\d\d-\d\d\)$/)]);
    expect(opened).toEqual(['cpu:request']);
    expect(hashesKept()).toEqual([]);
  });

  it('an adapter the screen passes: the weights are hashed (once, remembered) for the model\'s own probe', async () => {
    await screen(1, 5);
    const { ctx, opened } = context();
    const chosen = await chooseSession(ctx);
    expect(chosen.modelSha).toBe(sha256(weights));
    expect(chosen.session.provider).toBe('cpu');
    expect(chosen.notes).toEqual(['webgpu: could not start: no adapter']);
    expect(opened).toEqual(['webgpu:probe', 'cpu:request']);
    expect(hashesKept()).toEqual([fs.realpathSync(weights)]);
  });
});

describe('the verdict cache\'s folder is the caller\'s', () => {
  it('a load keeps the weights\' hash in the verdictsDir it is given; without one, nothing is written to NORMSCOPE_HOME', async () => {
    const dir = familyFolder('llama-gqa-f32-tied');
    const weightsFile = fs.realpathSync(path.join(dir, 'model.safetensors'));
    const model = await loadModel(dir, { provider: 'cpu', verdictsDir: home });
    expect((await model.hashes()).model).toBe(sha256(weightsFile));
    await model.dispose();
    expect(hashesKept()).toEqual([weightsFile]);

    const saved = process.env.NORMSCOPE_HOME;
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-choose-env-'));
    process.env.NORMSCOPE_HOME = other;
    try {
      const alone = await loadModel(dir, { provider: 'cpu' });
      expect((await alone.hashes()).model).toBe(sha256(weightsFile));
      await alone.dispose();
      expect(fs.readdirSync(other)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.NORMSCOPE_HOME;
      else process.env.NORMSCOPE_HOME = saved;
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
