// One document of a corpus job for the document view, read back from the results folder (stored taps and fits): no
// model run.
import path from 'node:path';
import { RESULTS_FILE } from '../../corpus/index.js';
import { NormscopeError } from '../../errors.js';
import { isDemoName } from '../../models/index.js';
import { VERSION } from '../../version.js';
import type { OpenDocument } from '../documents.js';
import { displayPath, type HandleRegistry } from '../handles.js';
import type { CorpusJob } from './job.js';

/** A stored document handed to the document view: the service keeps it (refits, figure saves) and returns its view. */
export interface StoredDocument extends Omit<OpenDocument, 'docId'> {
  /** Where the result lives (the results folder's log). */
  savedTo: string;
  readMs: number;
}

/** Document `index` of the job, from its stored result and taps. Throws the document's own error, or READ_FAILED. */
export async function storedDocument(j: CorpusJob, index: number, handles: HandleRegistry): Promise<StoredDocument> {
  const t0 = performance.now();
  const row = j.rowsNow()[index];
  if (!row) throw new NormscopeError('BAD_INPUT', `this batch has no document number ${index + 1}`);
  if (row.status === 'error' && row.error) throw new NormscopeError(row.error.code, `${j.nameOf(row.path)}: ${row.error.message}`);
  if (row.status !== 'ok' || row.sha256 === null || !j.model) throw new NormscopeError('BAD_INPUT', `${j.nameOf(row.path)} has no result yet`);
  const store = await j.reader();
  const entry = store.findResult(row.sha256, j.model, j.settings);
  if (!entry) throw new NormscopeError('READ_FAILED', `the result of ${j.nameOf(row.path)} is not in ${displayPath(j.outDir)}`);
  const [doc, rec, taps] = await Promise.all([store.readDocument(entry), store.readResult(entry), store.readTaps(row.sha256, j.model)]);
  if (doc.status !== 'ok' || !taps) throw new NormscopeError('READ_FAILED', `the stored taps of ${j.nameOf(row.path)} are missing from ${displayPath(j.outDir)}`);
  const known = store.getManifest().models.find((m) => m.model_sha256 === rec.model_sha256 && m.tokenizer_sha256 === rec.tokenizer_sha256);
  if (!known) throw new NormscopeError('READ_FAILED', `${displayPath(j.outDir)}: its manifest does not name the model of ${j.nameOf(row.path)}`);
  const { name, source, n_layer, n_head, n_embd, n_positions, execution_provider } = known;
  return {
    path: row.path,
    file: handles.issue(row.path, 'file'),
    sha256: row.sha256,
    taps,
    tokens: doc.tokens,
    settings: rec.settings,
    layers: doc.layers,
    model: { name, source, n_layer, n_head, n_embd, n_positions, execution_provider, demo: isDemoName(name) },
    provenance: {
      normscope: VERSION,
      model_sha256: rec.model_sha256,
      model_revision: known.revision,
      tokenizer_sha256: rec.tokenizer_sha256,
      execution_provider,
      created: rec.created,
    },
    savedTo: path.join(j.outDir, RESULTS_FILE),
    readMs: performance.now() - t0,
  };
}
