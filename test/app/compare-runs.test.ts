// The Compare view's corpus side through the app service (as the harness and Electron bind it): an open results
// folder's sibling runs are listed, compared into the same numbers `compare --runs` gives, and a settings mismatch is
// refused naming the field.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/core/app/index.js';
import { compareRuns } from '../../electron/core/compare/index.js';
import type { CompareRunChoice, CompareView, FileHandle, Reply } from '../../shared/ipc.js';
import { normscope, tempDir } from '../analysis/fixtures.js';
import { COMPARE_MODELS, licensesSubset } from '../compare/fixtures.js';
import { startHarness, type Harness } from '../harness/server.js';

let texts: string;
let parent: string;
let harness: Harness;
const folders: string[] = [];

async function ask<T>(channel: string, req: unknown): Promise<Reply<T>> {
  return (await dispatch(harness.service, channel, req)) as Reply<T>;
}

async function folderHandle(dir: string): Promise<FileHandle> {
  harness.hooks.nextFolder(dir);
  const r = await ask<FileHandle>('file:chooseFolder', { purpose: 'results' });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

beforeAll(async () => {
  texts = licensesSubset(3, 'compare-app-runs');
  parent = tempDir('compare-app-runs-out');
  for (const m of COMPARE_MODELS) {
    folders.push(path.join(parent, m.label));
    expect(normscope(['analyze', '--model', m.dir(), '--out-dir', folders.at(-1)!, '--quiet', texts]).status).toBe(0);
  }
  const other = path.join(parent, 'zz-lags-1');
  expect(normscope(['analyze', '--model', COMPARE_MODELS[0]!.dir(), '--out-dir', other, '--lags', '1', '--quiet', texts]).status).toBe(0);
  fs.mkdirSync(path.join(parent, 'not-a-run'));
  harness = await startHarness();
}, 120_000);

afterAll(async () => {
  await harness?.close();
  for (const d of [texts, parent]) fs.rmSync(d, { recursive: true, force: true });
});

describe('compare:siblings and compare:start { runs }', () => {
  it('lists every finished run beside the open one (itself marked), with its model and document count', async () => {
    const own = await folderHandle(folders[0]!);
    const r = await ask<CompareRunChoice[]>('compare:siblings', { resultsFolder: own.id });
    if (!r.ok) throw new Error(r.error.message);
    // folders sort by name: the fixture models' runs (labels in order), then the lags-1 run of the first
    expect(r.value.map((c) => [c.folder.name, c.model, c.documents, c.current])).toEqual([
      ...COMPARE_MODELS.map((m, k) => [m.label, m.label, 3, k === 0]),
      ['zz-lags-1', COMPARE_MODELS[0]!.label, 3, false],
    ]);
  });

  it('compares two runs into what compare --runs gives, saved before the reply', async () => {
    const ids = (await Promise.all(folders.map(folderHandle))).map((h) => h.id);
    const r = await ask<CompareView>('compare:start', { runs: ids });
    if (!r.ok) throw new Error(r.error.message);
    const direct = await compareRuns(folders);
    expect(r.value.comparison.runs).toEqual(direct.runs);
    expect(r.value.comparison.summary).toEqual(direct.summary);
    expect(r.value.figures['compare-log-norms-depth']).toBeNull();
    expect(r.value.figures['compare-share-significant'].models.map((m) => m.share)).toEqual(direct.summary.map((s) => s.share_significant));
    const saved = path.join(harness.dataDir, 'results', 'comparisons');
    expect(fs.readdirSync(saved).map((f) => JSON.parse(fs.readFileSync(path.join(saved, f), 'utf8')))).toContainEqual(r.value.comparison);
  });

  it('refuses runs fitted with different settings, naming the field; and a request outside 2–4 runs', async () => {
    const ids = [(await folderHandle(folders[0]!)).id, (await folderHandle(path.join(parent, 'zz-lags-1'))).id];
    const r = await ask<CompareView>('compare:start', { runs: ids });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'BAD_USAGE', message: expect.stringContaining('different settings: lags is 1') });
    const one = await ask<CompareView>('compare:start', { runs: ids.slice(0, 1) });
    expect(!one.ok && one.error.code).toBe('BAD_INPUT');
  });
});
