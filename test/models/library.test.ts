// importModel / removeModel / setDefaultModel: a folder is checked by the engine before it is registered, a bad one
// is refused with the engine's typed error and leaves the settings untouched; imports are read in place.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNormscopeError, type NormscopeError } from '../../electron/core/errors.js';
import { getDefaultModel, importModel, listModels, modelSettingsPath, removeModel, resolveModel, setDefaultModel } from '../../electron/core/models/index.js';
import { tinyAModel } from '../analysis/fixtures.js';
import { testWorld, type TestWorld } from './env.js';

let world: TestWorld;

async function rejection(p: Promise<unknown>): Promise<NormscopeError> {
  const e = await p.then(() => null, (err: unknown) => err);
  if (!isNormscopeError(e)) throw new Error(`expected a NormscopeError, got ${String(e)}`);
  return e;
}

/** Elements of every tensor a safetensors file holds, read from its header. */
function safetensorsElements(file: string): number {
  const buf = fs.readFileSync(file);
  const header = JSON.parse(buf.subarray(8, 8 + Number(buf.readBigUInt64LE(0))).toString('utf8')) as Record<string, { shape?: number[] }>;
  return Object.entries(header).filter(([k]) => k !== '__metadata__').reduce((a, [, t]) => a + t.shape!.reduce((x, y) => x * y, 1), 0);
}

/** A copy of the tiny-a folder, changed by `spoil`. */
function folder(name: string, spoil: (dir: string) => void = () => {}): string {
  const dir = path.join(world.root, 'models', name);
  fs.cpSync(tinyAModel(), dir, { recursive: true });
  spoil(dir);
  return dir;
}

beforeEach(() => {
  world = testWorld('library');
});

afterEach(() => world.restore());

describe('importModel(dir, { name })', () => {
  it('registers a valid folder in place under its name; resolveModel and listModels then know it', async () => {
    const dir = folder('my-gpt2');
    const r = await importModel(dir);
    expect(r).toMatchObject({ name: 'my-gpt2', dir, config: { n_layer: 3, n_head: 4, n_embd: 32, n_positions: 256 } });
    expect(r.bytes).toBe(fs.statSync(path.join(dir, 'model.safetensors')).size);
    expect(await resolveModel('my-gpt2')).toMatchObject({ dir, name: 'my-gpt2', source: 'imported', revision: null, demo: false });
    const listed = (await listModels()).find((m) => m.name === 'my-gpt2')!;
    expect(listed).toMatchObject({ kind: 'imported', status: 'installed', dir, shape: { n_layer: 3, n_head: 4, n_embd: 32, n_positions: 256 } });
    expect(listed.params).toBe(safetensorsElements(path.join(dir, 'model.safetensors')));
    const saved = JSON.parse(fs.readFileSync(modelSettingsPath(), 'utf8')) as { imported: Record<string, { dir: string }> };
    expect(saved.imported['my-gpt2']!.dir).toBe(dir);
  });

  it.each([
    ['a missing tokenizer', (d: string) => fs.rmSync(path.join(d, 'tokenizer.json')), 'MISSING_TOKENIZER', /no tokenizer/],
    ['a missing config', (d: string) => fs.rmSync(path.join(d, 'config.json')), 'MODEL_NOT_FOUND', /config\.json/],
    [
      'a non-GPT-2 config',
      (d: string) => fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 32, num_hidden_layers: 3 })),
      'UNSUPPORTED_MODEL',
      /"bert" is not a supported family/,
    ],
    [
      'a truncated safetensors file',
      (d: string) => {
        const f = path.join(d, 'model.safetensors');
        fs.truncateSync(f, Math.floor(fs.statSync(f).size / 2));
      },
      'BAD_SAFETENSORS',
      /model\.safetensors/,
    ],
  ])('refuses a folder with %s, registering nothing', async (_what, spoil, code, message) => {
    const dir = folder('bad', spoil);
    const e = await rejection(importModel(dir, { name: 'bad' }));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(fs.existsSync(modelSettingsPath())).toBe(false);
    expect((await rejection(resolveModel('bad'))).code).toBe('MODEL_NOT_FOUND');
  });

  it('refuses names that would shadow a built-in model, bad names and a name already taken by another folder', async () => {
    const dir = folder('x');
    expect((await rejection(importModel(dir, { name: 'gpt2' }))).code).toBe('BAD_INPUT');
    expect((await rejection(importModel(dir, { name: 'demo' }))).code).toBe('BAD_INPUT');
    expect((await rejection(importModel(dir, { name: 'a/b' }))).message).toMatch(/cannot name a model/);
    await importModel(dir, { name: 'mine' });
    const other = folder('y');
    expect((await rejection(importModel(other, { name: 'mine' }))).message).toMatch(/already imported from/);
    expect((await importModel(dir, { name: 'mine' })).dir).toBe(dir);
  });

  it('a folder that moved away is listed as missing and does not resolve', async () => {
    const dir = folder('moving');
    await importModel(dir);
    fs.renameSync(dir, dir + '-moved');
    expect((await listModels()).find((m) => m.name === 'moving')!.status).toBe('missing');
    expect((await rejection(resolveModel('moving'))).message).toMatch(/no longer there/);
  });
});

describe('removeModel(name) and setDefaultModel(name)', () => {
  it('removing an import forgets it and its default status, and leaves its folder alone', async () => {
    const dir = folder('keep-me');
    await importModel(dir);
    expect(await setDefaultModel('keep-me')).toBe('keep-me');
    expect((await resolveModel()).dir).toBe(dir);
    expect(await removeModel('keep-me')).toMatchObject({ removed: 'import', freedBytes: 0 });
    expect(fs.existsSync(path.join(dir, 'model.safetensors'))).toBe(true);
    expect(await getDefaultModel()).toBeNull();
  });

  it('removing a cached model deletes its repository folder from the cache', async () => {
    process.env.HF_HUB_CACHE = path.join(world.root, 'hub');
    const snap = path.join(world.root, 'hub', 'models--distilbert--distilgpt2', 'snapshots', 'c'.repeat(40));
    fs.cpSync(tinyAModel(), path.join(world.root, 'hub', 'models--distilbert--distilgpt2', 'blobs'), { recursive: true });
    fs.mkdirSync(snap, { recursive: true });
    for (const f of fs.readdirSync(tinyAModel())) fs.symlinkSync(`../../blobs/${f}`, path.join(snap, f));
    await setDefaultModel('distilgpt2');
    const blobBytes = fs.readdirSync(tinyAModel()).reduce((a, f) => a + fs.statSync(path.join(tinyAModel(), f)).size, 0);
    const r = await removeModel('distilbert/distilgpt2');
    expect(r).toMatchObject({ name: 'distilgpt2', removed: 'cache', freedBytes: blobBytes });
    expect(fs.existsSync(path.join(world.root, 'hub', 'models--distilbert--distilgpt2'))).toBe(false);
    expect(await getDefaultModel()).toBeNull();
    expect((await rejection(removeModel('distilgpt2'))).code).toBe('MODEL_NOT_FOUND');
  });

  it('the demo cannot be removed; a default must resolve when it is set', async () => {
    expect((await rejection(removeModel('demo'))).code).toBe('BAD_INPUT');
    expect((await rejection(setDefaultModel('gpt2-xl'))).message).toMatch(/normscope models pull gpt2-xl/);
    expect(await getDefaultModel()).toBeNull();
  });

  it('a damaged settings file is reported, not overwritten', async () => {
    fs.mkdirSync(world.settingsDir, { recursive: true });
    fs.writeFileSync(modelSettingsPath(), '{ "imported": ');
    const e = await rejection(importModel(folder('z')));
    expect(e.message).toMatch(/models\.json is damaged/);
    expect(fs.readFileSync(modelSettingsPath(), 'utf8')).toBe('{ "imported": ');
  });
});
