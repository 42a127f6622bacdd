// CorpusStore: durable records found by content hash, model and settings; bit-exact taps; the lock; a torn tail.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentTaps } from '../../../electron/core/analysis/index.js';
import { CorpusStore, LOCK_FILE, MANIFEST_FILE, RESULTS_FILE, TAPS_FILE, settingsKey } from '../../../electron/core/corpus/index.js';
import { tempDir } from '../../analysis/fixtures.js';

const root = tempDir('store');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => path.join(root, `s${n++}`);

const modelA = { model_sha256: 'a'.repeat(64), tokenizer_sha256: 't'.repeat(64) };
const modelB = { model_sha256: 'b'.repeat(64), tokenizer_sha256: 't'.repeat(64) };
const settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' } as const;
const sha = (c: string) => c.repeat(64);

function taps(T: number, seed: number): DocumentTaps {
  const series = (k: number) => Float64Array.from({ length: T }, (_, t) => Math.sin(seed * 1000 + k * 31 + t) * 3 - 1e-7 * t);
  const logNorms = { attn: [series(0), series(1)], mlp: [series(2), series(3)], block: [series(4), series(5)] };
  logNorms.attn[0]![1] = -Infinity; // a zero-norm activation must survive storage too
  return { tokens: Array.from({ length: T }, (_, t) => ({ id: t, text: `tok${t} é"` })), logNorms };
}

const fakeFit = (b: number) => ({ layer: 0, tap: 'h.0.attn', fit: { params: [b, 0.5, 0.25], bse: [0.1, 0.1, 0.1], pvalues: [0.5, 0.01, 0.02], rsquared: 0.3 } as never });

describe('CorpusStore', () => {
  it('creates the folder with a manifest and empty logs, and holds the lock until closed', async () => {
    const dir = freshDir();
    const store = await CorpusStore.open(dir);
    expect(fs.readdirSync(dir).sort()).toEqual([LOCK_FILE, MANIFEST_FILE, RESULTS_FILE, TAPS_FILE].sort());
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
    expect(manifest).toMatchObject({ schema: 'normscope.corpus/2', files: { taps: TAPS_FILE, results: RESULTS_FILE }, models: [], runs: [] });
    await expect(CorpusStore.open(dir)).rejects.toMatchObject({ code: 'BAD_USAGE' });
    await store.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    await (await CorpusStore.open(dir)).close();
  });

  it('keeps taps bit-exact (−Infinity included) and finds results by content, model and settings', async () => {
    const dir = freshDir();
    const store = await CorpusStore.open(dir);
    const t1 = taps(50, 1);
    await store.appendTaps(sha('1'), modelA, t1);
    await store.appendResult({ sha256: sha('1'), path: 'one.txt', ...modelA, settings, status: 'ok', n_tokens: 50, layers: [fakeFit(1)], source: 'computed' });
    await store.appendResult({ sha256: sha('2'), path: 'two.txt', ...modelA, settings, status: 'error', error: { code: 'BAD_ENCODING', message: 'bad' }, source: 'computed' });
    await store.appendResult({ sha256: sha('3'), path: 'three.txt', ...modelA, settings, status: 'error', error: { code: 'MODEL_FAILED', message: 'oom' }, source: 'computed' });
    await store.close();

    const again = await CorpusStore.open(dir, { readOnly: true });
    const back = await again.readTaps(sha('1'), modelA);
    expect(back!.tokens).toEqual(t1.tokens);
    for (const site of ['attn', 'mlp', 'block'] as const) {
      back!.logNorms[site].forEach((s, layer) => expect(Buffer.from(s.buffer).equals(Buffer.from(t1.logNorms[site][layer]!.buffer))).toBe(true));
    }
    expect(await again.readTaps(sha('1'), modelB)).toBeUndefined();
    expect(again.hasTaps(sha('1'), modelA)).toBe(true);
    expect(again.tapsHashes(modelA)).toEqual([sha('1')]);

    expect(again.finalResult(sha('1'), modelA, settings)?.status).toBe('ok');
    expect(again.finalResult(sha('1'), modelB, settings)).toBeUndefined();
    expect(again.finalResult(sha('1'), modelA, { ...settings, lags: 1 })).toBeUndefined();
    // maxlags means nothing without HAC: the same fit
    expect(again.finalResult(sha('1'), modelA, { ...settings, maxlags: 4 })?.status).toBe('ok');
    // the content itself is bad: final; the model failed: tried again next time
    expect(again.finalResult(sha('2'), modelA, settings)?.code).toBe('BAD_ENCODING');
    expect(again.findResult(sha('3'), modelA, settings)?.code).toBe('MODEL_FAILED');
    expect(again.finalResult(sha('3'), modelA, settings)).toBeUndefined();
    expect(again.entries(modelA, settings).map((e) => e.path)).toEqual(['one.txt', 'two.txt', 'three.txt']);
    const rec = await again.readResult(again.findResult(sha('1'), modelA, settings)!);
    expect(rec).toMatchObject({ kind: 'result', path: 'one.txt', n_tokens: 50, layers: [fakeFit(1)] });
    await again.close();
  });

  it('a later result for the same key wins', async () => {
    const dir = freshDir();
    const store = await CorpusStore.open(dir);
    await store.appendResult({ sha256: sha('4'), path: 'a.txt', ...modelA, settings, status: 'error', error: { code: 'MODEL_FAILED', message: 'x' }, source: 'computed' });
    await store.appendResult({ sha256: sha('4'), path: 'a.txt', ...modelA, settings, status: 'ok', n_tokens: 9, layers: [fakeFit(2)], source: 'computed' });
    expect(store.finalResult(sha('4'), modelA, settings)?.status).toBe('ok');
    await store.close();
    const again = await CorpusStore.open(dir, { readOnly: true });
    expect(again.entries(modelA, settings)).toHaveLength(1);
    expect(again.finalResult(sha('4'), modelA, settings)?.n_tokens).toBe(9);
  });

  it('cuts a torn last record on open and appends after the last whole one', async () => {
    const dir = freshDir();
    const store = await CorpusStore.open(dir);
    await store.appendResult({ sha256: sha('5'), path: 'a.txt', ...modelA, settings, status: 'ok', layers: [fakeFit(3)], source: 'computed' });
    await store.close();
    const file = path.join(dir, RESULTS_FILE);
    const torn = '{"crc32":"0000';
    fs.appendFileSync(file, torn);
    const again = await CorpusStore.open(dir);
    expect(again.openReport.results).toMatchObject({ records: 1, tornBytes: torn.length, corrupt: 0 });
    await again.appendResult({ sha256: sha('6'), path: 'b.txt', ...modelA, settings, status: 'ok', layers: [fakeFit(4)], source: 'computed' });
    await again.close();
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l).record.path)).toEqual(['a.txt', 'b.txt']);
  });

  it('takes over the lock of a process that has died, and refuses one held by a live process', async () => {
    const dir = freshDir();
    await (await CorpusStore.open(dir)).close();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const lock = (pid: number) => fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, host: os.hostname(), started: 'then' }));
    lock(Number(dead.stdout));
    await (await CorpusStore.open(dir)).close();
    lock(process.ppid);
    await expect(CorpusStore.open(dir)).rejects.toMatchObject({ code: 'BAD_USAGE', message: expect.stringContaining(`process ${process.ppid}`) });
    fs.rmSync(path.join(dir, LOCK_FILE));
  });

  it('refuses a folder holding other files, and a read-only open of a folder without a store', async () => {
    const dir = freshDir();
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'thesis.docx'), 'mine');
    await expect(CorpusStore.open(dir)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(CorpusStore.open(freshDir(), { readOnly: true })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('readingMany', () => {
  // Linux: the process's open descriptors that point into the store's folder
  const openIn = (dir: string) => fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
    } catch {
      return false;
    }
  }).length;

  it.runIf(process.platform === 'linux')('holds the logs open for the pass only (nested passes included) and reads what plain reads give', async () => {
    const dir = freshDir();
    const store = await CorpusStore.open(dir);
    await store.appendTaps(sha('1'), modelA, taps(20, 1));
    await store.appendResult({ sha256: sha('1'), path: 'one.txt', ...modelA, settings, status: 'ok', n_tokens: 20, layers: [fakeFit(1)], source: 'computed' });
    await store.close();
    const reader = await CorpusStore.open(dir, { readOnly: true });
    const entry = reader.findResult(sha('1'), modelA, settings)!;
    const plain = { rec: await reader.readResult(entry), series: await reader.readSeries(sha('1'), modelA, 'attn') };
    expect(openIn(dir)).toBe(0);
    const inPass = await reader.readingMany(async () => {
      const rec = await reader.readResult(entry);
      const inner = await reader.readingMany(async () => reader.readSeries(sha('1'), modelA, 'attn'));
      // results.jsonl and taps.bin, each opened once, still open after the inner pass ended
      expect(openIn(dir)).toBe(2);
      return { rec, series: inner };
    });
    expect(openIn(dir)).toBe(0);
    expect(inPass).toEqual(plain);
    await expect(reader.readingMany(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(openIn(dir)).toBe(0);
  });
});

describe('settingsKey', () => {
  it('names what changes a fit, and rejects settings no fit can use', () => {
    expect(settingsKey(settings)).toBe('attn/lags=2/start=3/cov=nonrobust');
    expect(settingsKey({ ...settings, cov: 'HAC', maxlags: 4 })).toBe('attn/lags=2/start=3/cov=HAC/maxlags=4');
    expect(settingsKey({ ...settings, maxlags: 4 })).toBe('attn/lags=2/start=3/cov=nonrobust');
    expect(() => settingsKey({ ...settings, start: 1 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => settingsKey({ ...settings, component: 'ffn' as never })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
