// `normscope analyze PATH... --out-dir DIR`: a corpus run from the terminal or a cluster job, into the same store the
// app uses, so a killed job resumes where it stopped; ends by writing the corpus summary files into DIR.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../../shared/result.js';
import { collectInputs } from '../analysis/index.js';
import { clock } from '../analysis/progress.js';
import { noDocuments } from '../errors.js';
import { reportError } from '../errorPolicy.js';
import type { LoadOptions } from '../model/types.js';
import { resolveModel, type ResolvedModel } from '../models/index.js';
import { startCorpusRun } from './corpus-run.js';
import { writeStoreSummary } from './export.js';
import { hashFile } from './hash-file.js';
import { SHARD_FILE, lockedByAnother, readShardRecord, releaseRequeuedLock, schedulerTask, shardOf, writeShardRecord, type Shard, type ShardRecord } from './shard.js';
import { normalizeSettings } from './settings-key.js';
import { CorpusStore, MANIFEST_FILE, RETRYABLE_CODES } from './store.js';
import type { CorpusStatus } from './types.js';

export interface StoreBatchOptions {
  paths: string[];
  outDir: string;
  /** A model folder or name (models' resolveModel); default: the default model. */
  modelSpec?: string;
  settings: Settings;
  /** No progress or notes on stderr (errors and the demo-model warning still go there). */
  quiet: boolean;
  /** The provider notes on stderr too (by default one line names the model and provider). */
  verbose?: boolean;
  /** Cancels the run (Ctrl-C does too); what was stored stays and a rerun resumes. */
  signal?: AbortSignal;
  loadOptions?: LoadOptions;
  /** Only this shard's documents (by content sha256); the folder also gets a shard.json for `normscope merge`. */
  shard?: Shard;
}

/** Runs the batch; resolves to the exit status: 0 every document ok, 1 some failed or cancelled, 2 bad usage or unusable model. */
export async function runStoreBatch(options: StoreBatchOptions): Promise<number> {
  const note = (s: string) => {
    if (!options.quiet) process.stderr.write(`normscope: ${s}\n`);
  };
  let model: ResolvedModel;
  try {
    model = await resolveModel(options.modelSpec);
  } catch (e) {
    return reportError('analyze', e);
  }
  if (model.demo) {
    // said even with --quiet: nobody should take the demo's numbers for GPT-2's
    process.stderr.write('normscope: no GPT-2 model found, so this run uses the demo model (random weights): its numbers say nothing about GPT-2.\n');
  }

  let paths = options.paths;
  let inputCount = 0;
  if (options.shard) {
    const { index, count } = options.shard;
    try {
      const all = await collectInputs(options.paths);
      inputCount = all.length;
      paths = await filesOfShard(all, options.shard);
    } catch (e) {
      return reportError('analyze', e);
    }
    note(`shard ${index}/${count}: ${paths.length} of ${inputCount} documents`);
    if (inputCount === 0) {
      return reportError('analyze', noDocuments(options.paths));
    }
    if (await releaseRequeuedLock(options.outDir, schedulerTask())) note(`took over the lock this task's earlier run (on another node) left in ${options.outDir}`);
    try {
      await markShard(options, inputCount, paths.length);
    } catch (e) {
      return reportError('analyze', e);
    }
    if (paths.length === 0) return 0;
  }
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  if (options.signal?.aborted) controller.abort();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nnormscope: cancelling — every document finished so far is stored; run the same command again to resume (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const line = options.quiet ? null : new StatusLine(process.stderr);
  try {
    // the batch runs in its own function so that its run, rows and worker are garbage once it returns: a suspended
    // async frame keeps its block's variables alive, and at 10⁵ documents those rows are ~300 MB the summary would carry
    const end = await runBatch(options, model, paths, inputCount, controller.signal, line, note);
    if (typeof end === 'number') return end;
    const { status: s, failed, sha256s } = end;
    const store = await CorpusStore.open(options.outDir, { readOnly: true });
    const identity = { model_sha256: s.model!.model_sha256, tokenizer_sha256: s.model!.tokenizer_sha256 };
    const { files } = await writeStoreSummary(store, identity, options.settings, options.outDir, { sha256s });
    note(
      `${s.documentsDone - s.documentsFailed} of ${s.documentsTotal} documents ok` +
        (s.documentsSkipped ? ` (${s.documentsSkipped} already stored)` : '') +
        (s.documentsRefit ? ` (${s.documentsRefit} refit from stored taps)` : '') +
        (failed ? `, ${failed} failed` : '') +
        `; wrote ${files.map((f) => f.slice(options.outDir.length).replace(/^[\\/]/, '')).join(', ')}`,
    );
    return failed ? 1 : 0;
  } catch (e) {
    line?.end();
    return reportError('analyze', e);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The batch itself: an exit status when it ends the command (cancelled, failed, nothing to do), else what the summary needs. */
async function runBatch(
  options: StoreBatchOptions,
  model: ResolvedModel,
  paths: string[],
  inputCount: number,
  signal: AbortSignal,
  line: StatusLine | null,
  note: (s: string) => void,
): Promise<number | { status: CorpusStatus; failed: number; sha256s: string[] }> {
  let shardWrite: Promise<void> = Promise.resolve();
  const run = startCorpusRun({
    paths,
    outDir: options.outDir,
    model,
    settings: options.settings,
    signal,
    ...(options.loadOptions ? { loadOptions: options.loadOptions } : {}),
  });
  let announced = false;
  let shardStarted = false;
  run.on('status', (s) => {
    if (!announced && s.model) {
      announced = true;
      note(`model ${s.model.name} on ${s.model.execution_provider}; results in ${s.outDir}`);
      if (options.verbose) for (const n of s.model.provider_notes ?? []) note(`  ${n}`);
    }
    if (options.shard && s.model && s.phase === 'analyzing' && !shardStarted) {
      shardStarted = true;
      const model = { model_sha256: s.model.model_sha256, tokenizer_sha256: s.model.tokenizer_sha256 };
      shardWrite = writeShardRecord(options.outDir, shardRecord(options, inputCount, paths.length, 'running', model, { contents: 0, ok: 0, failed: 0 })).catch(
        (e: unknown) => void process.stderr.write(`normscope: cannot write ${SHARD_FILE}: ${(e as Error).message}\n`),
      );
    }
    if (s.phase === 'analyzing' || s.phase === 'finishing') line?.update(s);
  });
  const outcome = await run.done;
  line?.end();
  await shardWrite;
  const failed = outcome.rows.filter((r) => r.status === 'error');
  for (const r of failed) process.stderr.write(`normscope: ${r.path}: ${r.error!.code}: ${r.error!.message}\n`);
  if (outcome.state === 'error') {
    process.stderr.write(`normscope analyze: ${outcome.status.error?.message ?? 'the run failed'}\n`);
    return 2;
  }
  const s = outcome.status;
  if (options.shard && s.model) {
    const model = { model_sha256: s.model.model_sha256, tokenizer_sha256: s.model.tokenizer_sha256 };
    const final = new Map(outcome.rows.flatMap((r) => (r.sha256 && (r.status === 'ok' || (r.status === 'error' && !RETRYABLE_CODES.has(r.error!.code))) ? [[r.sha256, r.status]] : [])));
    const contents = new Set(outcome.rows.map((r) => r.sha256 ?? `path:${r.path}`)).size;
    const complete = outcome.state === 'done' && final.size === contents;
    const ok = [...final.values()].filter((v) => v === 'ok').length;
    await writeShardRecord(options.outDir, shardRecord(options, inputCount, paths.length, complete ? 'complete' : 'incomplete', model, { contents, ok, failed: contents - ok }));
  }
  if (outcome.state === 'cancelled') {
    process.stderr.write(`normscope: cancelled after ${s.documentsDone} of ${s.documentsTotal} documents; run the same command again to resume\n`);
    return 1;
  }
  if (s.documentsTotal === 0) {
    return reportError('analyze', noDocuments(options.paths));
  }
  return { status: s, failed: failed.length, sha256s: outcome.rows.flatMap((r) => (r.sha256 ? [r.sha256] : [])) };
}

/**
 * Makes the folder a store and marks it as this task's shard before any work, so a kill at any point leaves it
 * resumable; an empty shard is marked complete at once. Throws BAD_USAGE when another process holds the folder (its
 * shard.json stays as that process wrote it).
 */
async function markShard(options: StoreBatchOptions, inputCount: number, shardDocs: number): Promise<void> {
  const dir = options.outDir;
  if (await lockedByAnother(dir)) {
    // the store's own open says who holds it, and how to tell whether that process is gone
    await (await CorpusStore.open(dir)).close();
  }
  if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) await (await CorpusStore.open(dir)).close();
  const previous = await readShardRecord(dir).catch(() => null);
  const state = shardDocs === 0 ? 'complete' : 'running';
  await writeShardRecord(dir, shardRecord(options, inputCount, shardDocs, state, previous?.model ?? null, { contents: 0, ok: 0, failed: 0 }));
}

/** The files of `shard`, by content sha256; a file that cannot be read goes by its path's sha256 (its run reports it). */
export async function filesOfShard(files: string[], shard: Shard): Promise<string[]> {
  const picked: string[] = [];
  for (const file of files) {
    const size = await fsp.stat(file).then((s) => (s.isFile() ? s.size : null), () => null);
    const sha = size === null ? null : await hashFile(file, size).catch(() => null);
    const key = sha ?? crypto.createHash('sha256').update(file).digest('hex');
    if (shardOf(key, shard.count) === shard.index) picked.push(file);
  }
  return picked;
}

function shardRecord(
  options: StoreBatchOptions,
  input: number,
  shardDocs: number,
  state: ShardRecord['state'],
  model: ShardRecord['model'],
  counts: { contents: number; ok: number; failed: number },
): Omit<ShardRecord, 'schema' | 'updated'> {
  return { index: options.shard!.index, count: options.shard!.count, state, task: schedulerTask(), inputs: options.paths, settings: normalizeSettings(options.settings), model, documents: { input, shard: shardDocs, ...counts } };
}

/** `12/78 documents · 1,834 tokens/s · ETA 0:21` — one updating line on a terminal, at most a line a second in a log. */
export function formatStatus(s: CorpusStatus): string {
  const parts = [`${s.documentsDone}/${s.documentsTotal} documents`];
  if (s.documentsSkipped) parts.push(`${s.documentsSkipped} stored`);
  if (s.documentsFailed) parts.push(`${s.documentsFailed} failed`);
  parts.push(`${Math.round(s.tokensPerSecond).toLocaleString('en-US')} tokens/s`);
  parts.push(s.documentsDone >= s.documentsTotal ? 'done' : s.etaSeconds === null ? 'ETA –' : `ETA ${clock(s.etaSeconds)}`);
  return parts.join(' · ');
}

class StatusLine {
  private lastPlain = -Infinity;
  private lastText = '';
  private open = false;
  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(s: CorpusStatus): void {
    const text = `normscope: ${formatStatus(s)}`;
    if (text === this.lastText) return;
    this.lastText = text;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.open = true;
    } else if (s.documentsDone >= s.documentsTotal || Date.now() - this.lastPlain >= 1000) {
      this.stream.write(text + '\n');
      this.lastPlain = Date.now();
    }
  }

  end(): void {
    if (this.open) this.stream.write('\n');
    this.open = false;
  }
}
