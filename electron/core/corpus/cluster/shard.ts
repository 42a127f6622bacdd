// Which shard a document belongs to, and which shard this process is: `--shard i/N`, or `--shard auto` from the
// scheduler's own variables (a Slurm job array, a Kubernetes indexed Job). A document's shard follows from its content
// sha256 alone, so identical files and re-runs land in the same shard, shards never overlap, and N shards are the whole.
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../../../../shared/result.js';
import { NormscopeError } from '../../errors.js';
import { writeFileAtomic } from '../store/record-log.js';
import { LOCK_FILE, type ModelIdentity } from '../store/corpus-store.js';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/** The environment variable that gives a Kubernetes indexed Job its shard count (it has no variable of its own). */
export const SHARDS_ENV = 'NORMSCOPE_SHARDS';
export const SHARD_FILE = 'shard.json';
export const SHARD_SCHEMA = 'normscope.shard/1' as const;

/** The shard (0 … count−1) of a content sha256 (64 hex digits): its first 8 bytes as an unsigned integer, mod count. */
export function shardOf(sha256: string, count: number): number {
  if (!/^[0-9a-f]{16}/i.test(sha256)) throw new NormscopeError('BAD_INPUT', `not a sha256: '${sha256}'`);
  return Number(BigInt(`0x${sha256.slice(0, 16)}`) % BigInt(count));
}

/** `i/N` → a shard. Throws BAD_USAGE. */
export function parseShard(spec: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new NormscopeError('BAD_USAGE', `--shard must be i/N (0 ≤ i < N) or auto, got '${spec}'`);
  return checked(Number(m[1]), Number(m[2]), `--shard ${spec}`);
}

/**
 * `--shard i/N | auto` (with `--shards N`) → a shard. `auto` reads, in order:
 *   Slurm: SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN (0 when unset) of SLURM_ARRAY_TASK_COUNT (else MAX − MIN + 1);
 *   Kubernetes: JOB_COMPLETION_INDEX of --shards N, else $NORMSCOPE_SHARDS.
 * `--shards N` overrides the scheduler's count. Throws BAD_USAGE naming what is missing.
 */
export function resolveShard(spec: string, shards: number | undefined, env: NodeJS.ProcessEnv = process.env): Shard {
  if (spec !== 'auto') {
    const shard = parseShard(spec);
    if (shards !== undefined && shards !== shard.count) throw new NormscopeError('BAD_USAGE', `--shards ${shards} contradicts --shard ${spec}`);
    return shard;
  }
  const int = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    if (!/^\d+$/.test(raw.trim())) throw new NormscopeError('BAD_USAGE', `${name} must be a whole number, got '${raw}'`);
    return Number(raw);
  };
  const slurmId = int('SLURM_ARRAY_TASK_ID');
  if (slurmId !== undefined) {
    const min = int('SLURM_ARRAY_TASK_MIN') ?? 0;
    const max = int('SLURM_ARRAY_TASK_MAX');
    const step = int('SLURM_ARRAY_TASK_STEP') ?? 1;
    const count = shards ?? int('SLURM_ARRAY_TASK_COUNT') ?? (max !== undefined ? Math.floor((max - min) / step) + 1 : undefined);
    if (count === undefined) {
      throw new NormscopeError('BAD_USAGE', '--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is; give --shards N');
    }
    if ((slurmId - min) % step !== 0) throw new NormscopeError('BAD_USAGE', `--shard auto: array task ${slurmId} is not on the array's step ${step} from ${min}`);
    return checked((slurmId - min) / step, count, `--shard auto (SLURM_ARRAY_TASK_ID=${slurmId}, min ${min}; use a dense array such as --array=0-${count - 1})`);
  }
  const k8sIndex = int('JOB_COMPLETION_INDEX');
  if (k8sIndex !== undefined) {
    const count = shards ?? int(SHARDS_ENV);
    if (count === undefined) {
      throw new NormscopeError('BAD_USAGE', `--shard auto: JOB_COMPLETION_INDEX is set but the shard count is not: give --shards N (the Job's completions) or set ${SHARDS_ENV}`);
    }
    return checked(k8sIndex, count, `--shard auto (JOB_COMPLETION_INDEX=${k8sIndex})`);
  }
  throw new NormscopeError(
    'BAD_USAGE',
    '--shard auto found no scheduler: neither SLURM_ARRAY_TASK_ID (a Slurm job array, sbatch --array) nor JOB_COMPLETION_INDEX ' +
      '(a Kubernetes Job with completionMode: Indexed) is set; give --shard i/N instead',
  );
}

function checked(index: number, count: number, what: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1) throw new NormscopeError('BAD_USAGE', `${what}: the shard count must be at least 1, got ${count}`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw new NormscopeError('BAD_USAGE', `${what}: shard ${index} is outside 0…${count - 1}`);
  return { index, count };
}

/**
 * Who this process is to the scheduler, the same across a requeue and unique while it runs: Slurm's array job and task
 * (Slurm never runs one task twice at once), or a Kubernetes indexed pod's name less its random suffix (one pod per
 * index with podReplacementPolicy: Failed). null elsewhere.
 */
export function schedulerTask(env: NodeJS.ProcessEnv = process.env, hostname = os.hostname()): string | null {
  if (env.SLURM_ARRAY_JOB_ID && env.SLURM_ARRAY_TASK_ID) return `slurm:${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}`;
  if (env.JOB_COMPLETION_INDEX) {
    const m = /^(.*-\d+)-[a-z0-9]+$/.exec(hostname);
    if (m && m[1]!.endsWith(`-${env.JOB_COMPLETION_INDEX}`)) return `k8s:${m[1]}`;
  }
  return null;
}

/**
 * A requeued task on another node finds the lock its killed predecessor left (the store takes over a dead process's
 * lock only on the same host): when the folder's shard.json names this very task, and the lock another host, that
 * holder is this task's earlier incarnation, which the scheduler has ended, so the lock is removed. Returns whether it was.
 */
export async function releaseRequeuedLock(dir: string, task: string | null, hostname = os.hostname()): Promise<boolean> {
  if (!task) return false;
  const rec = await readShardRecord(dir).catch(() => null);
  if (rec?.task !== task) return false;
  const file = path.join(dir, LOCK_FILE);
  let held: { host?: string };
  try {
    held = JSON.parse(await fsp.readFile(file, 'utf8')) as { host?: string };
  } catch {
    return false;
  }
  if (!held.host || held.host === hostname) return false;
  await fsp.rm(file, { force: true });
  return true;
}

/** Whether another live process (or any process on another host) holds the folder's lock: then this run must not
 * touch the folder's shard.json, and the store's own open says why it stops. */
export async function lockedByAnother(dir: string, hostname = os.hostname()): Promise<boolean> {
  let held: { pid?: number; host?: string };
  try {
    held = JSON.parse(await fsp.readFile(path.join(dir, LOCK_FILE), 'utf8')) as { pid?: number; host?: string };
  } catch (e) {
    // no lock, or one being written this instant (the store's open decides then)
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  if (held.host !== hostname) return true;
  if (held.pid === process.pid || held.pid === undefined) return false;
  try {
    process.kill(held.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a shard's folder says about itself (shard.json, next to the store): which shard, and whether it finished. */
export interface ShardRecord {
  schema: typeof SHARD_SCHEMA;
  index: number;
  count: number;
  /** 'running' from the first document on; 'complete' once every document of the shard has a final result. */
  state: 'running' | 'complete' | 'incomplete';
  /** The scheduler task that runs this shard (schedulerTask), so its requeued incarnation on another node knows its own lock. */
  task: string | null;
  inputs: string[];
  settings: Settings;
  model: ModelIdentity | null;
  /** Documents of the whole input, and of this shard. */
  documents: { input: number; shard: number; contents: number; ok: number; failed: number };
  updated: string;
}

export async function writeShardRecord(dir: string, record: Omit<ShardRecord, 'schema' | 'updated'>): Promise<void> {
  const full: ShardRecord = { schema: SHARD_SCHEMA, ...record, updated: new Date().toISOString() };
  await writeFileAtomic(path.join(dir, SHARD_FILE), JSON.stringify(full, null, 2) + '\n');
}

/** A folder's shard.json, or null when it has none. Throws BAD_INPUT when it is not one. */
export async function readShardRecord(dir: string): Promise<ShardRecord | null> {
  const file = path.join(dir, SHARD_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new NormscopeError('READ_FAILED', `cannot read ${file}: ${(e as Error).message}`);
  }
  let rec: ShardRecord;
  try {
    rec = JSON.parse(text) as ShardRecord;
  } catch {
    throw new NormscopeError('BAD_INPUT', `${file} is not valid JSON`);
  }
  if (rec.schema !== SHARD_SCHEMA) throw new NormscopeError('BAD_INPUT', `${file} is not a normscope shard record (schema ${String(rec.schema)})`);
  return rec;
}
