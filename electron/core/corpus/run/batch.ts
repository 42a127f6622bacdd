// `normscope analyze PATH... --out-dir DIR`: a corpus run from the terminal or a cluster job, into the same store the
// app uses, so a killed job resumes where it stopped; ends by writing the corpus summary files into DIR.
// `--shard` flows one way: the inputs are hashed once (their shard is their content's), the store is opened once (its
// lock taken, its shard.json written by the store), the run and then the summary work on that one open store.
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import type { Settings } from '../../../../shared/result.js';
import { collectInputs } from '../../analysis/index.js';
import { noDocuments } from '../../errors.js';
import { reportError } from '../../errorPolicy.js';
import type { LoadOptions } from '../../model/index.js';
import { resolveModel, type ResolvedModel } from '../../models/index.js';
import { clock, ProgressLine } from '../../terminal/progress-line.js';
import { schedulerTask, shardOf, type Shard } from '../cluster/shard.js';
import { CorpusStore, RETRYABLE_CODES, SHARD_FILE, normalizeSettings, releaseRequeuedLock, type ModelIdentity, type ShardRecord } from '../store/index.js';
import { writeStoreSummary } from '../summary/summary-files.js';
import { startCorpusRun } from './corpus-run.js';
import { hashFile } from './hash-file.js';
import type { CorpusRunStatus } from './types.js';

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
  /** Largest document read, in bytes (`--max-bytes`). */
  maxBytes?: number;
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
  let prepared: Prepared | number;
  try {
    prepared = await prepare(options, note);
  } catch (e) {
    return reportError('analyze', e);
  }
  if (typeof prepared === 'number') return prepared;
  try {
    return await runAndSummarize(options, model, prepared, note);
  } finally {
    await prepared.store.close();
  }
}

/** What the run needs, prepared before it: the documents (this shard's, when sharded), the hashes taken for sharding,
 * and the one open store. */
interface Prepared {
  store: CorpusStore;
  /** What the run scans: the command's paths, or this shard's files. */
  paths: string[];
  /** Content sha256 by file, of the files hashed to pick the shard (the run hashes no file twice). */
  hashes: ReadonlyMap<string, string>;
  inputCount: number;
}

/** Collects the inputs, picks this shard's, opens the store (taking its lock) and marks the shard in it. An exit status
 * when there is nothing to run. Throws NormscopeError (BAD_USAGE when another process holds the folder). */
async function prepare(options: StoreBatchOptions, note: (s: string) => void): Promise<Prepared | number> {
  const all = await collectInputs(options.paths);
  if (all.length === 0) throw noDocuments(options.paths);
  if (!options.shard) return { store: await CorpusStore.open(options.outDir), paths: options.paths, hashes: new Map(), inputCount: all.length };
  const { index, count } = options.shard;
  const picked = await pickShard(all, options.shard);
  note(`shard ${index}/${count}: ${picked.files.length} of ${all.length} documents`);
  if (await releaseRequeuedLock(options.outDir, schedulerTask())) note(`took over the lock this task's earlier run (on another node) left in ${options.outDir}`);
  // the store's open says who holds the folder, and how to tell whether that process is gone; its shard.json stays
  const store = await CorpusStore.open(options.outDir);
  try {
    // marked before any work, so a kill at any point leaves the folder resumable; an empty shard is complete at once
    const previous = await store.readShardRecord().catch(() => null);
    const state = picked.files.length === 0 ? 'complete' : 'running';
    await store.writeShardRecord(shardRecord(options, all.length, picked.files.length, state, previous?.model ?? null, { contents: 0, ok: 0, failed: 0 }));
  } catch (e) {
    await store.close();
    throw e;
  }
  if (picked.files.length === 0) {
    await store.close();
    return 0;
  }
  return { store, paths: picked.files, hashes: picked.hashes, inputCount: all.length };
}

/** The run (Ctrl-C cancels it; what is stored stays), then the summary files from the same store. */
async function runAndSummarize(options: StoreBatchOptions, model: ResolvedModel, prepared: Prepared, note: (s: string) => void): Promise<number> {
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  if (options.signal?.aborted) controller.abort();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nnormscope: cancelling — every document finished so far is stored; run the same command again to resume (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const line = options.quiet ? null : new ProgressLine(process.stderr);
  try {
    // the batch runs in its own function so that its run, rows and worker are garbage once it returns: a suspended
    // async frame keeps its block's variables alive, and at 10⁵ documents those rows are ~300 MB the summary would carry
    const end = await runBatch(options, model, prepared, controller.signal, line, note);
    if (typeof end === 'number') return end;
    const { status: s, failed, sha256s } = end;
    const identity = { model_sha256: s.model!.model_sha256, tokenizer_sha256: s.model!.tokenizer_sha256 };
    const { files } = await writeStoreSummary(prepared.store, identity, options.settings, options.outDir, { sha256s });
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
  prepared: Prepared,
  signal: AbortSignal,
  line: ProgressLine | null,
  note: (s: string) => void,
): Promise<number | { status: CorpusRunStatus; failed: number; sha256s: string[] }> {
  const { store, paths, hashes, inputCount } = prepared;
  let shardWrite: Promise<void> = Promise.resolve();
  const run = startCorpusRun({
    paths,
    outDir: options.outDir,
    model,
    settings: options.settings,
    signal,
    store,
    hashes,
    ...(options.loadOptions ? { loadOptions: options.loadOptions } : {}),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
  let announced = false;
  let shardStarted = false;
  // through the progress line, which clears itself first: a warning never shares a terminal line with it
  const warn = (s: string) => (line ? line.warn(s) : process.stderr.write(`normscope: ${s}\n`));
  const say = (s: string) => (line ? line.warn(s) : note(s));
  run.on('restart', (r) => warn(`the inference process stopped on ${r.path} (${r.message}); restarted, running it again`));
  run.on('status', (s) => {
    if (!announced && s.model) {
      announced = true;
      say(`model ${s.model.name} on ${s.model.execution_provider}; results in ${s.outDir}`);
      if (options.verbose) for (const n of s.model.provider_notes ?? []) say(`  ${n}`);
    }
    if (options.shard && s.model && s.phase === 'analyzing' && !shardStarted) {
      shardStarted = true;
      const running = shardRecord(options, inputCount, paths.length, 'running', identityOf(s.model), { contents: 0, ok: 0, failed: 0 });
      shardWrite = store.writeShardRecord(running).catch((e: unknown) => void process.stderr.write(`normscope: cannot write ${SHARD_FILE}: ${(e as Error).message}\n`));
    }
    if (s.phase === 'analyzing' || s.phase === 'finishing') line?.show(formatStatus(s), s.documentsDone >= s.documentsTotal);
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
    const final = new Map(outcome.rows.flatMap((r) => (r.sha256 && (r.status === 'ok' || (r.status === 'error' && !RETRYABLE_CODES.has(r.error!.code))) ? [[r.sha256, r.status]] : [])));
    const contents = new Set(outcome.rows.map((r) => r.sha256 ?? `path:${r.path}`)).size;
    const complete = outcome.state === 'done' && final.size === contents;
    const ok = [...final.values()].filter((v) => v === 'ok').length;
    await store.writeShardRecord(shardRecord(options, inputCount, paths.length, complete ? 'complete' : 'incomplete', identityOf(s.model), { contents, ok, failed: contents - ok }));
  }
  if (outcome.state === 'cancelled') {
    process.stderr.write(`normscope: cancelled after ${s.documentsDone} of ${s.documentsTotal} documents; run the same command again to resume\n`);
    return 1;
  }
  return { status: s, failed: failed.length, sha256s: outcome.rows.flatMap((r) => (r.sha256 ? [r.sha256] : [])) };
}

const identityOf = (m: ModelIdentity): ModelIdentity => ({ model_sha256: m.model_sha256, tokenizer_sha256: m.tokenizer_sha256 });

/** The files of `shard`, by content sha256; a file that cannot be read goes by its path's sha256 (its run reports it). */
export async function filesOfShard(files: string[], shard: Shard): Promise<string[]> {
  return (await pickShard(files, shard)).files;
}

/** filesOfShard, with the content hashes it took (so the run does not hash those files again). */
async function pickShard(files: string[], shard: Shard): Promise<{ files: string[]; hashes: Map<string, string> }> {
  const picked: string[] = [];
  const hashes = new Map<string, string>();
  for (const file of files) {
    const size = await fsp.stat(file).then((s) => (s.isFile() ? s.size : null), () => null);
    const sha = size === null ? null : await hashFile(file, size).catch(() => null);
    const key = sha ?? crypto.createHash('sha256').update(file).digest('hex');
    if (shardOf(key, shard.count) !== shard.index) continue;
    picked.push(file);
    if (sha) hashes.set(file, sha);
  }
  return { files: picked, hashes };
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
export function formatStatus(s: CorpusRunStatus): string {
  const parts = [`${s.documentsDone}/${s.documentsTotal} documents`];
  if (s.documentsSkipped) parts.push(`${s.documentsSkipped} stored`);
  if (s.documentsFailed) parts.push(`${s.documentsFailed} failed`);
  parts.push(`${Math.round(s.tokensPerSecond).toLocaleString('en-US')} tokens/s`);
  parts.push(s.documentsDone >= s.documentsTotal ? 'done' : s.etaSeconds === null ? 'ETA –' : `ETA ${clock(s.etaSeconds)}`);
  return parts.join(' · ');
}
