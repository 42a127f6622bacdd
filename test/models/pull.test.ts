// pull() against a fake hub on 127.0.0.1: the cache layout huggingface_hub writes, progress, resume (within a pull
// and after a restart), checksum, errors, cancel, locking. No traffic leaves the loopback.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { pull, resolveModel, type PullProgress } from '../../electron/core/models/index.js';
import { tinyAModel } from '../analysis/fixtures.js';
import { closedPort, COMMIT, FakeHub, gitBlobSha1, repoFiles, sha256, type HubFile } from './fake-hub.js';
import { testWorld, type TestWorld } from './env.js';
import { rejection } from './helpers.js';

const REPO = 'openai-community/gpt2';
let files: Map<string, HubFile>;
let weights: Buffer;
let hub: FakeHub;
let world: TestWorld;
let repoDir: string;

function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

beforeAll(() => {
  files = repoFiles(tinyAModel());
  weights = files.get('model.safetensors')!.data;
});

beforeEach(async () => {
  hub = await FakeHub.start();
  hub.repos.set(REPO, files);
  world = testWorld('pull', { HF_ENDPOINT: hub.endpoint, HF_TOKEN: 'test-token' });
  process.env.HF_HUB_CACHE = path.join(world.root, 'hub');
  repoDir = path.join(world.root, 'hub', 'models--openai-community--gpt2');
});

afterEach(async () => {
  await hub.close();
  world.restore();
  vi.restoreAllMocks();
});

describe('pull(name, { onProgress })', () => {
  it('stores the files as huggingface_hub does: blobs by etag, relative snapshot symlinks, refs/main', async () => {
    const result = await pull('gpt2');
    expect(result.repo).toBe(REPO);
    expect(result.revision).toBe(COMMIT);
    expect(result.dir).toBe(path.join(repoDir, 'snapshots', COMMIT));
    expect(fs.readFileSync(path.join(repoDir, 'refs', 'main'), 'utf8')).toBe(COMMIT);
    for (const [name, f] of files) {
      const link = path.join(result.dir, name);
      const etag = f.lfs ? sha256(f.data) : gitBlobSha1(f.data);
      expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
      expect(fs.readlinkSync(link)).toBe(`../../blobs/${etag}`);
      expect(fs.readFileSync(link).equals(f.data)).toBe(true);
    }
    // optional files the repository lacks are marked, as huggingface_hub marks them
    expect(listTree(path.join(repoDir, '.no_exist', COMMIT))).toEqual(['merges.txt', 'vocab.json']);
    expect(listTree(path.join(repoDir, 'blobs')).some((n) => n.includes('partial'))).toBe(false);
    expect(await resolveModel('gpt2')).toMatchObject({ dir: result.dir, name: 'gpt2', source: 'hf-cache', revision: COMMIT, demo: false });
  });

  it('sends HF_TOKEN to the hub and never to the storage host an LFS file redirects to', async () => {
    await pull('gpt2');
    const hubReqs = hub.log.filter((r) => r.server === 'hub');
    expect(hubReqs.length).toBeGreaterThan(0);
    expect(hubReqs.every((r) => r.authorization === 'Bearer test-token')).toBe(true);
    expect(hub.lfsRequests().length).toBe(1);
    expect(hub.lfsRequests()[0]!.authorization).toBeNull();
  });

  it('reports progress: bytes rise to the total, with a rate and an ETA while bytes flow', async () => {
    hub.trickle = { chunk: 256 * 1024, delayMs: 30 };
    const events: PullProgress[] = [];
    const result = await pull('gpt2', { onProgress: (p) => events.push(p) });
    const total = [...files.values()].reduce((a, f) => a + f.data.length, 0);
    expect(events[0]!.phase).toBe('resolving');
    expect(events.at(-1)).toMatchObject({ phase: 'done', bytes: total, total });
    const flowing = events.filter((e) => e.phase === 'downloading' && e.file === 'model.safetensors');
    expect(flowing.length).toBeGreaterThan(3);
    for (let i = 1; i < events.length; i++) expect(events[i]!.bytes).toBeGreaterThanOrEqual(events[i - 1]!.bytes);
    expect(flowing.some((e) => e.rate > 0 && e.etaSeconds !== null && e.etaSeconds >= 0)).toBe(true);
    expect(flowing.every((e) => e.fileTotal === weights.length && e.fileBytes <= weights.length)).toBe(true);
    expect(result.downloadedBytes).toBe(total);
  });

  it('a second pull finds every blob in the cache and downloads nothing', async () => {
    await pull('gpt2');
    const before = hub.log.length;
    const again = await pull('openai-community/gpt2');
    expect(again.files.every((f) => f.status === 'cached')).toBe(true);
    expect(again.downloadedBytes).toBe(0);
    expect(hub.log.slice(before).every((r) => r.method === 'HEAD')).toBe(true);
  });

  it('a transfer cut half-way reconnects with Range from the byte where it stopped', async () => {
    const half = Math.floor(weights.length / 2);
    hub.cutAfter = half;
    hub.cutTimes = 1;
    const partial = path.join(repoDir, 'blobs', `${sha256(weights)}.normscope-partial`);
    const onDisk: number[] = [];
    hub.onRequest = (r) => r.server === 'lfs' && onDisk.push(fs.statSync(partial).size);
    const result = await pull('gpt2', { retryDelayMs: 10 });
    const ranges = hub.lfsRequests().map((r) => r.range);
    expect(ranges).toHaveLength(2);
    expect(ranges[0]).toBeNull();
    // the reconnection asks for exactly what the partial file lacks: its start is the partial's size then, which is
    // the cut minus at most what the client had received but not yet written when the socket closed
    expect(ranges[1]).toBe(`bytes=${onDisk[1]}-`);
    expect(onDisk[1]).toBeGreaterThan(half - 256 * 1024);
    expect(onDisk[1]).toBeLessThanOrEqual(half);
    expect(sha256(fs.readFileSync(path.join(result.dir, 'model.safetensors')))).toBe(sha256(weights));
  });

  it('after a failed pull, the next one (as after a restart) resumes from normscope\'s partial file', async () => {
    const half = Math.floor(weights.length / 2);
    hub.cutAfter = half;
    hub.cutTimes = 1;
    // no reconnection: the pull ends as one whose process was stopped half-way would
    const e = await rejection(pull('gpt2', { retries: 0 }));
    expect(e.code).toBe('HTTP_ERROR');
    expect(e.message).toMatch(/broke off at \d+ of \d+ bytes.*resume/);
    const partial = path.join(repoDir, 'blobs', `${sha256(weights)}.normscope-partial`);
    const kept = fs.statSync(partial).size;
    expect(kept).toBeGreaterThan(half - 256 * 1024);
    expect(kept).toBeLessThanOrEqual(half);
    expect(fs.existsSync(path.join(repoDir, 'snapshots'))).toBe(false);
    expect(fs.existsSync(path.join(repoDir, 'refs'))).toBe(false);

    hub.cutTimes = 0;
    hub.log.length = 0;
    const result = await pull('gpt2');
    expect(hub.lfsRequests().map((r) => r.range)).toEqual([`bytes=${kept}-`]);
    expect(result.files.find((f) => f.file === 'model.safetensors')!.status).toBe('resumed');
    expect(result.downloadedBytes).toBe(weights.length - kept);
    expect(sha256(fs.readFileSync(path.join(result.dir, 'model.safetensors')))).toBe(sha256(weights));
    expect(fs.existsSync(partial)).toBe(false);
  });

  it('a corrupted byte fails the sha256 check: the file is discarded and never linked', async () => {
    hub.corruptAt = 12345;
    const e = await rejection(pull('gpt2'));
    expect(e.code).toBe('CHECKSUM_MISMATCH');
    expect(e.message).toContain(sha256(weights));
    const blobs = listTree(path.join(repoDir, 'blobs'));
    expect(blobs.some((n) => n.startsWith(sha256(weights)))).toBe(false);
    expect(fs.existsSync(path.join(repoDir, 'snapshots'))).toBe(false);
    expect((await rejection(resolveModel('gpt2'))).code).toBe('MODEL_NOT_FOUND');
  });

  it('404: an unknown repository, and a gated one without a token, say so', async () => {
    const missing = await rejection(pull('someone/missing-model'));
    expect(missing.code).toBe('HTTP_NOT_FOUND');
    expect(missing.message).toMatch(/repository someone\/missing-model not found.*404/);

    hub.repos.set('gated/gpt2', files);
    hub.gated.set('gated/gpt2', 'the-right-token');
    const gated = await rejection(pull('gated/gpt2'));
    expect(gated.code).toBe('HTTP_NOT_FOUND');
    expect(gated.message).toMatch(/gated.*HF_TOKEN.*401/);
    process.env.HF_TOKEN = 'the-right-token';
    expect((await pull('gated/gpt2')).revision).toBe(COMMIT);
  });

  it('connection refused and HF_HUB_OFFLINE give OFFLINE with a sentence a person understands', async () => {
    process.env.HF_ENDPOINT = `http://127.0.0.1:${await closedPort()}`;
    const refused = await rejection(pull('gpt2'));
    expect(refused.code).toBe('OFFLINE');
    expect(refused.message).toMatch(/cannot reach 127\.0\.0\.1:\d+ \(connection refused\)/);

    process.env.HF_ENDPOINT = hub.endpoint;
    process.env.HF_HUB_OFFLINE = '1';
    const offline = await rejection(pull('gpt2'));
    expect(offline.code).toBe('OFFLINE');
    expect(offline.message).toContain('HF_HUB_OFFLINE');
    expect(hub.log).toEqual([]);
  });

  it('cancel mid-transfer leaves the cache as it was: no snapshot, no ref, no blob, no partial, no lock', async () => {
    hub.trickle = { chunk: 64 * 1024, delayMs: 20 };
    const controller = new AbortController();
    const e = await rejection(
      pull('gpt2', {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.file === 'model.safetensors' && p.fileBytes > 256 * 1024) controller.abort();
        },
      }),
    );
    expect(e.code).toBe('DOWNLOAD_CANCELLED');
    expect(listTree(path.join(repoDir, 'blobs'))).toEqual([]);
    expect(fs.existsSync(path.join(repoDir, 'snapshots'))).toBe(false);
    expect(fs.existsSync(path.join(repoDir, 'refs'))).toBe(false);
    expect(listTree(path.join(world.root, 'hub', '.locks'))).toEqual(['models--openai-community--gpt2']);
  });

  it('cancel with keepPartial pauses: the next pull continues from the partial file', async () => {
    hub.trickle = { chunk: 64 * 1024, delayMs: 20 };
    const controller = new AbortController();
    await rejection(pull('gpt2', { signal: controller.signal, keepPartial: true, onProgress: (p) => p.fileBytes > 256 * 1024 && p.file === 'model.safetensors' && controller.abort() }));
    const partial = path.join(repoDir, 'blobs', `${sha256(weights)}.normscope-partial`);
    const kept = fs.statSync(partial).size;
    expect(kept).toBeGreaterThan(256 * 1024);
    hub.trickle = null;
    hub.log.length = 0;
    await pull('gpt2');
    expect(hub.lfsRequests().map((r) => r.range)).toEqual([`bytes=${kept}-`]);
  });

  it('two pulls of one model at once: one downloads each blob, the other waits for it', async () => {
    hub.trickle = { chunk: 512 * 1024, delayMs: 10 };
    const [a, b] = await Promise.all([pull('gpt2'), pull('gpt2')]);
    expect(a.dir).toBe(b.dir);
    expect(hub.lfsRequests().length).toBe(1);
    const statuses = [a, b].map((r) => r.files.find((f) => f.file === 'model.safetensors')!.status).sort();
    expect(statuses).toEqual(['cached', 'downloaded']);
  });

  it.skipIf(!fs.existsSync('/dev/full'))('a full disk while writing gives DISK_FULL (the write goes to /dev/full)', async () => {
    const blobs = path.join(repoDir, 'blobs');
    fs.mkdirSync(blobs, { recursive: true });
    fs.symlinkSync('/dev/full', path.join(blobs, `${sha256(weights)}.normscope-partial`));
    const e = await rejection(pull('gpt2'));
    expect(e.code).toBe('DISK_FULL');
    expect(e.message).toMatch(/disk is full/);
    expect(fs.existsSync(path.join(repoDir, 'snapshots'))).toBe(false);
  });

  it('too little free space is refused before any byte is fetched', async () => {
    vi.spyOn(fsp, 'statfs').mockResolvedValue({ bavail: 10, bsize: 4096 } as Awaited<ReturnType<typeof fsp.statfs>>);
    const e = await rejection(pull('gpt2'));
    expect(e.code).toBe('DISK_FULL');
    expect(e.message).toMatch(/needs [\d.]+ MB more.*41\.0 kB free/); // 10 blocks of 4,096 bytes
    // only config.json, judged before anything else, came down; no weight byte was asked for
    expect(hub.log.filter((r) => r.method !== 'HEAD').map((r) => r.url)).toEqual([`/${REPO}/resolve/main/config.json`]);
    expect(hub.lfsRequests()).toEqual([]);
  });

  it('a repository that is no GPT-2 is refused before its weights are fetched', async () => {
    const bert = new Map(files);
    bert.set('config.json', { data: Buffer.from(JSON.stringify({ model_type: 'bert' })), lfs: false });
    hub.repos.set('google/not-gpt2', bert);
    const e = await rejection(pull('google/not-gpt2'));
    expect(e.code).toBe('UNSUPPORTED_MODEL');
    expect(hub.lfsRequests()).toEqual([]);
    expect(listTree(path.join(world.root, 'hub', 'models--google--not-gpt2', 'blobs'))).toEqual([]);
  });

  it('an etag or commit that is no plain name (a misbehaving mirror) is refused before anything is written', async () => {
    for (const headers of [{ etag: '"../../../escape"' }, { 'x-repo-commit': '../../refs' }]) {
      hub.overrideHeaders = headers;
      const e = await rejection(pull('gpt2'));
      expect(e.code).toBe('HTTP_ERROR');
      expect(e.message).toMatch(/malformed X-Repo-Commit, ETag or size.*HF_ENDPOINT/);
    }
    expect(listTree(path.join(world.root, 'hub'))).toEqual([]);
  });
});
