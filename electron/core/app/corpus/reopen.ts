// A results folder chosen again: shown from its files as a job (its last run's texts, settings and model), ready to
// resume; each document's row found by content hash as a run finds it.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../../../shared/result.js';
import { collectInputs } from '../../analysis/index.js';
import { CorpusStore, MANIFEST_FILE, hashFile, normalizeSettings, type DocumentRow, type ModelIdentity, type ResultRecord } from '../../corpus/index.js';
import { NormscopeError } from '../../errors.js';
import { isDemoName } from '../../models/index.js';
import { displayPath, type HandleRegistry } from '../handles.js';
import { CorpusJob, idleStatus, type Input } from './job.js';

/** The job of a results folder's stored results; null when it holds none yet (a new or empty folder). */
export async function reopenJob(outDir: string, handles: HandleRegistry): Promise<CorpusJob | null> {
  let store: CorpusStore;
  try {
    store = await CorpusStore.open(outDir, { readOnly: true });
  } catch (e) {
    // a new or empty folder: nothing to show yet, a run will create the store
    if (e instanceof NormscopeError && e.code === 'BAD_INPUT' && !(await exists(path.join(outDir, MANIFEST_FILE)))) return null;
    throw e;
  }
  const manifest = store.getManifest();
  const lastRun = manifest.runs.at(-1);
  if (!lastRun) return null;
  const entry = manifest.models.find((m) => m.model_sha256 === lastRun.model_sha256);
  if (!entry) throw new NormscopeError('BAD_INPUT', `${displayPath(outDir)}: its manifest names no model for its last run`);
  const inputs = await existing(lastRun.inputs.map((p) => path.resolve(outDir, p)));
  const j = new CorpusJob(inputs, outDir, normalizeSettings(lastRun.settings), handles);
  j.reopened = true;
  j.adoptReader(store);
  j.model = { model_sha256: entry.model_sha256, tokenizer_sha256: entry.tokenizer_sha256, name: entry.name, execution_provider: entry.execution_provider, demo: isDemoName(entry.name) };
  j.rows = await storedRows(store, j.inputs, j.model, j.settings);
  const done = j.rows.filter((r) => r.status === 'ok' || r.status === 'error').length;
  j.last = {
    ...idleStatus(outDir),
    // everything stored is done, whatever stopped the last run; else what stopped it (a killed run reads as cancelled)
    state: done === j.rows.length ? 'done' : lastRun.state === 'error' ? 'error' : 'cancelled',
    documentsTotal: j.rows.length,
    documentsDone: done,
    documentsFailed: j.rows.filter((r) => r.status === 'error').length,
    documentsSkipped: done,
    model: { name: entry.name, model_sha256: entry.model_sha256, tokenizer_sha256: entry.tokenizer_sha256, execution_provider: entry.execution_provider },
  };
  return j;
}

/**
 * A reopened folder's rows: each document of the recorded inputs with its stored result, found by content hash as a
 * run finds it (so a resume redoes exactly the pending ones); the stored results themselves when the inputs are gone.
 */
async function storedRows(store: CorpusStore, inputs: string[], model: ModelIdentity, settings: Settings): Promise<DocumentRow[]> {
  const paths = inputs.length > 0 ? await collectInputs(inputs) : [];
  if (paths.length === 0) {
    const entries = store.entries(model, settings).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return Promise.all(entries.map(async (e) => rowOfRecord(await store.readResult(e), e.path)));
  }
  const rows: DocumentRow[] = [];
  for (const p of paths) {
    const sha = await hashFile(p).catch(() => null);
    const entry = sha === null ? undefined : store.findResult(sha, model, settings);
    rows.push(entry ? rowOfRecord(await store.readResult(entry), p) : { path: p, sha256: sha, status: 'pending' });
  }
  return rows;
}

function rowOfRecord(rec: ResultRecord, docPath: string): DocumentRow {
  return {
    path: docPath,
    sha256: rec.sha256,
    status: rec.status,
    source: 'stored',
    ...(rec.n_tokens !== undefined ? { tokens: rec.n_tokens } : {}),
    ...(rec.error ? { error: rec.error } : {}),
    ...(rec.layers ? { rsquared: rec.layers.map((l) => l.fit.rsquared), params: rec.layers.map((l) => l.fit.params), pvalues: rec.layers.map((l) => l.fit.pvalues) } : {}),
  };
}

async function exists(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => null)) !== null;
}

/** The recorded inputs that are still there (a moved corpus cannot be resumed from its old place). */
async function existing(paths: string[]): Promise<Input[]> {
  const found = await Promise.all(
    paths.map(async (p): Promise<Input | null> => {
      const stat = await fs.stat(p).catch(() => null);
      return stat ? { path: p, kind: stat.isDirectory() ? 'folder' : 'file' } : null;
    }),
  );
  return found.filter((i): i is Input => i !== null);
}
