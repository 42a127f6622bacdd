// Models of every family from a fake hub on 127.0.0.1: a sharded tiny Llama pulled (index and shards through the same
// resumable, verified transfer) and analysed to its float64 reference; a gated repository (401 without a token, the
// licence message and exit 1; with HF_TOKEN it works); an unsupported config, and one too large for this machine,
// refused from config.json alone, before the hub is asked about any weight file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../electron/core/analysis/index.js';
import { loadModel } from '../../electron/core/model/index.js';
import { listModels, pull, resolveModel } from '../../electron/core/models/index.js';
import { DEFAULT_SETTINGS, type DocumentOk } from '../../shared/result.js';
import { COMMIT, FakeHub, repoFiles, sha256 } from './fake-hub.js';
import { familyConfig, familyExpected, familyFolder, familyText } from './family-repo.js';
import { testWorld, type TestWorld } from './env.js';
import { rejection, runModels as cli } from './helpers.js';

const SHARDED = 'llama-llama3-bf16-sharded-untied-biases';
let hub: FakeHub;
let world: TestWorld;

/** The tiny sharded Llama's files with another config.json. */
function withConfig(config: Record<string, unknown>) {
  const files = repoFiles(familyFolder(SHARDED));
  files.set('config.json', { data: Buffer.from(JSON.stringify(config)), lfs: false });
  return files;
}

/** Requests that named a weight file (HEAD or GET, on the hub or the storage host). */
const weightRequests = () => hub.log.filter((r) => r.server === 'lfs' || /\.safetensors/.test(r.url));

/** Elements of every tensor in a folder's shards, from their safetensors headers. */
function tensorElements(dir: string, skip: RegExp): number {
  let n = 0;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.safetensors'))) {
    const buf = fs.readFileSync(path.join(dir, f));
    const header = JSON.parse(buf.subarray(8, 8 + Number(buf.readBigUInt64LE(0))).toString('utf8')) as Record<string, { shape?: number[] }>;
    for (const [name, t] of Object.entries(header)) if (t.shape && !skip.test(name)) n += t.shape.reduce((a, b) => a * b, 1);
  }
  return n;
}

beforeEach(async () => {
  hub = await FakeHub.start();
  world = testWorld('pull-families', { HF_ENDPOINT: hub.endpoint });
});

afterEach(async () => {
  await hub.close();
  world.restore();
});

describe('pull of the other families', () => {
  it('a sharded tiny Llama: index and shards pulled and verified, listed with its family, analysed to its float64 reference', async () => {
    const source = familyFolder(SHARDED);
    hub.repos.set('tiny/llama-sharded', repoFiles(source));
    const r = await pull('tiny/llama-sharded');
    const shards = ['model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors'];
    expect(r.files.map((f) => f.file).sort()).toEqual(['config.json', 'model.safetensors.index.json', ...shards, 'tokenizer.json'].sort());
    expect(r.files.every((f) => f.status === 'downloaded')).toBe(true);
    // the shards came from the storage host, each once and without the token; every byte is the source's
    expect(hub.lfsRequests().map((q) => q.url.slice(7, 71)).sort()).toEqual(shards.map((s) => sha256(fs.readFileSync(path.join(source, s)))).sort());
    for (const f of [...shards, 'model.safetensors.index.json']) expect(fs.readFileSync(path.join(r.dir, f)).equals(fs.readFileSync(path.join(source, f))), f).toBe(true);
    // as huggingface_hub marks a file the repository lacks
    expect(fs.existsSync(path.join(path.dirname(path.dirname(r.dir)), '.no_exist', COMMIT, 'model.safetensors'))).toBe(true);

    const listed = (await listModels()).find((m) => m.name === 'tiny/llama-sharded')!;
    const onDisk = fs.readdirSync(source).reduce((a, f) => a + fs.statSync(path.join(source, f)).size, 0);
    // parameters: every tensor of the checkpoint but the untied LM head, counted from the shards' headers
    const params = tensorElements(source, /^lm_head\./);
    expect(listed).toMatchObject({ kind: 'cached', status: 'installed', family: 'llama', dtype: 'BF16', params, diskBytes: onDisk });
    expect(listed.memoryBytes!).toBeGreaterThan(4 * params);

    const model = await loadModel((await resolveModel('tiny/llama-sharded')).dir, { provider: 'cpu' });
    try {
      const doc = path.join(world.root, 'doc.txt');
      fs.writeFileSync(doc, familyText(SHARDED));
      const [{ result }] = await analyzeFiles(model, [doc], DEFAULT_SETTINGS);
      expect(result!.status).toBe('ok');
      const e = familyExpected(SHARDED);
      expect((result as DocumentOk).tokens.map((t) => t.id)).toEqual(e.ids);
      for (const layer of (result as DocumentOk).layers) {
        layer.log_norms.forEach((v, t) => expect(Math.abs(v - e.log_norms[layer.tap]![t]!), `${layer.tap} token ${t}`).toBeLessThan(1e-4));
        // log norms agree to ~1e-6; on 21 observations the coefficients carry that at most a few hundredfold
        layer.fit.params.forEach((p, k) => expect(Math.abs(p - e.ar2_params[layer.tap]![k]!), layer.tap).toBeLessThan(1e-3));
      }
    } finally {
      await model.dispose();
    }
    hub.log.length = 0;
    expect((await pull('tiny/llama-sharded')).downloadedBytes).toBe(0);
    expect(hub.lfsRequests()).toEqual([]);
  });

  it('a shard cut half-way resumes with Range from where it stopped; a corrupted shard fails its sha256 and nothing is linked', async () => {
    const source = familyFolder(SHARDED);
    hub.repos.set('tiny/llama-sharded', repoFiles(source));
    const first = fs.statSync(path.join(source, 'model-00001-of-00003.safetensors')).size;
    hub.corruptAt = 100;
    const e = await rejection(pull('tiny/llama-sharded'));
    expect(e.code).toBe('CHECKSUM_MISMATCH');
    expect(e.message).toMatch(/model-0000\d-of-00003\.safetensors: the downloaded bytes have sha256/);
    expect(fs.existsSync(path.join(world.hubCache, 'models--tiny--llama-sharded', 'snapshots'))).toBe(false);

    hub.corruptAt = null;
    hub.cutAfter = Math.floor(first / 2);
    hub.cutTimes = 1;
    hub.log.length = 0;
    const r = await pull('tiny/llama-sharded', { retryDelayMs: 10 });
    const lfs = hub.lfsRequests();
    // one reconnection, to the same shard, asking for what it lacked; every shard then whole and verified
    expect(lfs.filter((q) => q.range !== null)).toHaveLength(1);
    const resumed = lfs.find((q) => q.range !== null)!;
    expect(lfs.filter((q) => q.url === resumed.url)).toHaveLength(2);
    expect(Number(/^bytes=(\d+)-$/.exec(resumed.range!)![1])).toBeGreaterThan(0);
    for (const f of fs.readdirSync(source).filter((x) => x.endsWith('.safetensors'))) {
      expect(fs.readFileSync(path.join(r.dir, f)).equals(fs.readFileSync(path.join(source, f))), f).toBe(true);
    }
  });

  it('a gated repository: 401 without HF_TOKEN says to accept the licence and exits 1; with the token it is pulled', async () => {
    hub.repos.set('meta-llama/Llama-3.2-1B', repoFiles(familyFolder(SHARDED)));
    hub.gated.set('meta-llama/Llama-3.2-1B', 'hf_accepted');
    const refused = await cli('pull', 'meta-llama/Llama-3.2-1B');
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toMatch(/meta-llama\/Llama-3\.2-1B is gated: accept the licence on the hub, then set HF_TOKEN .*\(HTTP 401\)/);
    expect(hub.log.map((q) => `${q.method} ${q.url}`)).toEqual(['HEAD /meta-llama/Llama-3.2-1B/resolve/main/config.json']);

    process.env.HF_TOKEN = 'hf_someone_else';
    expect((await cli('pull', 'meta-llama/Llama-3.2-1B')).err).toMatch(/the token in HF_TOKEN was refused\): accept the licence on the hub, then set HF_TOKEN/);

    process.env.HF_TOKEN = 'hf_accepted';
    hub.log.length = 0;
    const ok = await cli('pull', 'meta-llama/Llama-3.2-1B');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^meta-llama\/Llama-3\.2-1B: meta-llama\/Llama-3\.2-1B @ a{8}/);
    expect(hub.log.filter((q) => q.server === 'hub').every((q) => q.authorization === 'Bearer hf_accepted')).toBe(true);
    expect(hub.lfsRequests().length).toBe(3);
    expect(hub.lfsRequests().every((q) => q.authorization === null)).toBe(true);
    expect((await listModels()).find((m) => m.name === 'meta-llama/Llama-3.2-1B')).toMatchObject({ kind: 'registry', status: 'installed', family: 'llama', gated: true });
  });

  it.each([
    ['another model_type', { model_type: 'bert', hidden_size: 32 }, /model_type "bert" is not a supported family/],
    ['a rope scaling the engine does not build', { ...familyConfig(SHARDED), rope_scaling: { rope_type: 'yarn', factor: 4 } }, /rope_scaling\.rope_type "yarn" is not supported/],
  ])('%s: UNSUPPORTED_MODEL from config.json, before any weight file is asked about (exit 2)', async (_what, config, message) => {
    hub.repos.set('someone/odd', withConfig(config));
    const e = await rejection(pull('someone/odd'));
    expect(e.code).toBe('UNSUPPORTED_MODEL');
    expect(e.message).toMatch(message);
    expect(weightRequests()).toEqual([]);
    // the cache is as it was: the config blob this pull fetched went with the refusal
    expect(fs.readdirSync(path.join(world.hubCache, 'models--someone--odd', 'blobs'))).toEqual([]);
    const run = await cli('pull', 'someone/odd');
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(weightRequests()).toEqual([]);
  });

  it('a config whose float32 need exceeds this machine\'s memory: MODEL_TOO_LARGE before any weight file is asked about', async () => {
    const huge = { ...familyConfig(SHARDED), hidden_size: 16384, intermediate_size: 53248, num_hidden_layers: 1024, num_attention_heads: 128, num_key_value_heads: 8, vocab_size: 128256 };
    hub.repos.set('someone/huge', withConfig(huge));
    const e = await rejection(pull('someone/huge'));
    expect(e.code).toBe('MODEL_TOO_LARGE');
    expect(e.message).toMatch(/^someone\/huge needs about \d+ GB in float32; this machine has [\d.]+ GB$/);
    // the weights alone: embeddings, per layer q, k, v, o (with their biases), the gated MLP (with biases) and two norms
    const D = 16384, I = 53248, kv = 8 * 128, L = 1024;
    const weights = 4 * (128256 * D + L * (2 * D * D + 2 * D * kv + D + 2 * kv + D + 3 * D * I + 2 * I + D + 2 * D) + D);
    expect(e.details).toMatchObject({ limit: os.totalmem() });
    expect(e.details!.need as number).toBeGreaterThan(weights);
    expect(weights).toBeGreaterThan(os.totalmem());
    expect(weightRequests()).toEqual([]);
    expect((await cli('pull', 'someone/huge')).code).toBe(2);
  });
});
