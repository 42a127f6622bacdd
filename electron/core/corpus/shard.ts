// Which shard a document belongs to, and which shard this process is: `--shard i/N`, or `--shard auto` from the
// scheduler's own variables (a Slurm job array, a Kubernetes indexed Job). A document's shard follows from its content
// sha256 alone, so identical files and re-runs land in the same shard, shards never overlap, and N shards are the whole.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../../shared/result.js';
import { NormscopeError } from '../errors.js';
import { writeFileAtomic } from './record-log.js';
import type { ModelIdentity } from './store.js';

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

/** What a shard's folder says about itself (shard.json, next to the store): which shard, and whether it finished. */
export interface ShardRecord {
  schema: typeof SHARD_SCHEMA;
  index: number;
  count: number;
  /** 'running' from the first document on; 'complete' once every document of the shard has a final result. */
  state: 'running' | 'complete' | 'incomplete';
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
