// The compact store (normscope.corpus/2): a normscope.corpus/1 store written by normscope 0.1.0 (fixtures/store-v1,
// made by `normscope analyze --out-dir` with the tiny-a model before the format changed) is read as it is, upgraded in
// place with every value bit-identical, and an upgrade cut short at any step leaves a store that reads correctly.
// Every frame carries a CRC: a damaged one is skipped, never misread. Size: at most 4.5 bytes per stored value.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../../shared/result.js';
import { CorpusStore, MANIFEST_FILE, RESULTS_FILE, TAPS_FILE, TAPS_FILE_V1, summarizeStore } from '../../../electron/core/corpus/index.js';
import { tempDir } from '../../analysis/fixtures.js';
import { binaryTaps, float64s, readLines, results, type PlainTaps } from '../helpers.js';

const fixture = path.join(import.meta.dirname, '../fixtures/store-v1');
const root = tempDir('store-format');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
function copyFixture(): string {
  const dir = path.join(root, `v1-${n++}`);
  fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}

const settings: Settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' };
const v1Taps = readLines<PlainTaps & { model_sha256: string; tokenizer_sha256: string }>(path.join(fixture, TAPS_FILE_V1));
const model = { model_sha256: v1Taps[0]!.model_sha256, tokenizer_sha256: v1Taps[0]!.tokenizer_sha256 };
const v1Summary = JSON.parse(fs.readFileSync(path.join(fixture, 'corpus-summary.json'), 'utf8'));

/** Every log norm of the v1 file equals the store's, bit for bit (Object.is: −0 and NaN too). */
async function expectV1Values(store: CorpusStore): Promise<void> {
  expect(v1Taps.length).toBe(3);
  for (const t of v1Taps) {
    const back = await store.readTaps(t.sha256, model);
    expect(back!.tokens).toEqual(t.tokens);
    for (const site of ['attn', 'mlp', 'block'] as const) {
      t.log_norms[site].forEach((b64, layer) => {
        const want = float64s(b64);
        const got = back!.logNorms[site][layer]!;
        expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
      });
    }
  }
}

/** The summary the v1 fixture's own run wrote (normscope 0.1.0's in-memory statistics), to 1e-10 (ln p below 1e-6). */
function expectSameSummary(actual: unknown, expected: unknown, where = 'layers'): void {
  if (typeof expected === 'number' || expected === null) {
    if (expected === null) return expect(actual === null || Number.isNaN(actual), where).toBe(true);
    const a = actual as number;
    const [x, y] = /pvalue/.test(where) && expected > 0 && expected < 1e-6 ? [Math.log(a), Math.log(expected)] : [a, expected];
    expect(Math.abs(x - y) <= 1e-10 * Math.max(Math.abs(x), Math.abs(y)), `${where}: ${a} vs ${expected}`).toBe(true);
  } else if (Array.isArray(expected)) {
    expected.forEach((v, i) => expectSameSummary((actual as unknown[])[i], v, `${where}[${i}]`));
  } else if (expected && typeof expected === 'object') {
    for (const [k, v] of Object.entries(expected)) expectSameSummary((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
  } else expect(actual, where).toEqual(expected);
}

describe('a normscope.corpus/1 store', () => {
  it('opens read-only as it is: same entries, every log norm bit-identical, the summary its own run wrote', async () => {
    const dir = copyFixture();
    const store = await CorpusStore.open(dir, { readOnly: true });
    expect(store.getManifest().schema).toBe('normscope.corpus/1');
    expect(store.entries(model, settings).map((e) => e.status).sort()).toEqual(['error', 'ok', 'ok']);
    await expectV1Values(store);
    const { summary } = await summarizeStore(store, model, settings);
    expect(summary.documents).toEqual(v1Summary.documents);
    expectSameSummary(JSON.parse(JSON.stringify(summary.layers)), v1Summary.layers);
    expect(fs.readdirSync(dir)).toContain(TAPS_FILE_V1); // nothing written
    expect(fs.existsSync(path.join(dir, TAPS_FILE))).toBe(false);
  });

  it('is upgraded in place when opened for writing: taps.bin with float32 norms, taps.jsonl gone, results untouched', async () => {
    const dir = copyFixture();
    const resultsBefore = fs.readFileSync(path.join(dir, RESULTS_FILE));
    const store = await CorpusStore.open(dir);
    const manifest = store.getManifest();
    expect(manifest).toMatchObject({ schema: 'normscope.corpus/2', files: { taps: TAPS_FILE, results: RESULTS_FILE }, upgraded: { from: 'normscope.corpus/1', taps_records: 3, taps_skipped: 0 } });
    expect(manifest.runs).toEqual(JSON.parse(fs.readFileSync(path.join(fixture, MANIFEST_FILE), 'utf8')).runs);
    await expectV1Values(store);
    await store.close();
    expect(fs.existsSync(path.join(dir, TAPS_FILE_V1))).toBe(false);
    expect(fs.readFileSync(path.join(dir, RESULTS_FILE)).equals(resultsBefore)).toBe(true);
    // read by hand: three frames, each checksummed, the norms as float32 (ln of them gives the v1 float64 back)
    const frames = binaryTaps(path.join(dir, TAPS_FILE));
    expect(frames.map((f) => f.width)).toEqual([4, 4, 4]);
    frames.forEach((f, i) => expect(f.log_norms.block.map((s) => Array.from(s as Float64Array))).toEqual(v1Taps[i]!.log_norms.block.map((b) => Array.from(float64s(b)))));
    const again = await CorpusStore.open(dir, { readOnly: true });
    await expectV1Values(again);
    const { summary } = await summarizeStore(again, model, settings);
    expectSameSummary(JSON.parse(JSON.stringify(summary.layers)), v1Summary.layers);
  });

  it('an upgrade cut before its commit (taps.bin renamed, manifest still v1) reads as v1 and is redone', async () => {
    const dir = copyFixture();
    fs.writeFileSync(path.join(dir, TAPS_FILE), Buffer.from('half-written garbage from an upgrade that died'));
    const ro = await CorpusStore.open(dir, { readOnly: true });
    await expectV1Values(ro);
    const store = await CorpusStore.open(dir);
    expect(store.getManifest().schema).toBe('normscope.corpus/2');
    expect(store.openReport.taps).toMatchObject({ records: 3, corrupt: 0, tornBytes: 0 });
    await expectV1Values(store);
    await store.close();
  });

  it('an upgrade cut after its commit (manifest v2, taps.jsonl still there) reads taps.bin, and the leftover is removed', async () => {
    const dir = copyFixture();
    await (await CorpusStore.open(dir)).close();
    fs.copyFileSync(path.join(fixture, TAPS_FILE_V1), path.join(dir, TAPS_FILE_V1));
    fs.writeFileSync(path.join(dir, `${TAPS_FILE}.upgrade.tmp`), 'x');
    await expectV1Values(await CorpusStore.open(dir, { readOnly: true }));
    const store = await CorpusStore.open(dir);
    await store.close();
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('taps')).sort()).toEqual([TAPS_FILE]);
  });

  it('its logs without a manifest are still read as v1 and upgraded, not dropped', async () => {
    const dir = copyFixture();
    fs.rmSync(path.join(dir, MANIFEST_FILE));
    for (const f of fs.readdirSync(dir)) if (f.startsWith('corpus-')) fs.rmSync(path.join(dir, f));
    const store = await CorpusStore.open(dir);
    await expectV1Values(store);
    await store.close();
    expect(JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')).schema).toBe('normscope.corpus/2');
  });

  it('a store of a schema this version does not know is refused, never misread', async () => {
    const dir = copyFixture();
    const file = path.join(dir, MANIFEST_FILE);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), schema: 'normscope.corpus/3' }));
    await expect(CorpusStore.open(dir, { readOnly: true })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('newer normscope') });
    await expect(CorpusStore.open(dir)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(fs.existsSync(path.join(dir, TAPS_FILE))).toBe(false);
  });
});

describe('taps.bin', () => {
  it('the manifest\'s format note names the module that writes the frames, at its path in this tree', async () => {
    const dir = path.join(root, 'format-note');
    const store = await CorpusStore.open(dir);
    await store.close();
    const note = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')).format as string;
    const named = /\((electron\/[^)]+\.ts)\)/.exec(note)?.[1];
    expect(named).toBeDefined();
    expect(fs.existsSync(path.join(import.meta.dirname, '../../..', named!))).toBe(true);
    expect(fs.readFileSync(path.join(import.meta.dirname, '../../..', named!), 'utf8')).toMatch(/NSF2/);
  });
  it('skips a frame whose checksum fails and keeps the frames around it', async () => {
    const dir = copyFixture();
    await (await CorpusStore.open(dir)).close();
    const file = path.join(dir, TAPS_FILE);
    const bytes = fs.readFileSync(file);
    const first = 12 + bytes.readUInt32LE(4);
    bytes[first + 200] ^= 0x40; // one bit in the second frame's payload
    fs.writeFileSync(file, bytes);
    const store = await CorpusStore.open(dir, { readOnly: true });
    expect(store.openReport.taps).toMatchObject({ records: 2, corrupt: 1, tornBytes: 0 });
    expect(store.hasTaps(v1Taps[0]!.sha256, model)).toBe(true);
    expect(store.hasTaps(v1Taps[1]!.sha256, model)).toBe(false);
    expect(store.hasTaps(v1Taps[2]!.sha256, model)).toBe(true);
    const back = await store.readTaps(v1Taps[2]!.sha256, model);
    expect(back!.tokens).toEqual(v1Taps[2]!.tokens);
  });

  it('holds at most 4.5 bytes per stored value (tokens, identities and framing included)', async () => {
    const dir = copyFixture();
    await (await CorpusStore.open(dir)).close();
    const values = v1Taps.reduce((a, t) => a + t.tokens.length * 3 * t.log_norms.attn.length, 0);
    const perValue = fs.statSync(path.join(dir, TAPS_FILE)).size / values;
    expect(perValue).toBeLessThanOrEqual(4.5);
    expect(perValue).toBeGreaterThan(2); // float32 norms do not compress to nothing: the file is really there
    expect(results(dir)).toHaveLength(3);
  });
});
