// A Hugging Face cache laid out by hand in a temporary HOME (as Python leaves it: blobs, relative symlinks — one
// through a chain of two — refs/main, plus an older incomplete snapshot) is found, loaded and analyzed with the
// network unreachable: fetch is replaced by a function that fails the test if anything calls it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/result.js';
import { computeTaps, fitLayers } from '../../electron/core/analysis/index.js';
import { loadModel } from '../../electron/core/model/index.js';
import { findCachedSnapshot, listModels, resolveModel, scanHubCache } from '../../electron/core/models/index.js';
import { tinyAExpected, tinyAModel, worstAbsolute, worstRelative } from '../analysis/fixtures.js';
import { gitBlobSha1, sha256 } from './fake-hub.js';
import { testWorld, type TestWorld } from './env.js';

const COMMIT = '607a30d783dfa663caf39e06633721c8d4cfcd7e';
const OLD_COMMIT = '11c5a3d5811f50298f278a704980280950aedb10';
let world: TestWorld;
const fetchCalls: string[] = [];

/** Writes models--ORG--NAME with one complete snapshot (symlinks, model.safetensors through a chain of two) and an
 * older one that lacks the weights, as an interrupted Python download leaves it. */
function layCache(hub: string, repo: string, modelDir: string): string {
  const root = path.join(hub, `models--${repo.replace('/', '--')}`);
  fs.mkdirSync(path.join(root, 'blobs'), { recursive: true });
  const snap = path.join(root, 'snapshots', COMMIT);
  fs.mkdirSync(snap, { recursive: true });
  for (const name of fs.readdirSync(modelDir)) {
    const data = fs.readFileSync(path.join(modelDir, name));
    const etag = name.endsWith('.safetensors') ? sha256(data) : gitBlobSha1(data);
    fs.writeFileSync(path.join(root, 'blobs', etag), data);
    if (name === 'model.safetensors') {
      fs.symlinkSync(`../blobs/${etag}`, path.join(root, 'snapshots', 'weights-link'));
      fs.symlinkSync('../weights-link', path.join(snap, name));
    } else {
      fs.symlinkSync(`../../blobs/${etag}`, path.join(snap, name));
    }
  }
  const old = path.join(root, 'snapshots', OLD_COMMIT);
  fs.mkdirSync(old);
  fs.symlinkSync(path.relative(old, fs.realpathSync(path.join(snap, 'config.json'))), path.join(old, 'config.json'));
  fs.mkdirSync(path.join(root, 'refs'));
  fs.writeFileSync(path.join(root, 'refs', 'main'), COMMIT);
  return snap;
}

beforeAll(() => {
  world = testWorld('cache', { HF_ENDPOINT: 'http://127.0.0.1:9' });
  vi.stubGlobal('fetch', (url: unknown) => {
    fetchCalls.push(String(url));
    return Promise.reject(new TypeError('network unreachable in this test'));
  });
});

afterAll(() => {
  vi.unstubAllGlobals();
  world.restore();
});

describe('the Hugging Face cache, offline', () => {
  it('finds, loads and analyzes a GPT-2 laid out in ~/.cache/huggingface/hub', async () => {
    const snap = layCache(world.hubCache, 'openai-community/gpt2', tinyAModel());
    const resolved = await resolveModel();
    expect(resolved).toMatchObject({ dir: snap, name: 'gpt2', source: 'hf-cache', revision: COMMIT, demo: false });

    const expected = tinyAExpected();
    const model = await loadModel(resolved.dir, { providers: ['cpu'] });
    try {
      for (const [name, doc] of Object.entries(expected.documents)) {
        const taps = await computeTaps(model, doc.text);
        expect(taps.tokens.map((t) => t.id), name).toEqual(doc.ids);
        for (let layer = 0; layer < 3; layer++) {
          // float32 activations against PyTorch's: 1e-4 absolute, the engine's own tolerance
          expect(worstAbsolute(taps.logNorms.attn[layer]!, doc.taps[`h.${layer}.attn`]!.log_norms), `${name} h.${layer}.attn`).toBeLessThan(1e-4);
        }
        const fits = fitLayers(taps, DEFAULT_SETTINGS);
        for (const fit of fits) {
          const ar2 = doc.taps[fit.tap]!.ar2 as { params: number[]; nobs: number };
          expect(fit.fit.nobs).toBe(ar2.nobs);
          expect(worstRelative(fit.fit.params, ar2.params).rel, `${name} ${fit.tap} params`).toBeLessThan(1e-3);
        }
      }
    } finally {
      await model.dispose();
    }
    expect(fetchCalls).toEqual([]);
  });

  it('HF_HOME, XDG_CACHE_HOME and HF_HUB_CACHE move the cache as in huggingface_hub', async () => {
    const base = path.join(world.root, 'elsewhere');
    const cases: [Record<string, string>, string][] = [
      [{ XDG_CACHE_HOME: path.join(base, 'xdg') }, path.join(base, 'xdg', 'huggingface', 'hub')],
      [{ XDG_CACHE_HOME: path.join(base, 'xdg'), HF_HOME: path.join(base, 'hf-home') }, path.join(base, 'hf-home', 'hub')],
      [{ HF_HOME: path.join(base, 'hf-home'), HF_HUB_CACHE: path.join(base, 'hub-cache') }, path.join(base, 'hub-cache')],
    ];
    for (const [vars, hub] of cases) {
      Object.assign(process.env, vars);
      const snap = layCache(hub, 'distilbert/distilgpt2', tinyAModel());
      expect(await findCachedSnapshot(['distilbert/distilgpt2'])).toEqual({ repo: 'distilbert/distilgpt2', commit: COMMIT, dir: snap });
      for (const v of Object.keys(vars)) delete process.env[v];
    }
    expect(fetchCalls).toEqual([]);
  });

  it('a cache with real files instead of symlinks (Windows without symlinks) and a legacy models--gpt2 folder is found', async () => {
    Object.assign(process.env, { HF_HUB_CACHE: path.join(world.root, 'plain') });
    const snap = path.join(world.root, 'plain', 'models--gpt2', 'snapshots', COMMIT);
    fs.cpSync(tinyAModel(), snap, { recursive: true });
    expect(await resolveModel('gpt2')).toMatchObject({ dir: snap, name: 'gpt2', revision: COMMIT });
    const listed = (await listModels()).find((m) => m.name === 'gpt2')!;
    expect(listed).toMatchObject({ status: 'installed', repo: 'gpt2', dir: snap, revision: COMMIT, isDefault: true });
    expect(listed.diskBytes).toBe(fs.readdirSync(snap).reduce((a, f) => a + fs.statSync(path.join(snap, f)).size, 0));
    delete process.env.HF_HUB_CACHE;
    expect(fetchCalls).toEqual([]);
  });

  it('an incomplete snapshot is not offered; list says what it lacks', async () => {
    Object.assign(process.env, { HF_HUB_CACHE: path.join(world.root, 'partial') });
    const old = path.join(world.root, 'partial', 'models--openai-community--gpt2-medium', 'snapshots', OLD_COMMIT);
    fs.mkdirSync(old, { recursive: true });
    fs.copyFileSync(path.join(tinyAModel(), 'config.json'), path.join(old, 'config.json'));
    expect(await findCachedSnapshot(['openai-community/gpt2-medium'])).toBeNull();
    const listed = (await listModels()).find((m) => m.name === 'gpt2-medium')!;
    expect(listed.status).toBe('incomplete');
    expect(listed.note).toMatch(/lacks model\.safetensors, tokenizer\.json/);
    delete process.env.HF_HUB_CACHE;
  });

  it('other GPT-2s in a cache are listed under their hub id; models of other architectures are not', async () => {
    const other = path.join(world.root, 'other-cache');
    const snap = layCache(other, 'someone/gpt2-finetune', tinyAModel());
    const bert = path.join(other, 'models--google--bert-tiny', 'snapshots', COMMIT);
    fs.cpSync(tinyAModel(), bert, { recursive: true });
    fs.writeFileSync(path.join(bert, 'config.json'), JSON.stringify({ model_type: 'bert' }));
    const found = await scanHubCache(other);
    expect(found.map((m) => [m.name, m.kind, m.status, m.dir, m.revision])).toEqual([['someone/gpt2-finetune', 'cached', 'installed', snap, COMMIT]]);
    process.env.HF_HUB_CACHE = other;
    expect((await listModels()).filter((m) => m.kind === 'cached').map((m) => m.name)).toEqual(['someone/gpt2-finetune']);
    delete process.env.HF_HUB_CACHE;
    expect(fetchCalls).toEqual([]);
  });
});
