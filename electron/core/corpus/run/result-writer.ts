// The storing side of a corpus run: each outcome's taps and result appended to the store in document order, on a
// chain that runs beside the job loop (storing one result overlaps the model's work on the next job), and each
// document's row filled and counted only once its result is on disk. The first failure to store ends the job.
import type { Settings } from '../../../../shared/result.js';
import type { CorpusStore, ModelIdentity, ResultRecord, StoredFit } from '../store/index.js';
import type { DocumentRow, DocumentSource } from './types.js';
import type { JobOutcome } from './worker-protocol.js';

/** The run's tally of finished documents (its status reads it). */
export interface RunCounts {
  done: number;
  failed: number;
  skipped: number;
  refit: number;
}

/** What the run is told as results land. */
export interface WriterEvents {
  /** The document's row is final: its result is on disk (or it failed). */
  document(index: number): void;
  /** A stored outcome: the document's bytes are done, with its model tokens and seconds when the model computed it. */
  stored(index: number, measure: { tokens: number; seconds: number } | undefined): void;
}

export class ResultWriter {
  /** Contents being stored right now: a document of the same content waits for them, so it is found stored rather
   * than computed twice. */
  readonly storing = new Set<string>();
  /** The chain of results being stored, in document order. */
  private chain: Promise<void> = Promise.resolve();
  /** The chain as it stood when the last job started (every result before it); see jobSlot. */
  private beforeLastJob: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly store: CorpusStore,
    private readonly model: ModelIdentity,
    private readonly settings: Settings,
    private readonly paths: readonly string[],
    private readonly rows: DocumentRow[],
    private readonly counts: RunCounts,
    private readonly events: WriterEvents,
  ) {}

  /** Resolves once everything chained so far is stored; throws the first failure to store. */
  async stored(): Promise<void> {
    await this.chain;
    this.throwIfFailed();
  }

  /** Resolves once everything chained so far has been tried (a pause waits on it: paused means nothing more changes). */
  settled(): Promise<void> {
    return this.chain;
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /** Waits until every result before the last job is stored, then starts a new job: a fast worker on a slow disk holds
   * at most one job's unstored results (taps and all), and a kill or a Cancel meets at most the job in flight and the
   * one being stored. */
  async jobSlot(): Promise<void> {
    await this.beforeLastJob;
    this.beforeLastJob = this.chain;
  }

  /** Chains storing one outcome after those before it (document order). */
  add(index: number, contentSha: string, outcome: JobOutcome, source: 'computed' | 'refit', seconds: number): void {
    // the file may have changed since it was hashed: the result belongs to the bytes the worker read
    this.storing.add(contentSha);
    this.chain = this.chain
      .then(() => this.persist(index, contentSha, outcome, source, seconds))
      .catch((e: unknown) => void (this.failure ??= e))
      .finally(() => this.storing.delete(contentSha));
  }

  /** Appends a result, then updates the row and announces it (acknowledged only once on disk). */
  async record(index: number, fields: Omit<ResultRecord, 'kind' | 'created'>): Promise<void> {
    await this.store.appendResult(fields);
    this.fillRow(this.rows[index]!, { ...fields, kind: 'result', created: '' }, fields.source);
    this.counts.done++;
    if (fields.status === 'error') this.counts.failed++;
    this.events.document(index);
  }

  /** A document whose result for these settings is stored already: its row from that record, counted as skipped. */
  found(index: number, rec: ResultRecord): void {
    this.fillRow(this.rows[index]!, rec, 'stored');
    this.counts.done++;
    this.counts.skipped++;
    if (rec.status === 'error') this.counts.failed++;
  }

  /** Stores one document's outcome (taps first, then the result), then counts it. */
  private async persist(index: number, sha: string, outcome: JobOutcome, source: 'computed' | 'refit', seconds: number): Promise<void> {
    if (outcome.tapsFrame) await this.store.appendTapsFrame(sha, this.model, outcome.tapsFrame);
    await this.record(index, {
      sha256: sha,
      path: this.paths[index]!,
      ...this.model,
      settings: this.settings,
      status: outcome.error ? 'error' : 'ok',
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(outcome.tokens !== undefined ? { n_tokens: outcome.tokens } : {}),
      ...(outcome.layers ? { layers: outcome.layers } : {}),
      ...(outcome.layers && outcome.factors ? { factors: outcome.factors } : {}),
      source,
    });
    if (source === 'refit') this.counts.refit++;
    this.events.stored(index, source === 'computed' && outcome.tokens !== undefined ? { tokens: outcome.tokens, seconds } : undefined);
  }

  private fillRow(row: DocumentRow, rec: ResultRecord, source: DocumentSource): void {
    row.sha256 = rec.sha256;
    row.status = rec.status;
    row.source = source;
    if (rec.n_tokens !== undefined) row.tokens = rec.n_tokens;
    if (rec.error) row.error = rec.error;
    if (rec.layers) {
      row.rsquared = rec.layers.map((l: StoredFit) => l.fit.rsquared);
      row.params = rec.layers.map((l) => l.fit.params);
      row.pvalues = rec.layers.map((l) => l.fit.pvalues);
    }
  }
}
