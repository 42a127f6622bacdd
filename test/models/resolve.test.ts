// resolveModel(spec): which folder a name means, and in what order a missing name is filled in
// (default setting → GPT-2 in the Hugging Face cache, small first → the demo).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNormscopeError, type NormscopeError } from '../../electron/core/errors.js';
import { DEMO_NAME, importModel, resolveModel, setDefaultModel } from '../../electron/core/models/index.js';
import { tinyAModel } from '../analysis/fixtures.js';
import { testWorld, type TestWorld } from './env.js';

let world: TestWorld;

async function rejection(p: Promise<unknown>): Promise<NormscopeError> {
  const e = await p.then(() => null, (err: unknown) => err);
  if (!isNormscopeError(e)) throw new Error(`expected a NormscopeError, got ${String(e)}`);
  return e;
}

/** A model folder whose files link to the tiny-a model's (resolving reads no weights). */
function modelAt(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(tinyAModel())) fs.symlinkSync(path.join(tinyAModel(), f), path.join(dir, f));
  return dir;
}

/** A snapshot in ~/.cache/huggingface/hub; `main` makes refs/main point at it. */
function cached(repo: string, commit: string, main = true): string {
  const root = path.join(world.hubCache, `models--${repo.split('/').join('--')}`);
  const dir = modelAt(path.join(root, 'snapshots', commit));
  if (main) {
    fs.mkdirSync(path.join(root, 'refs'), { recursive: true });
    fs.writeFileSync(path.join(root, 'refs', 'main'), commit);
  }
  return dir;
}

const C1 = '1'.repeat(40);
const C2 = '2'.repeat(40);

beforeEach(() => {
  world = testWorld('resolve');
  modelAt(path.join(world.resources, 'demo-model'));
});

afterEach(() => world.restore());

describe('resolveModel() without a name', () => {
  it('falls back to the demo model, labelled as random weights', async () => {
    const r = await resolveModel();
    expect(r).toEqual({
      dir: path.join(world.resources, 'demo-model'), name: DEMO_NAME, source: 'demo', revision: null, demo: true,
      label: expect.stringMatching(/random weights.*not a trained GPT-2/),
    });
    expect((await resolveModel('demo')).dir).toBe(r.dir);
  });

  it('says how to get a model when not even the demo is there', async () => {
    fs.rmSync(path.join(world.resources, 'demo-model'), { recursive: true });
    const e = await rejection(resolveModel());
    expect(e.code).toBe('MODEL_NOT_FOUND');
    expect(e.message).toMatch(/demo model is missing.*npm run build/);
  });

  it('prefers a real GPT-2 from the cache, GPT-2 small over the larger ones and over distilgpt2', async () => {
    const medium = cached('openai-community/gpt2-medium', C1);
    expect(await resolveModel()).toMatchObject({ dir: medium, name: 'gpt2-medium', source: 'hf-cache', revision: C1, demo: false });
    cached('distilbert/distilgpt2', C1);
    expect((await resolveModel()).name).toBe('gpt2-medium');
    const small = cached('gpt2', C2);
    expect(await resolveModel()).toMatchObject({ dir: small, name: 'gpt2', revision: C2 });
  });

  it('the default-model setting comes first, and a default that vanished is an error that says so', async () => {
    cached('openai-community/gpt2', C1);
    const large = cached('openai-community/gpt2-large', C1);
    await setDefaultModel('gpt2-large');
    expect((await resolveModel()).dir).toBe(large);
    fs.rmSync(path.join(world.hubCache, 'models--openai-community--gpt2-large'), { recursive: true });
    const e = await rejection(resolveModel());
    expect(e.code).toBe('MODEL_NOT_FOUND');
    expect(e.message).toMatch(/default model gpt2-large is not available/);
  });
});

describe('resolveModel(spec)', () => {
  it('family names, hub ids and legacy ids name the same cached snapshot; refs/main beats a newer snapshot', async () => {
    const mainSnap = cached('openai-community/gpt2', C1);
    const newer = cached('openai-community/gpt2', C2, false);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(newer, later, later);
    for (const spec of ['gpt2', 'GPT2', 'openai-community/gpt2']) expect((await resolveModel(spec)).dir).toBe(mainSnap);
    fs.rmSync(path.join(mainSnap, 'model.safetensors'));
    // refs/main's snapshot lost its weights: the other complete one serves
    expect((await resolveModel('gpt2')).dir).toBe(newer);
  });

  it('a folder path, absolute or relative, is used as it is; one inside a cache snapshot knows its commit', async () => {
    const dir = modelAt(path.join(world.root, 'some', 'folder'));
    expect(await resolveModel(dir)).toMatchObject({ dir, name: 'folder', source: 'folder', revision: null, demo: false });
    const rel = path.relative(process.cwd(), dir);
    expect((await resolveModel(rel.startsWith('.') ? rel : `./${rel}`)).dir).toBe(dir);
    const snap = cached('someone/gpt2-finetune', C2);
    expect(await resolveModel(snap)).toMatchObject({ name: 'someone/gpt2-finetune', revision: C2, source: 'folder' });
    expect(await resolveModel('someone/gpt2-finetune')).toMatchObject({ dir: snap, name: 'someone/gpt2-finetune', source: 'hf-cache', revision: C2 });
  });

  it('an imported name wins over a folder of the same name in the working directory', async () => {
    const imported = modelAt(path.join(world.root, 'elsewhere', 'mine'));
    await importModel(imported, { name: 'mine' });
    const cwd = process.cwd();
    const local = modelAt(path.join(world.root, 'cwd', 'mine'));
    process.chdir(path.dirname(local));
    try {
      expect(await resolveModel('mine')).toMatchObject({ dir: imported, source: 'imported' });
      expect((await resolveModel('./mine')).dir).toBe(local);
    } finally {
      process.chdir(cwd);
    }
  });

  it('unknown names and models not downloaded yet give MODEL_NOT_FOUND with what to do', async () => {
    expect((await rejection(resolveModel('gpt2-xl'))).message).toMatch(/not in the Hugging Face cache.*normscope models pull gpt2-xl/);
    expect((await rejection(resolveModel('org/absent'))).message).toMatch(/normscope models pull org\/absent/);
    const e = await rejection(resolveModel('no-such-thing'));
    expect(e.code).toBe('MODEL_NOT_FOUND');
    expect(e.message).toMatch(/gpt2, gpt2-medium, gpt2-large, gpt2-xl, distilgpt2/);
    expect((await rejection(resolveModel('/no/such/dir'))).message).toMatch(/no model folder at \/no\/such\/dir/);
  });
});
