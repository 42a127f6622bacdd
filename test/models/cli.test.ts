// `normscope models …` in-process: results on stdout, progress and errors on stderr, exit 0 / 1 / 2.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModelListing } from '../../electron/core/models/index.js';
import { tinyAModel } from '../analysis/fixtures.js';
import { COMMIT, FakeHub, repoFiles, type HubFile } from './fake-hub.js';
import { testWorld, type TestWorld } from './env.js';
import { runModels as run } from './helpers.js';

let world: TestWorld;
let hub: FakeHub;
let files: Map<string, HubFile>;

beforeAll(() => {
  files = repoFiles(tinyAModel());
});

beforeEach(async () => {
  hub = await FakeHub.start();
  hub.repos.set('openai-community/gpt2', files);
  world = testWorld('cli', { HF_ENDPOINT: hub.endpoint });
  fs.cpSync(tinyAModel(), path.join(world.resources, 'demo-model'), { recursive: true });
});

afterEach(async () => {
  await hub.close();
  world.restore();
});

describe('normscope models', () => {
  it('list shows every family model as available and the demo as the one in use', async () => {
    const { code, out } = await run('list');
    expect(code).toBe(0);
    expect(out).toMatch(/^ {2}NAME +STATUS +FAMILY +PARAMS +DTYPE +SIZE +MEMORY +WHERE$/m);
    expect(out).toMatch(/^ {2}gpt2-xl +available +gpt2 +1\.56B +– +≈6\.43 GB +[\d.]+ GB +openai-community\/gpt2-xl · pull to download$/m);
    // the suggested models of the other families, with the gated ones saying what a pull needs
    expect(out).toMatch(/^ {2}EleutherAI\/pythia-160m +available +gpt_neox +124M +– +≈[\d.]+ MB +[\d.]+ GB +EleutherAI\/pythia-160m · pull to download$/m);
    expect(out).toMatch(/^ {2}meta-llama\/Llama-3\.2-1B +available +llama +1\.24B .*accept the licence on the hub, then set HF_TOKEN/m);
    expect(out).toMatch(/^\* demo +installed .*random weights/m);
    expect(out).toContain(`cache: ${world.hubCache}`);
    const json = JSON.parse((await run('list', '--json')).out) as ModelListing[];
    expect(json.map((m) => m.name)).toEqual([
      'gpt2', 'gpt2-medium', 'gpt2-large', 'gpt2-xl', 'distilgpt2', 'EleutherAI/pythia-160m', 'HuggingFaceTB/SmolLM2-135M', 'Qwen/Qwen2.5-0.5B',
      'Qwen/Qwen3-0.6B', 'meta-llama/Llama-3.2-1B', 'google/gemma-3-270m', 'google/gemma-2-2b', 'demo',
    ]);
  });

  it('pull downloads with progress on stderr; list then shows gpt2 installed and in use', async () => {
    hub.trickle = { chunk: 1 << 20, delayMs: 5 };
    const { code, out, err } = await run('pull', 'gpt2');
    expect(code).toBe(0);
    expect(out).toBe(`gpt2: openai-community/gpt2 @ ${COMMIT} in ${path.join(world.hubCache, 'models--openai-community--gpt2', 'snapshots', COMMIT)}\n`);
    expect(err).toMatch(/openai-community\/gpt2: resolving\n/);
    expect(err).toMatch(/openai-community\/gpt2: model\.safetensors {2}\d+% {2}[\d.]+ (B|kB|MB) of [\d.]+ MB {2}(–|[\d.]+ [kMG]?B)\/s {2}ETA /);
    expect(err).toMatch(/downloaded [\d.]+ MB \(4 files\)/);
    // an installed model is described by its own files: tiny-a's 3 layers of width 32, float32 weights
    expect((await run('list')).out).toMatch(/^\* gpt2 +installed +gpt2 +2M +f32 +[\d.]+ MB +[\d.]+ MB +Hugging Face cache: openai-community\/gpt2 @ aaaaaaa$/m);
    expect((await run('pull', 'gpt2')).err).toMatch(/already in the cache, nothing downloaded/);
  });

  it('import, default, remove: a folder is registered, made the default, and forgotten', async () => {
    const dir = path.join(world.root, 'local-gpt2');
    fs.cpSync(tinyAModel(), dir, { recursive: true });
    const imported = await run('import', dir, '--name', 'lab');
    expect(imported).toMatchObject({ code: 0, out: `lab: imported ${dir} (gpt2, 3 layers, 4 heads, 32 wide, 6.6 MB of weights), read in place\n` });
    const d = await run('default', 'lab');
    expect(d.code).toBe(0);
    expect(d.out).toBe(`default: lab\nin use when no model is named: lab (imported from ${dir})\n`);
    expect((await run('remove', 'lab')).out).toBe(`lab: forgotten (its folder ${dir} is untouched)\n`);
    expect((await run('default')).out).toMatch(/^default: \(not set/);
  });

  it('exit 2 for bad usage and unusable models, 1 for failed downloads', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('frobnicate')).err).toMatch(/unknown models command 'frobnicate'/);
    expect((await run('list', '--bogus')).code).toBe(2);
    expect((await run('pull')).code).toBe(2);
    expect((await run('pull', 'gpt3')).code).toBe(2);
    const bad = path.join(world.root, 'no-tokenizer');
    fs.cpSync(tinyAModel(), bad, { recursive: true });
    fs.rmSync(path.join(bad, 'tokenizer.json'));
    const imp = await run('import', bad);
    expect(imp).toMatchObject({ code: 2, out: '' });
    expect(imp.err).toMatch(/has no tokenizer/);
    const missing = await run('pull', 'someone/absent');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/repository someone\/absent not found on the hub \(HTTP 404\)/);
  });
});
