// `pull`: downloads a model of any supported family from the hub into the shared Hugging Face cache. config.json comes
// first and is judged (supported family, every field the engine builds, float32 memory within this machine's) before
// any weight file is even asked about. Every file is resolved to one commit, fetched into its blob (resumable,
// verified), and only when all are there are snapshots/<commit>/ and refs/<revision> written, so a cache never shows a
// half-pulled model; a cancel or a refused config also removes the blobs this pull added.
import fs from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../../../shared/bytes.js';
import { NormscopeError } from '../errors.js';
import { checkMemory, checkModelFolder, describeConfig, INDEX_FILE, readIndex, resolveContext, WEIGHTS_FILE, type ArchitectureDescription } from '../model/index.js';
import { fileSize } from './folder.js';
import { CachedRepo } from './hf-cache.js';
import { cancelled, fileMetadata, type FileMetadata } from './hub.js';
import { withLock } from './lock.js';
import { hfHubCache, hfOffline } from './locations.js';
import { findRegistryEntry, GPT2_FAMILY, isRepoId, MODEL_FILES } from './registry.js';
import { checkedRevision } from './revision.js';
import { transferBlob, type TransferOptions } from './transfer.js';

export interface PullProgress {
  /** resolving: asking the hub for commit, etags and sizes; waiting: another process is downloading the same file;
   * downloading: bytes flowing; linking: writing the snapshot; done. */
  phase: 'resolving' | 'waiting' | 'downloading' | 'linking' | 'done';
  name: string;
  repo: string;
  /** The file being downloaded (null outside 'downloading'). */
  file: string | null;
  /** Bytes present of all files together (resumed and cached ones included), and their total. */
  bytes: number;
  total: number;
  fileBytes: number;
  fileTotal: number;
  /** Network bytes per second over the last few seconds (0 until measurable). */
  rate: number;
  /** Seconds left at that rate; null while unknown. */
  etaSeconds: number | null;
}

export interface PullOptions extends Omit<TransferOptions, 'onBytes'> {
  /** Branch, tag or commit (default 'main'). */
  revision?: string;
  onProgress?: (p: PullProgress) => void;
  /** Least time between two 'downloading' events (default 200 ms). */
  progressIntervalMs?: number;
}

export interface PulledFile {
  file: string;
  etag: string;
  size: number;
  /** downloaded: fetched whole; resumed: continued from a partial file; cached: the blob was already there. */
  status: 'downloaded' | 'resumed' | 'cached';
}

export interface PullResult {
  name: string;
  repo: string;
  /** The commit the snapshot holds. */
  revision: string;
  dir: string;
  files: PulledFile[];
  /** Bytes that came over the network in this pull. */
  downloadedBytes: number;
}

const RATE_WINDOW_MS = 5000;

/** Smoothed transfer rate and throttled progress events. */
function progressReporter(base: Pick<PullProgress, 'name' | 'repo' | 'total'>, opts: PullOptions) {
  const samples: { t: number; bytes: number }[] = [];
  let network = 0;
  let last = 0;
  let p: PullProgress = { ...base, phase: 'resolving', file: null, bytes: 0, fileBytes: 0, fileTotal: 0, rate: 0, etaSeconds: null };
  const emit = (force: boolean) => {
    const now = Date.now();
    if (!force && now - last < (opts.progressIntervalMs ?? 200)) return;
    last = now;
    samples.push({ t: now, bytes: network });
    while (samples.length > 2 && now - samples[0].t > RATE_WINDOW_MS) samples.shift();
    const dt = (now - samples[0].t) / 1000;
    const rate = dt >= 0.5 ? (network - samples[0].bytes) / dt : p.rate;
    p = { ...p, rate, etaSeconds: rate > 0 ? (p.total - p.bytes) / rate : null };
    opts.onProgress?.({ ...p });
  };
  return {
    set(change: Partial<PullProgress>, force = true) {
      p = { ...p, ...change };
      emit(force);
    },
    bytes(delta: number) {
      network += delta;
      p = { ...p, bytes: p.bytes + delta, fileBytes: p.fileBytes + delta };
      emit(false);
    },
    get current() {
      return p;
    },
  };
}

async function freeBytes(dir: string): Promise<number | null> {
  try {
    const s = await fs.statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}


/** The hub id a pull name means: a registry name (GPT-2 sizes, suggested models) or any `ORG/NAME`. */
export function pullTarget(name: string): { name: string; repo: string } {
  const entry = findRegistryEntry(name);
  if (entry) return { name: entry.name, repo: entry.repo };
  if (isRepoId(name)) return { name, repo: name };
  throw new NormscopeError('MODEL_NOT_FOUND', `cannot pull ${JSON.stringify(name)}: name one of ${GPT2_FAMILY.map((e) => e.name).join(', ')} or a hub id ORG/NAME`, { name });
}

const isHttp404 = (e: unknown) => e instanceof NormscopeError && e.code === 'HTTP_NOT_FOUND' && e.details?.status === 404;

/** A refusal of the model itself: the blobs this pull added go, so the cache is as it was. */
const REFUSED = new Set(['UNSUPPORTED_MODEL', 'BAD_CONFIG', 'MODEL_TOO_LARGE', 'BAD_MODEL']);

/** A small file (config, index) fetched now, before the others are resolved; `created` collects a new blob. */
async function fetchNow(meta: FileMetadata, repo: CachedRepo, opts: PullOptions, created: string[]): Promise<PulledFile> {
  if ((await fileSize(repo.blob(meta.etag))) === meta.size) return { file: meta.file, etag: meta.etag, size: meta.size, status: 'cached' };
  const r = await withLock(repo.lock(meta.etag), () => transferBlob(meta, repo, opts), { signal: opts.signal });
  created.push(r.blob);
  return { file: meta.file, etag: meta.etag, size: meta.size, status: 'downloaded' };
}

/** config.json judged as the engine will judge it: a supported family, every field honoured (UNSUPPORTED_MODEL naming
 * the field, BAD_CONFIG), and the float32 memory of a session at the default context within this machine's (MODEL_TOO_LARGE). */
async function judgeConfig(blob: string, repo: string): Promise<ArchitectureDescription> {
  const file = `${repo} config.json`;
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(blob, 'utf8'));
  } catch (e) {
    throw new NormscopeError('BAD_CONFIG', `${file}: not JSON (${(e as Error).message})`, { repo });
  }
  const a = describeConfig(json, file);
  checkMemory(a, resolveContext(a), repo);
  return a;
}

/** The weights: model.safetensors, else model.safetensors.index.json (fetched now) and every shard it names. */
async function resolveWeights(repo: CachedRepo, commit: string, opts: PullOptions, created: string[]): Promise<{ metas: FileMetadata[]; index: PulledFile | null }> {
  try {
    return { metas: [await fileMetadata(repo.repo, commit, WEIGHTS_FILE, opts)], index: null };
  } catch (e) {
    if (!isHttp404(e)) throw e;
  }
  let indexMeta: FileMetadata;
  try {
    indexMeta = await fileMetadata(repo.repo, commit, INDEX_FILE, opts);
  } catch (e) {
    if (!isHttp404(e)) throw e;
    throw new NormscopeError('HTTP_NOT_FOUND', `${repo.repo} has neither ${WEIGHTS_FILE} nor ${INDEX_FILE} at ${commit} (normscope reads safetensors weights only)`, { status: 404, repo: repo.repo });
  }
  await repo.markMissing(commit, WEIGHTS_FILE);
  const index = await fetchNow(indexMeta, repo, opts, created);
  const shards = [...(await readIndex(repo.blob(indexMeta.etag))).keys()];
  const metas = [indexMeta];
  for (const shard of shards) metas.push(await fileMetadata(repo.repo, commit, shard, opts));
  return { metas, index };
}

/** The tokenizer files at `commit`; optional ones the repository lacks are left out (and marked as huggingface_hub does). */
async function resolveTokenizer(repo: CachedRepo, commit: string, opts: PullOptions): Promise<FileMetadata[]> {
  const metas: FileMetadata[] = [];
  for (const { file, required } of MODEL_FILES) {
    try {
      metas.push(await fileMetadata(repo.repo, commit, file, opts));
    } catch (e) {
      if (required || !isHttp404(e)) throw e;
      await repo.markMissing(commit, file);
    }
  }
  return metas;
}

/** Downloads `name` (a registry name or a hub id) into the Hugging Face cache and checks the result with the engine's
 * model checks. Typed errors: OFFLINE, HTTP_NOT_FOUND (401/403: accept the licence, set HF_TOKEN), HTTP_ERROR,
 * CHECKSUM_MISMATCH, DISK_FULL, DOWNLOAD_CANCELLED, UNSUPPORTED_MODEL, BAD_CONFIG, MODEL_TOO_LARGE, and the engine's
 * folder errors. */
export async function pull(name: string, opts: PullOptions = {}): Promise<PullResult> {
  const target = pullTarget(name);
  const revision = checkedRevision(opts.revision ?? 'main');
  if (hfOffline()) throw new NormscopeError('OFFLINE', 'HF_HUB_OFFLINE is set, so nothing is downloaded: unset it to pull, or use a model already on disk');
  const repo = new CachedRepo(target.repo, hfHubCache());
  const report = progressReporter({ name: target.name, repo: target.repo, total: 0 }, opts);
  report.set({ phase: 'resolving' });
  const created: string[] = [];
  try {
    // config.json first, judged before any weight file is asked about; its commit fixes every other file
    const configMeta = await fileMetadata(repo.repo, revision, 'config.json', opts);
    const commit = configMeta.commit;
    const early = [await fetchNow(configMeta, repo, { ...opts, keepPartial: false }, created)];
    await judgeConfig(repo.blob(configMeta.etag), target.repo);
    const tokenizer = await resolveTokenizer(repo, commit, opts);
    const weights = await resolveWeights(repo, commit, opts, created);
    if (weights.index) early.push(weights.index);
    const metas = [configMeta, ...tokenizer, ...weights.metas];
    const files = await fetchAll(metas, early, repo, target, opts, report, created);
    if (opts.signal?.aborted) throw cancelled();
    report.set({ phase: 'linking', file: null });
    for (const meta of metas) await repo.linkSnapshotFile(commit, meta.file, meta.etag);
    await repo.writeRef(revision, commit);
    const dir = repo.snapshot(commit);
    await checkModelFolder(dir);
    report.set({ phase: 'done', bytes: report.current.total, fileBytes: 0, fileTotal: 0, etaSeconds: 0 });
    const downloadedBytes = files.downloaded + early.filter((f) => f.status !== 'cached').reduce((a, f) => a + f.size, 0);
    return { name: target.name, repo: target.repo, revision: commit, dir, files: files.files, downloadedBytes };
  } catch (e) {
    const code = (e as NormscopeError).code;
    // a cancel (unless it is a pause) or a refused model leaves the cache as it was: the blobs this pull added go too
    if ((code === 'DOWNLOAD_CANCELLED' && !opts.keepPartial) || REFUSED.has(code)) await Promise.all(created.map((b) => fs.rm(b, { force: true })));
    throw e;
  }
}

/** Downloads every file not yet in the cache, with progress over all of them (`early` were fetched while resolving). */
async function fetchAll(metas: FileMetadata[], early: PulledFile[], repo: CachedRepo, target: { name: string }, opts: PullOptions,
  report: ReturnType<typeof progressReporter>, created: string[]): Promise<{ files: PulledFile[]; downloaded: number }> {
  const present = await Promise.all(metas.map(async (m) => ((await fileSize(repo.blob(m.etag))) === m.size ? m.size : null)));
  const partials = await Promise.all(metas.map(async (m, i) => (present[i] === null ? ((await fileSize(repo.partial(m.etag))) ?? 0) : 0)));
  const total = metas.reduce((a, m) => a + m.size, 0);
  const have = present.reduce<number>((a, b) => a + (b ?? 0), 0) + partials.reduce((a, b) => a + b, 0);
  await fs.mkdir(path.join(repo.dir, 'blobs'), { recursive: true });
  const free = await freeBytes(path.join(repo.dir, 'blobs'));
  if (free !== null && total - have > free) {
    throw new NormscopeError('DISK_FULL', `${target.name} needs ${formatBytes(total - have)} more on ${repo.cache}, which has ${formatBytes(free)} free: free some space (or set HF_HUB_CACHE to another disk) and pull again`, { needed: total - have, free });
  }
  let doneBytes = present.reduce<number>((a, b) => a + (b ?? 0), 0);
  report.set({ total, bytes: doneBytes });
  const files: PulledFile[] = [];
  let downloaded = 0;
  for (const [i, meta] of metas.entries()) {
    if (opts.signal?.aborted) throw cancelled();
    const fetched = early.find((f) => f.file === meta.file);
    if (present[i] !== null) {
      files.push(fetched ?? { file: meta.file, etag: meta.etag, size: meta.size, status: 'cached' });
      continue;
    }
    const status = await withLock(
      repo.lock(meta.etag),
      async (): Promise<PulledFile['status']> => {
        // another process may have finished this blob while we waited for its lock
        if ((await fileSize(repo.blob(meta.etag))) === meta.size) return 'cached';
        const already = (await fileSize(repo.partial(meta.etag))) ?? 0;
        report.set({ phase: 'downloading', file: meta.file, fileBytes: already, fileTotal: meta.size, bytes: doneBytes + already });
        const r = await transferBlob(meta, repo, { ...opts, onBytes: (d) => report.bytes(d) });
        downloaded += r.downloaded;
        created.push(r.blob);
        return r.resumedFrom > 0 ? 'resumed' : 'downloaded';
      },
      { signal: opts.signal, onWait: () => report.set({ phase: 'waiting', file: meta.file }) },
    );
    doneBytes += meta.size;
    report.set({ bytes: doneBytes, fileBytes: meta.size });
    files.push({ file: meta.file, etag: meta.etag, size: meta.size, status });
  }
  return { files, downloaded };
}
