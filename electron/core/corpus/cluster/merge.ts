// Shard results folders → one results folder, as one machine would have written it: the same logs, manifest and
// summary files. Model and settings must be identical across shards; a content in two shards is stored once; records
// are copied durably one by one, so a killed merge resumes, and a merge with nothing new changes nothing.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../../../shared/result.js';
import { NormscopeError } from '../../errors.js';
import { SUMMARY_FILES, writeStoreSummary } from '../summary/summary-files.js';
import { normalizeSettings, settingsKey } from '../store/settings-key.js';
import { CorpusStore, MANIFEST_FILE, RETRYABLE_CODES, SHARD_FILE, readShardRecord, readStoreManifest, type ShardRecord, type Manifest, type StoreModelEntry, type ModelIdentity, type ResultEntry } from '../store/index.js';

export const MERGE_STATE = { running: 'merging', done: 'merged' } as const;

/** One shard folder as --check sees it. */
export interface ShardStatus {
  dir: string;
  /** From its shard.json; null when it has none. */
  index: number | null;
  count: number | null;
  state: 'complete' | 'incomplete' | 'not-a-shard';
  reason: string;
}

export interface ShardCheck {
  /** Shards expected (from --shards or the shards' own records); null when nothing says. */
  count: number | null;
  shards: ShardStatus[];
  /** Indexes 0 … count−1 no given folder holds. */
  missing: number[];
  /** Every expected shard present and complete. */
  ok: boolean;
}

/** Which shards of `dirs` are complete, incomplete or missing. Reads only shard.json and manifest.json (no logs). */
export async function checkShards(dirs: readonly string[], options: { shards?: number } = {}): Promise<ShardCheck> {
  const shards: ShardStatus[] = [];
  for (const dir of dirs) shards.push(await shardStatus(dir));
  const counts = [...new Set(shards.flatMap((s) => (s.count === null ? [] : [s.count])))];
  if (options.shards === undefined && counts.length > 1) {
    const a = shards.find((s) => s.count === counts[0])!;
    const b = shards.find((s) => s.count === counts[1])!;
    throw new NormscopeError('BAD_INPUT', `the shards disagree on their count: ${a.dir} is shard ${a.index}/${a.count}, ${b.dir} is ${b.index}/${b.count}`);
  }
  const count = options.shards ?? counts[0] ?? null;
  for (const s of shards) {
    if (count !== null && s.count !== null && s.count !== count) {
      s.state = 'incomplete';
      s.reason = `it is shard ${s.index} of ${s.count}, not of ${count}`;
    }
  }
  const present = new Set(shards.flatMap((s) => (s.index !== null && s.count === count ? [s.index] : [])));
  const missing = count === null ? [] : Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(i));
  const ok = shards.length > 0 && count !== null && missing.length === 0 && shards.every((s) => s.state === 'complete');
  return { count, shards, missing, ok };
}

async function shardStatus(dir: string): Promise<ShardStatus> {
  const base = { dir, index: null, count: null };
  const stat = await fsp.stat(dir).catch(() => null);
  if (!stat?.isDirectory()) return { ...base, state: 'not-a-shard', reason: stat ? 'not a folder' : 'no such folder' };
  let rec: ShardRecord | null;
  try {
    rec = await readShardRecord(dir);
  } catch (e) {
    return { ...base, state: 'not-a-shard', reason: (e as Error).message };
  }
  if (!rec) {
    return fs.existsSync(path.join(dir, MANIFEST_FILE))
      ? { ...base, state: 'incomplete', reason: `no ${SHARD_FILE}: killed before its first document, or not run with --shard` }
      : { ...base, state: 'not-a-shard', reason: 'holds no normscope results' };
  }
  const where = { dir, index: rec.index, count: rec.count };
  if (rec.state === 'complete') return { ...where, state: 'complete', reason: `${rec.documents.contents} documents, ${rec.documents.failed} failed` };
  if (rec.state === 'running') return { ...where, state: 'incomplete', reason: 'still running, or killed: rerun its task (it resumes)' };
  return { ...where, state: 'incomplete', reason: `${rec.documents.contents - rec.documents.ok - rec.documents.failed} of ${rec.documents.contents} documents unfinished (cancelled, or unreadable files): rerun its task` };
}

/** The one model and settings a shard's results are for. */
interface ShardIdentity {
  dir: string;
  model: ModelIdentity;
  entry: StoreModelEntry | undefined;
  settings: Settings;
}

/** A shard's model and settings, from its shard.json, else its manifest; null for an empty shard. Throws BAD_INPUT. */
async function shardIdentity(dir: string): Promise<ShardIdentity | null> {
  const manifest = await readStoreManifest(dir);
  const rec = await readShardRecord(dir);
  const find = (m: ModelIdentity) => manifest.models.find((e) => e.model_sha256 === m.model_sha256 && e.tokenizer_sha256 === m.tokenizer_sha256);
  if (rec) {
    if (!rec.model) return null;
    return { dir, model: rec.model, entry: find(rec.model), settings: normalizeSettings(rec.settings) };
  }
  if (manifest.models.length === 0) return null;
  if (manifest.models.length > 1) throw new NormscopeError('BAD_INPUT', `${dir} holds results of ${manifest.models.length} models; a shard must hold one (no ${SHARD_FILE} says which)`);
  const keys = [...new Set(manifest.runs.map((r) => settingsKey(r.settings)))];
  if (keys.length !== 1) throw new NormscopeError('BAD_INPUT', `${dir} holds results of ${keys.length} settings (${keys.join('; ')}); a shard must hold one (no ${SHARD_FILE} says which)`);
  const entry = manifest.models[0]!;
  return { dir, model: { model_sha256: entry.model_sha256, tokenizer_sha256: entry.tokenizer_sha256 }, entry, settings: normalizeSettings(manifest.runs[0]!.settings) };
}

const SETTINGS_FIELDS = ['component', 'lags', 'start', 'cov', 'maxlags'] as const;

/** Throws BAD_INPUT naming the first way `b` differs from `a`. */
function sameIdentity(a: ShardIdentity, b: ShardIdentity): void {
  const label = (s: ShardIdentity) => (s.entry ? `${s.entry.name} (model sha256 ${s.model.model_sha256.slice(0, 12)}…)` : `model sha256 ${s.model.model_sha256.slice(0, 12)}…`);
  if (a.model.model_sha256 !== b.model.model_sha256) {
    throw new NormscopeError('BAD_INPUT', `the shards used different models: ${a.dir} ran ${label(a)}, ${b.dir} ran ${label(b)}; merge only shards of one model`);
  }
  if (a.model.tokenizer_sha256 !== b.model.tokenizer_sha256) {
    throw new NormscopeError(
      'BAD_INPUT',
      `the shards used different tokenizers: ${a.dir} tokenizer sha256 ${a.model.tokenizer_sha256.slice(0, 12)}…, ${b.dir} ${b.model.tokenizer_sha256.slice(0, 12)}…`,
    );
  }
  for (const field of SETTINGS_FIELDS) {
    if (a.settings[field] !== b.settings[field]) {
      const show = (v: unknown) => (v === undefined ? 'unset' : String(v));
      throw new NormscopeError('BAD_INPUT', `the shards used different settings: ${field} is ${show(a.settings[field])} in ${a.dir} but ${show(b.settings[field])} in ${b.dir}`, {
        hint: 'merge only shards of one run: rerun the odd shard with the same settings into a new folder',
      });
    }
  }
}

export interface MergeOptions {
  shardDirs: readonly string[];
  outDir: string;
  /** Merge even when shards are missing or incomplete (a later merge adds what they gain). */
  partial?: boolean;
  /** --shards N: the count to check against (default: the shards' own records). */
  shards?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface MergeReport {
  check: ShardCheck;
  model: ModelIdentity | null;
  settings: Settings | null;
  /** Distinct document contents across the shards. */
  documents: number;
  /** Records appended to the merged folder by this call (0: it already held everything). */
  appended: { results: number; taps: number };
  /** False when nothing needed doing, so nothing was written. */
  changed: boolean;
  /** Summary files written (empty when unchanged). */
  files: string[];
  cancelled: boolean;
}

/** Merges shard folders into `outDir`. Throws BAD_INPUT on mismatched shards, BAD_USAGE on missing/incomplete ones
 * (unless `partial`) or when the output is one of the shards. */
export async function mergeShards(options: MergeOptions): Promise<MergeReport> {
  const dirs = dedupeDirs(options.shardDirs);
  if (dirs.length === 0) throw new NormscopeError('BAD_USAGE', 'no shard folders given');
  const out = path.resolve(options.outDir);
  for (const dir of dirs) if (path.resolve(dir) === out) throw new NormscopeError('BAD_USAGE', `--out-dir ${options.outDir} is one of the shards; merge into a new folder`);

  const check = await checkShards(dirs, options.shards !== undefined ? { shards: options.shards } : {});
  const bad = check.shards.filter((s) => s.state === 'not-a-shard');
  if (bad.length) throw new NormscopeError('BAD_INPUT', `${bad[0]!.dir} is not a shard: ${bad[0]!.reason}`);
  if (!check.ok && !options.partial) {
    throw new NormscopeError('SHARDS_INCOMPLETE', `not every shard is complete (${describeCheck(check).join('; ')})`, {
      incomplete: true,
    });
  }

  const identities: ShardIdentity[] = [];
  for (const dir of dirs) {
    const id = await shardIdentity(dir);
    if (!id) continue;
    if (identities.length) sameIdentity(identities[0]!, id);
    identities.push(id);
  }
  const report: MergeReport = { check, model: null, settings: null, documents: 0, appended: { results: 0, taps: 0 }, changed: false, files: [], cancelled: false };
  if (identities.length === 0) throw new NormscopeError('BAD_INPUT', `the shards hold no analyzed documents (${dirs.join(', ')})`);
  const { model, settings } = identities[0]!;
  Object.assign(report, { model, settings });
  const modelEntry = identities.find((i) => i.entry)?.entry;

  const sources: CorpusStore[] = [];
  let merged: CorpusStore | null = null;
  try {
    const picks = await pickRecords(identities, model, settings, sources);
    report.documents = picks.size;

    // what the merged folder lacks, decided read-only so that a merge with nothing to do writes nothing at all
    const existing = fs.existsSync(path.join(out, MANIFEST_FILE)) ? await CorpusStore.open(out, { readOnly: true }) : null;
    const todo: Todo[] = [];
    for (const [sha, pick] of picks) {
      const have = existing?.findResult(sha, model, settings);
      const haveFinal = have && !(have.code && RETRYABLE_CODES.has(have.code));
      const result = !haveFinal && (pick.final || !have);
      const taps = !(existing?.hasTaps(sha, model) ?? false) && pick.store.hasTaps(sha, model);
      if (result || taps) todo.push({ sha, ...pick, result, taps });
    }
    const lastRun = existing?.getManifest().runs.at(-1);
    const summarized = lastRun?.state === MERGE_STATE.done && Object.values(SUMMARY_FILES).every((f) => fs.existsSync(path.join(out, f)));
    await existing?.close();
    if (todo.length === 0 && summarized) return report;

    report.changed = true;
    merged = await CorpusStore.open(out);
    if (modelEntry) await merged.recordModel(modelEntry);
    const runIndex = await merged.recordRun({
      started: new Date().toISOString(),
      finished: null,
      state: MERGE_STATE.running,
      inputs: dirs.map((d) => path.resolve(d)),
      settings,
      model_sha256: model.model_sha256,
      counts: { shards: dirs.length, documents: picks.size },
    });
    await copyRecords(merged, todo, model, report, options);
    await merged.flushed();
    if (options.signal?.aborted) {
      report.cancelled = true;
      await merged.updateRun(runIndex, { finished: new Date().toISOString(), state: 'cancelled', counts: { shards: dirs.length, documents: picks.size, ...report.appended } });
      return report;
    }

    // the summary a single run over the same documents writes: documents in the order the folder scan gives them
    const entries = merged.entries(model, settings).sort((a, b) => comparePaths(a.path, b.path));
    // streamed, as a single run writes it: memory does not grow with the merged corpus
    report.files = (await writeStoreSummary(merged, model, settings, out, { sha256s: entries.map((e) => e.sha256!) })).files;
    await merged.updateRun(runIndex, { finished: new Date().toISOString(), state: MERGE_STATE.done, counts: { shards: dirs.length, documents: picks.size, ...report.appended } });
    return report;
  } finally {
    await merged?.close().catch(() => undefined);
    for (const s of sources) await s.close().catch(() => undefined);
  }
}

type Pick = { store: CorpusStore; entry: ResultEntry; final: boolean };
type Todo = Pick & { sha: string; result: boolean; taps: boolean };

/** For each content, the record to keep: the first final one (ok, or an error the content causes), else the first.
 * Opens each shard's store read-only into `sources` (the caller closes them). */
async function pickRecords(identities: readonly ShardIdentity[], model: ModelIdentity, settings: Settings, sources: CorpusStore[]): Promise<Map<string, Pick>> {
  const picks = new Map<string, Pick>();
  for (const id of identities) {
    const store = await CorpusStore.open(id.dir, { readOnly: true });
    sources.push(store);
    for (const entry of store.entries(model, settings)) {
      const final = !(entry.code && RETRYABLE_CODES.has(entry.code));
      const had = picks.get(entry.sha256!);
      if (!had || (final && !had.final)) picks.set(entry.sha256!, { store, entry, final });
    }
  }
  return picks;
}

/** Copies what the merged folder lacks into it, counting into `report`; stops at the signal. */
async function copyRecords(merged: CorpusStore, todo: readonly Todo[], model: ModelIdentity, report: MergeReport, options: MergeOptions): Promise<void> {
  let done = 0;
  for (const item of todo) {
    if (options.signal?.aborted) break;
    // taps first, as a run stores them: a result on disk always has its log norms there too
    if (item.taps) {
      // decoded and encoded again (exact), so the copy needs nothing of the store's on-disk format
      const taps = await item.store.readTaps(item.sha, model);
      if (taps) {
        await merged.appendTaps(item.sha, model, taps);
        report.appended.taps++;
      }
    }
    if (item.result) {
      const { kind: _kind, created: _created, ...fields } = await item.store.readResult(item.entry);
      await merged.appendResult(fields);
      report.appended.results++;
    }
    options.onProgress?.({ done: ++done, total: todo.length });
  }
}

/** One line per shard that is not complete, and one for the missing ones. */
export function describeCheck(check: ShardCheck): string[] {
  const lines: string[] = [];
  for (const s of check.shards) {
    if (s.state === 'complete') continue;
    const which = s.index !== null ? `shard ${s.index}/${s.count} (${s.dir})` : s.dir;
    lines.push(`${which}: ${s.state === 'not-a-shard' ? 'not a shard' : 'incomplete'}: ${s.reason}`);
  }
  if (check.missing.length) lines.push(`missing: shard${check.missing.length === 1 ? '' : 's'} ${check.missing.join(', ')} of ${check.count} (no folder given holds ${check.missing.length === 1 ? 'it' : 'them'})`);
  if (check.count === null) lines.push('the shard count is unknown (no shard.json among the folders): give --shards N');
  return lines;
}

/** Folders in the order given, each once (by resolved path). */
function dedupeDirs(dirs: readonly string[]): string[] {
  const seen = new Set<string>();
  return dirs.filter((d) => {
    const key = path.resolve(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Path order as the folder scan walks: segment by segment, each by code unit. */
export function comparePaths(a: string, b: string): number {
  const sa = a.split(/[\\/]/);
  const sb = b.split(/[\\/]/);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i] !== sb[i]) return sa[i]! < sb[i]! ? -1 : 1;
  }
  return sa.length - sb.length;
}
