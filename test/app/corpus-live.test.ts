// The corpus view's live results, at the service (what the renderer asks over IPC): while a batch of the 78 licenses
// runs on tiny-a, corpus:results answers with the documents stored so far, a new summary at most every
// CORPUS_LIVE_REFRESH_MS (the same object in between), and once the batch is done, the core's summary of every document.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_LIVE_REFRESH_MS, type CorpusResults, type CorpusStatus } from '../../shared/ipc.js';
import { DEFAULT_SETTINGS } from '../../shared/result.js';
import { CorpusStore, summarizeStore } from '../../electron/core/corpus/index.js';
import { startHarness, type Harness } from '../harness/server.js';
import { SHARED, tinyModel } from './fixtures.js';

describe('corpus:results while a batch runs', () => {
  let h: Harness;
  let work: string;
  const seen: { at: number; results: CorpusResults; done: number }[] = [];
  let final: CorpusResults;
  let out: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-corpus-live-'));
    out = path.join(work, 'results');
    fs.mkdirSync(out);
    h = await startHarness({ modelSpec: tinyModel() });
    const call = h.service.handlers as unknown as Record<string, (req: unknown) => Promise<unknown>>;
    h.hooks.nextFolder(path.join(SHARED, 'corpus', 'licenses'));
    const folder = (await call['file:chooseFolder']!({ purpose: 'corpus' })) as { id: string };
    h.hooks.nextFolder(out);
    const resultsFolder = (await call['file:chooseFolder']!({ purpose: 'results' })) as { id: string };
    const started = (await call['corpus:start']!({ folder: folder.id, resultsFolder: resultsFolder.id, settings: DEFAULT_SETTINGS })) as CorpusStatus;
    // ask as the renderer does, but as often as we can: the service decides how often a new summary is made
    for (;;) {
      const s = (await call['corpus:status']!({ jobId: started.jobId })) as CorpusStatus;
      if (s.state !== 'running') break;
      if (s.documentsDone > 0 && s.model) {
        const results = (await call['corpus:results']!({ jobId: started.jobId })) as CorpusResults;
        seen.push({ at: performance.now(), results, done: s.documentsDone });
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    final = (await call['corpus:results']!({ jobId: started.jobId })) as CorpusResults;
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('answers with the results stored so far while the batch runs, growing', () => {
    expect(seen.length).toBeGreaterThan(1);
    const counts = seen.map((s) => s.results.counts.ok);
    expect(counts[0]!).toBeGreaterThan(0);
    expect(counts.at(-1)!).toBeLessThan(final.counts.ok);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it('makes a new summary at most every CORPUS_LIVE_REFRESH_MS, and serves the same one in between', () => {
    const distinct = seen.filter((s, i) => i === 0 || s.results !== seen[i - 1]!.results);
    expect(distinct.length).toBeLessThan(seen.length);
    for (let i = 1; i < distinct.length; i++) expect(distinct[i]!.at - distinct[i - 1]!.at).toBeGreaterThanOrEqual(CORPUS_LIVE_REFRESH_MS - 50);
  });

  it('once done, gives the core summary of every document', async () => {
    expect(final.counts).toEqual({ total: 77, ok: 77, failed: 0 });
    const store = await CorpusStore.open(out, { readOnly: true });
    const model = store.getManifest().models[0]!;
    const { summary } = await summarizeStore(store, model, DEFAULT_SETTINGS);
    expect(final.counts).toEqual(summary.documents);
    final.layers.forEach((l, i) => {
      const core = summary.layers[i]!;
      expect(l.nDocuments).toBe(core.n_documents);
      expect(l.coefficients.map((c) => c.weightedMean)).toEqual(core.coefficients.map((c) => c.weighted!.mean));
      const pooled = l.pooled as { coefficients: { estimate: number }[] };
      expect(pooled.coefficients.map((c) => c.estimate)).toEqual((core.pooled as { params: number[] }).params);
    });
    // the last live answer was the summary of fewer documents: its weighted mean differs from the final one
    expect(seen.at(-1)!.results.layers[0]!.coefficients[1]!.weightedMean).not.toBe(final.layers[0]!.coefficients[1]!.weightedMean);
  });
});
