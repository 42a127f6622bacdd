// runStoreBatch over good documents mixed with an invalid-UTF-8 file, a binary file, an empty file and a dangling
// symlink: each bad one gets its code, the good ones their results, exit 1; a rerun retries only the unreadable one.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStoreBatch } from '../../../electron/core/corpus/index.js';
import { sharedDir, tempDir, tinyAModel } from '../../analysis/fixtures.js';
import { results, sha256File } from '../helpers.js';

const settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' } as const;
let root: string;
let docs: string;
let out: string;
let model: string;
let dangling: string;
const good = ['BSD.01.txt', 'CC0-1.0.01.txt', 'MPL-2.0.01.txt'];

beforeAll(() => {
  model = tinyAModel();
  root = tempDir('corpus-bad');
  docs = path.join(root, 'docs');
  out = path.join(root, 'out');
  fs.mkdirSync(docs);
  for (const f of good) fs.copyFileSync(path.join(sharedDir, 'corpus/licenses', f), path.join(docs, f));
  fs.writeFileSync(path.join(docs, 'latin1.txt'), Buffer.from('caf\xe9 au lait, na\xefve', 'latin1'));
  fs.writeFileSync(path.join(docs, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02, 0x41, 0x42]));
  fs.writeFileSync(path.join(docs, 'empty.txt'), '');
  dangling = path.join(root, 'gone.txt');
  fs.symlinkSync(path.join(root, 'no-such-target.txt'), dangling);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('bad documents among good ones', () => {
  let first: number;
  beforeAll(async () => {
    first = await runStoreBatch({ paths: [docs, dangling], outDir: out, modelSpec: model, settings, quiet: true });
  });

  it('exit 1; each bad document stored with its code, each good one with its fits', () => {
    expect(first).toBe(1);
    const byName = new Map(results(out).map((r) => [path.basename(r.path), r]));
    expect([...byName.keys()].sort()).toEqual([...good, 'binary.txt', 'empty.txt', 'gone.txt', 'latin1.txt'].sort());
    expect(byName.get('latin1.txt')).toMatchObject({ status: 'error', error: { code: 'BAD_ENCODING' }, sha256: sha256File(path.join(docs, 'latin1.txt')) });
    expect(byName.get('binary.txt')).toMatchObject({ status: 'error', error: { code: 'NOT_TEXT' } });
    expect(byName.get('empty.txt')).toMatchObject({ status: 'error', error: { code: 'EMPTY' } });
    expect(byName.get('gone.txt')).toMatchObject({ status: 'error', error: { code: 'READ_FAILED' }, sha256: null });
    for (const f of good) expect(byName.get(f)).toMatchObject({ status: 'ok', sha256: sha256File(path.join(docs, f)), layers: expect.any(Array) });
  });

  it('the summary covers the good documents and lists the content-caused failures', () => {
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'corpus-summary.json'), 'utf8'));
    expect(summary.documents).toEqual({ total: 6, ok: 3, failed: 3 });
    expect(summary.failures.map((f: { code: string }) => f.code).sort()).toEqual(['BAD_ENCODING', 'EMPTY', 'NOT_TEXT']);
    expect(summary.layers.map((l: { n_documents: number }) => l.n_documents)).toEqual([3, 3, 3]);
    const csv = fs.readFileSync(path.join(out, 'corpus-documents.csv'), 'utf8').trim().split('\r\n');
    expect(csv).toHaveLength(1 + 3 * 3 * 3);
  });

  it('a rerun skips the documents whose content failed and retries only the unreadable file', async () => {
    const before = results(out).length;
    expect(await runStoreBatch({ paths: [docs, dangling], outDir: out, modelSpec: model, settings, quiet: true })).toBe(1);
    const added = results(out).slice(before);
    expect(added.map((r) => path.basename(r.path))).toEqual(['gone.txt']);
    expect(added[0]).toMatchObject({ error: { code: 'READ_FAILED' } });
  });

  it('exit 2 for a model that cannot be used, and for inputs without any text file', async () => {
    expect(await runStoreBatch({ paths: [docs], outDir: path.join(root, 'out2'), modelSpec: path.join(root, 'no-model'), settings, quiet: true })).toBe(2);
    const none = path.join(root, 'nothing');
    fs.mkdirSync(none);
    expect(await runStoreBatch({ paths: [none], outDir: path.join(root, 'out3'), modelSpec: model, settings, quiet: true })).toBe(2);
    expect(fs.existsSync(path.join(root, 'out3'))).toBe(false);
  });
});
