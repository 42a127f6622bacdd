// The errors a new user meets first: each says what happened on one line and what to do on the next, with the exit
// status of the error policy (2: fix the request or the input; 1: the same command may succeed later).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { modelsCommand } from '../../electron/core/cli/models.js';
import { normscope, tempDir, tinyAModel } from '../analysis/fixtures.js';
import { closedPort, FakeHub, repoFiles } from '../models/fake-hub.js';
import { testWorld, type TestWorld } from '../models/env.js';

let dir: string;
let env: NodeJS.ProcessEnv;
let text: string;
beforeAll(() => {
  dir = tempDir('new-user-errors');
  text = path.join(dir, 'a.txt');
  fs.writeFileSync(text, 'Some text that is long enough to analyze, in principle, with the demo model.');
  // a machine with nothing installed: an empty Hugging Face cache and settings folder
  env = { HF_HUB_CACHE: path.join(dir, 'hub'), HF_HOME: path.join(dir, 'hf'), NORMSCOPE_HOME: path.join(dir, 'settings'), HF_HUB_OFFLINE: '' };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const analyze = (...args: string[]) => normscope(['analyze', ...args], { env });

describe('normscope analyze', () => {
  it('no model: a named model that is not installed', () => {
    const r = analyze('--model', 'gpt2-medium', text);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `normscope analyze: gpt2-medium is not in the Hugging Face cache (${env.HF_HUB_CACHE}): download it with \`normscope models pull gpt2-medium\`, or import a folder\n` +
        '  what to do: `normscope models list` shows the models installed and the ones to pull; --model DIR reads a model folder\n',
    );
    expect(r.status).toBe(2);
  });

  it('a model folder that does not exist', () => {
    const missing = path.join(dir, 'no-such-model');
    const r = analyze('--model', missing, text);
    expect(r.stderr).toBe(
      `normscope analyze: no model folder at ${missing}\n` +
        '  what to do: check the path: a model folder holds config.json, model.safetensors and tokenizer.json (`normscope models list` shows the installed ones)\n',
    );
    expect(r.status).toBe(2);
  });

  it('a model of a family normscope does not read', () => {
    const bert = path.join(dir, 'bert');
    fs.cpSync(tinyAModel(), bert, { recursive: true });
    const config = JSON.parse(fs.readFileSync(path.join(bert, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(bert, 'config.json'), JSON.stringify({ ...config, model_type: 'bert' }));
    const r = analyze('--model', bert, text);
    expect(r.stderr).toBe(
      `normscope analyze: ${path.join(bert, 'config.json')}: model_type "bert" is not a supported family (normscope reads gpt2, llama, mistral, qwen2, qwen3, gpt_neox, gemma2, gemma3_text, gemma3)\n` +
        '  what to do: normscope reads the model families `normscope models list` shows: choose one with --model\n',
    );
    expect(r.status).toBe(2);
  });

  it('a flag it does not know', () => {
    const r = analyze('--lag', '3', text);
    expect(r.stderr).toBe(
      "normscope analyze: Unknown option '--lag'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--lag\"\n" +
        '  what to do: run `normscope help analyze` for its options\n',
    );
    expect(r.status).toBe(2);
  });

  it('a folder with no text files, with and without --out-dir', () => {
    const empty = path.join(dir, 'pictures');
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, 'cat.png'), 'not a text');
    const expected =
      `normscope analyze: no .txt, .md or .text files found in ${empty}\n` +
      '  what to do: name .txt, .md or .text files, or folders that hold some (hidden files are skipped; a file named explicitly is read whatever its extension)\n';
    const r = analyze(empty);
    expect([r.status, r.stderr]).toEqual([2, expected]);
    const stored = analyze('--out-dir', path.join(dir, 'results'), '--quiet', empty);
    expect([stored.status, stored.stderr.split('\n').slice(-3).join('\n')]).toEqual([2, expected]);
  });
});

describe('normscope models pull', () => {
  let world: TestWorld;
  let hub: FakeHub;
  const run = async (...argv: string[]) => {
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
    try {
      return { code: await modelsCommand(argv), err };
    } finally {
      vi.restoreAllMocks();
    }
  };
  beforeEach(async () => {
    hub = await FakeHub.start();
    hub.repos.set('lab/gated-gpt2', repoFiles(tinyAModel()));
    hub.gated.set('lab/gated-gpt2', 'hf_secret');
    world = testWorld('new-user-pull', { HF_ENDPOINT: hub.endpoint });
  });
  afterEach(async () => {
    await hub.close();
    world.restore();
  });

  it('a gated model without a token', async () => {
    const r = await run('pull', 'lab/gated-gpt2');
    expect(r.err.split('\n').slice(-3).join('\n')).toBe(
      'normscope models: lab/gated-gpt2 is gated: accept the licence on the hub, then set HF_TOKEN to a token of that account (HTTP 401)\n' +
        '  what to do: create a read token at https://huggingface.co/settings/tokens, `export HF_TOKEN=…`, and for a gated model accept its terms on its hub page\n',
    );
    expect(r.code).toBe(1);
  });

  it('the hub out of reach', async () => {
    const port = await closedPort();
    process.env['HF_ENDPOINT'] = `http://127.0.0.1:${port}`;
    const r = await run('pull', 'gpt2');
    expect(r.err.split('\n').slice(-3).join('\n')).toBe(
      `normscope models: cannot reach 127.0.0.1:${port} (connection refused): you seem to be offline. Models already on disk still work; import a folder or use the Hugging Face cache.\n` +
        '  what to do: connect and run the same command again; models already on disk work offline (`normscope models list`)\n',
    );
    expect(r.code).toBe(1);
  });
});
