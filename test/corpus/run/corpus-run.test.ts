// A corpus run over ../shared/corpus/licenses with the tiny-a model: the full batch against the single-document
// pipeline, resume skipping everything, a settings change refitting stored taps, pause/resume, and cancel.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../../shared/result.js';
import { analyzeFile } from '../../../electron/core/analysis/index.js';
import { CorpusStore, startCorpusRun, type CorpusOutcome, type CorpusRunStatus, type DocumentRow } from '../../../electron/core/corpus/index.js';
import { loadModel } from '../../../electron/core/model/index.js';
import { sharedDir, tempDir, tinyAModel } from '../../analysis/fixtures.js';
import { folderFiles, results, sha256File, tapsRecords, float64s } from '../helpers.js';

const corpus = path.join(sharedDir, 'corpus/licenses');
const settings: Settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' };
const files = folderFiles(corpus);
let model: { dir: string; name: string; source: string; revision: null };
let root: string;

beforeAll(() => {
  model = { dir: tinyAModel(), name: 'tiny-a', source: 'folder', revision: null };
  root = tempDir('corpus-run');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A status's current file: one document, or a pack named by its first and "(+k more)". */
function jobOf(currentFile: string): { first: string; more: number } {
  const m = /^(.*) \(\+(\d+) more\)$/.exec(currentFile);
  return m ? { first: m[1]!, more: Number(m[2]) } : { first: currentFile, more: 0 };
}

interface Watched {
  outcome: CorpusOutcome;
  statuses: CorpusRunStatus[];
  documents: (DocumentRow & { index: number })[];
}

async function runBatch(outDir: string, s: Settings = settings, paths = [corpus]): Promise<Watched> {
  const run = startCorpusRun({ paths, outDir, model, settings: s });
  const statuses: CorpusRunStatus[] = [];
  const documents: (DocumentRow & { index: number })[] = [];
  run.on('status', (x) => statuses.push(x));
  run.on('document', (d) => documents.push(d));
  return { outcome: await run.done, statuses, documents };
}

describe('a full batch over the 78 licenses', () => {
  const distinct = new Set(files.map(sha256File));
  let out: string;
  let first: Watched;
  beforeAll(async () => {
    out = path.join(root, 'full');
    first = await runBatch(out);
  });

  it('every document ok; the one duplicate content (GFDL-1.2.04 = GFDL-1.3.04) is stored once and reported as stored', () => {
    expect(distinct.size).toBe(77);
    const { outcome } = first;
    expect(outcome.state).toBe('done');
    expect(outcome.rows.map((r) => r.path)).toEqual(files);
    expect(outcome.rows.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(outcome.rows.map((r) => r.sha256)).toEqual(files.map(sha256File));
    const stored = outcome.rows.filter((r) => r.source === 'stored').map((r) => path.basename(r.path));
    expect(stored).toEqual(['GFDL-1.3.04.txt']);
    expect(outcome.status).toMatchObject({ documentsTotal: 78, documentsDone: 78, documentsFailed: 0, documentsSkipped: 1, documentsRefit: 0 });
    expect(outcome.rows.reduce((n, r) => n + r.tokens!, 0)).toBe(58_126);
  });

  it('writes each distinct content once to each log, under the sha256 of its bytes', () => {
    const recs = results(out);
    expect(recs.map((r) => r.sha256).sort()).toEqual([...distinct].sort());
    expect(tapsRecords(out).map((r) => r.sha256).sort()).toEqual([...distinct].sort());
    expect(recs.every((r) => r.status === 'ok' && r.layers!.length === 3 && r.source === 'computed')).toBe(true);
  });

  it('reports progress: documents done never decrease, a rate and an ETA appear, the current file is named', () => {
    const analyzing = first.statuses.filter((s) => s.phase === 'analyzing');
    const done = analyzing.map((s) => s.documentsDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(analyzing.some((s) => s.tokensPerSecond > 0 && s.etaSeconds !== null && s.etaSeconds > 0)).toBe(true);
    // a document run alone is named; a pack of short ones is named by its first, "(+k more)" for the rest, in order
    const named = new Set<string>();
    for (const s of analyzing) {
      const { first, more } = jobOf(s.currentFile ?? '');
      files.slice(files.indexOf(first), files.indexOf(first) + 1 + more).forEach((f) => named.add(f));
    }
    expect(files.filter((f) => !named.has(f))).toEqual([]);
    expect(first.statuses.at(-1)).toMatchObject({ state: 'done', documentsDone: 78, etaSeconds: 0 });
    expect(first.documents.map((d) => d.index)).toEqual(files.map((_, i) => i));
  });

  it('gives the single-document pipeline’s results exactly (fits and log norms), for the first, a middle and the last document', async () => {
    const loaded = await loadModel(model.dir);
    const store = await CorpusStore.open(out, { readOnly: true });
    const identity = { model_sha256: first.outcome.status.model!.model_sha256, tokenizer_sha256: first.outcome.status.model!.tokenizer_sha256 };
    try {
      const taps = new Map(tapsRecords(out).map((t) => [t.sha256, t]));
      const recs = new Map(results(out).map((r) => [r.sha256, r]));
      for (const file of [files[0]!, files[39]!, files[77]!]) {
        const { result } = await analyzeFile(loaded, file, settings);
        if (result.status !== 'ok') throw new Error(`${file}: ${result.status}`);
        // the files themselves, read plainly
        const rec = recs.get(result.sha256!)!;
        expect(rec.layers!.map((l) => l.fit)).toEqual(result.layers.map((l) => l.fit));
        expect(rec.n_tokens).toBe(result.tokens.length);
        const stored = taps.get(result.sha256!)!;
        expect(stored.tokens).toEqual(result.tokens);
        result.layers.forEach((l, i) => expect(Array.from(float64s(stored.log_norms.attn[i]!))).toEqual(l.log_norms));
        // and the store's own reading, as the document view gets it
        expect(await store.readDocument(store.findResult(result.sha256!, identity, settings)!)).toEqual(result);
      }
    } finally {
      await loaded.dispose();
    }
  });

  it('run again: every document skipped, no token through the model, the logs unchanged', async () => {
    const before = fs.readFileSync(path.join(out, 'results.jsonl'));
    const again = await runBatch(out);
    expect(again.outcome.state).toBe('done');
    expect(again.outcome.status).toMatchObject({ documentsDone: 78, documentsSkipped: 78, documentsRefit: 0, tokensDone: 0 });
    expect(again.outcome.rows.map((r) => r.params)).toEqual(first.outcome.rows.map((r) => r.params));
    expect(fs.readFileSync(path.join(out, 'results.jsonl')).equals(before)).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.runs.map((r: { state: string }) => r.state)).toEqual(['done', 'done']);
    expect(manifest.models).toHaveLength(1);
  });

  it('new settings refit the stored taps without the model, equal to a fresh run with those settings', async () => {
    const other: Settings = { component: 'mlp', lags: 3, start: 4, cov: 'HC1' };
    const refit = await runBatch(out, other);
    expect(refit.outcome.status).toMatchObject({ documentsDone: 78, documentsRefit: 77, documentsSkipped: 1, tokensDone: 0, documentsFailed: 0 });
    const key = (s: Settings) => JSON.stringify(s);
    const refitRecs = results(out).filter((r) => key(r.settings) === key(other));
    expect(refitRecs).toHaveLength(77);
    expect(refitRecs.every((r) => r.source === 'refit' && r.layers!.map((l) => l.tap).join() === 'h.0.mlp,h.1.mlp,h.2.mlp')).toBe(true);
    // a fresh run (model and all) over every 8th document, into a new folder
    const sample = files.filter((_, i) => i % 8 === 0);
    const fresh = await runBatch(path.join(root, 'fresh-mlp'), other, sample);
    expect(fresh.outcome.status).toMatchObject({ documentsDone: sample.length, documentsRefit: 0, documentsFailed: 0 });
    const refitBySha = new Map(refitRecs.map((r) => [r.sha256, r]));
    for (const r of results(path.join(root, 'fresh-mlp'))) expect(refitBySha.get(r.sha256)!.layers).toEqual(r.layers);
  });
});

describe('pause and resume', () => {
  it('pause stops before the next document; resume finishes the batch', async () => {
    const some = files.slice(0, 12);
    // one document per job, so there is a next document to stop before (packs pause between packs)
    const run = startCorpusRun({ paths: some, outDir: path.join(root, 'pause'), model, settings, pack: { documents: 1 } });
    const announced: number[] = [];
    let paused: Promise<void> | null = null;
    run.on('document', (d) => {
      announced.push(d.index);
      if (d.index === 5) run.pause();
    });
    run.on('status', (s) => {
      if (s.state === 'paused' && !paused) {
        paused = (async () => {
          const at = announced.length;
          await new Promise((r) => setTimeout(r, 400));
          expect(run.status()).toMatchObject({ state: 'paused', documentsDone: at });
          expect(announced.length).toBe(at);
          run.resume();
        })();
      }
    });
    const outcome = await run.done;
    await paused;
    expect(paused).not.toBeNull();
    expect(outcome.state).toBe('done');
    expect(announced).toEqual(some.map((_, i) => i));
    expect(results(path.join(root, 'pause'))).toHaveLength(12);
  });
});

describe('cancel', () => {
  it('takes effect within a second, keeps every acknowledged document and nothing else; a rerun completes the rest', async () => {
    const out = path.join(root, 'cancel');
    const some = files.slice(0, 24);
    const run = startCorpusRun({ paths: some, outDir: out, model, settings });
    const announced: DocumentRow[] = [];
    let cancelledAt = 0;
    run.on('document', (d) => {
      announced.push(d);
      // cancel once the next document is in the worker
      if (d.index === 10) setTimeout(() => ((cancelledAt = performance.now()), run.cancel()), 5);
    });
    const outcome = await run.done;
    const tookMs = performance.now() - cancelledAt;
    expect(outcome.state).toBe('cancelled');
    expect(tookMs).toBeLessThan(1000);
    const stored = results(out);
    expect(stored.map((r) => r.path)).toEqual(announced.filter((d) => d.source !== 'stored').map((d) => d.path));
    expect(outcome.status.documentsDone).toBe(announced.length);
    expect(announced.length).toBeLessThan(some.length);
    // the lock is released: the folder opens for writing at once
    await (await CorpusStore.open(out)).close();

    const rest = await runBatch(out, settings, some);
    expect(rest.outcome.state).toBe('done');
    expect(rest.outcome.rows.slice(0, announced.length).every((r) => r.source === 'stored')).toBe(true);
    expect(rest.outcome.rows.slice(announced.length).filter((r) => r.source === 'computed')).not.toHaveLength(0);
    // every distinct content exactly once, in document order
    expect(results(out).map((r) => r.sha256)).toEqual([...new Set(some.map(sha256File))]);
  });
});

describe('short documents travel in packs', () => {
  let dir: string;
  let packed: Watched;
  let alone: { outcome: CorpusOutcome };
  beforeAll(async () => {
    // the licenses' paragraphs, each its own short document (what a corpus of abstracts or posts looks like)
    dir = path.join(root, 'paragraphs');
    fs.mkdirSync(dir);
    const paragraphs = files.flatMap((f) => fs.readFileSync(f, 'utf8').split(/\n\s*\n/)).map((p) => p.trim()).filter((p) => p.length > 200);
    paragraphs.slice(0, 120).forEach((p, i) => fs.writeFileSync(path.join(dir, `${String(i).padStart(3, '0')}.txt`), p + '\n'));
    packed = await runBatch(path.join(root, 'packed'), settings, [dir]);
    const run = startCorpusRun({ paths: [dir], outDir: path.join(root, 'alone'), model, settings, pack: { documents: 1 } });
    alone = { outcome: await run.done };
  });

  it('ran packs of several documents, stored every document once, in order', () => {
    expect(packed.outcome.state).toBe('done');
    expect(packed.statuses.some((s) => / \(\+\d+ more\)$/.test(s.currentFile ?? ''))).toBe(true);
    expect(alone.outcome.state).toBe('done');
    // paragraphs the licenses share are one content: stored once, the later copies found stored (even within a pack)
    const recs = results(path.join(root, 'packed'));
    const contents = new Set(folderFiles(dir).map(sha256File));
    expect(contents.size).toBeLessThan(120);
    expect(recs.map((r) => r.sha256).sort()).toEqual([...contents].sort());
    expect(packed.outcome.rows.every((r) => r.status === 'ok')).toBe(true);
    expect(packed.outcome.rows.filter((r) => r.source === 'stored')).toHaveLength(120 - contents.size);
    expect(packed.documents.map((d) => d.index)).toEqual(folderFiles(dir).map((_, i) => i));
  });

  it('gives every document the taps and fits it gets alone (log norms and coefficients within 1e-6)', () => {
    const byShaPacked = new Map(tapsRecords(path.join(root, 'packed')).map((t) => [t.sha256, t]));
    const byShaAlone = new Map(tapsRecords(path.join(root, 'alone')).map((t) => [t.sha256, t]));
    expect(byShaPacked.size).toBe(byShaAlone.size);
    for (const [sha, a] of byShaAlone) {
      const p = byShaPacked.get(sha)!;
      for (const site of ['attn', 'mlp', 'block'] as const) {
        a.log_norms[site].forEach((series, layer) => {
          const x = float64s(series), y = float64s(p.log_norms[site][layer]!);
          expect(y.length).toBe(x.length);
          for (let t = 0; t < x.length; t++) expect(Math.abs(x[t]! - y[t]!)).toBeLessThan(1e-6);
        });
      }
    }
    const rowsAlone = new Map(alone.outcome.rows.map((r) => [r.path, r]));
    for (const row of packed.outcome.rows) {
      expect(row.status).toBe('ok');
      const other = rowsAlone.get(row.path)!;
      row.params!.forEach((ps, layer) => ps.forEach((v, k) => expect(Math.abs(v - other.params![layer]![k]!)).toBeLessThan(1e-6)));
    }
  });
});

describe('on a slow disk', () => {
  it('the worker runs at most one job ahead of what is stored (packs and single documents alike)', async () => {
    // a disk whose fsync takes 40 ms (a network home folder): every FileHandle's sync, restored after
    const probe = await fsp.open(files[0]!, 'r');
    const proto = Object.getPrototypeOf(probe) as { sync: (this: fsp.FileHandle) => Promise<void> };
    await probe.close();
    const sync = proto.sync;
    proto.sync = async function (this: fsp.FileHandle) {
      await new Promise((r) => setTimeout(r, 40));
      return sync.call(this);
    };
    const some = files.slice(0, 40);
    try {
      for (const pack of [undefined, { documents: 1 }]) {
        const run = startCorpusRun({ paths: some, outDir: path.join(root, `slow-disk-${pack ? 'alone' : 'packed'}`), model, settings, ...(pack ? { pack } : {}) });
        // each job's first document and the documents stored when it started
        const starts: { first: number; done: number }[] = [];
        let current: string | null = null;
        run.on('status', (s) => {
          if (s.phase !== 'analyzing' || !s.currentFile || s.currentFile === current) return;
          current = s.currentFile;
          starts.push({ first: some.indexOf(jobOf(s.currentFile).first), done: s.documentsDone });
        });
        const outcome = await run.done;
        expect(outcome.state).toBe('done');
        // the worker's jobs (a content found stored, GFDL-1.3.04, is no job)
        const jobs = starts.filter((s) => outcome.rows[s.first]!.source !== 'stored');
        expect(jobs.length).toBeGreaterThan(pack ? 30 : 5);
        // when job j starts, every document before job j - 1 is stored
        const behind = jobs.slice(1).map((s, j) => ({ ...s, previous: jobs[j]!.first })).filter((s) => s.done < s.previous);
        expect(behind).toEqual([]);
      }
    } finally {
      proto.sync = sync;
    }
  });
});
