// A corpus job as the corpus view is shown it: its status and its documents' rows (plain data for IPC).
import type { CorpusDocumentRow, CorpusStatus } from '../../../../shared/ipc.js';
import type { CorpusRunStatus, DocumentRow } from '../../corpus/index.js';
import { isDemoName } from '../../models/index.js';
import type { HandleRegistry } from '../handles.js';
import type { CorpusJob } from './job.js';

/** The corpus view's picture of a job, from its run's status (or the last one). */
export function statusView(j: CorpusJob, s: CorpusRunStatus = j.run?.status() ?? j.last): CorpusStatus {
  const model = s.model ? { name: s.model.name, execution_provider: s.model.execution_provider, demo: j.model?.demo ?? isDemoName(s.model.name) } : null;
  return {
    jobId: j.jobId,
    state: s.state,
    phase: s.phase,
    pausing: s.pausing,
    documentsDone: s.documentsDone,
    documentsTotal: s.documentsTotal,
    documentsFailed: s.documentsFailed,
    documentsSkipped: s.documentsSkipped,
    documentsRefit: s.documentsRefit,
    tokensDone: s.tokensDone,
    tokensPerSecond: s.tokensPerSecond,
    etaSeconds: s.etaSeconds,
    currentFile: s.currentFile === null ? null : j.nameOf(s.currentFile),
    currentTokens: s.currentTokens,
    elapsedSeconds: s.elapsedSeconds,
    inputs: j.inputHandles,
    results: j.resultsHandle,
    settings: j.settings,
    model: model ?? (j.model ? { name: j.model.name, execution_provider: j.model.execution_provider, demo: j.model.demo } : null),
    reopened: j.reopened,
    ...(s.error ? { error: s.error } : {}),
  };
}

/** One document's row as the corpus table shows it. */
export function rowView(j: CorpusJob, r: DocumentRow, index: number, handles: HandleRegistry): CorpusDocumentRow {
  return {
    index,
    file: handles.issue(r.path, 'file'),
    name: j.nameOf(r.path),
    status: r.status,
    source: r.source ?? null,
    tokens: r.tokens ?? null,
    ...(r.error ? { errorCode: r.error.code, errorMessage: r.error.message } : {}),
    rsquared: r.rsquared ?? [],
    betas: (r.params ?? []).map((p) => p.slice(1)),
    pvalues: (r.pvalues ?? []).map((p) => p.slice(1)),
  };
}
