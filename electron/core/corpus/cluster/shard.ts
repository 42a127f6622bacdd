// Which shard a document belongs to, and who this process is to its scheduler. A document's shard follows from its
// content sha256 alone, so identical files and re-runs land in the same shard, shards never overlap, and N shards are
// the whole. Which shard this process is (`--shard i/N | auto`) is read once, by the command, in shard-spec.ts.
import os from 'node:os';
import { NormscopeError } from '../../errors.js';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/** The shard (0 … count−1) of a content sha256 (64 hex digits): its first 8 bytes as an unsigned integer, mod count. */
export function shardOf(sha256: string, count: number): number {
  if (!/^[0-9a-f]{16}/i.test(sha256)) throw new NormscopeError('BAD_INPUT', `not a sha256: '${sha256}'`);
  return Number(BigInt(`0x${sha256.slice(0, 16)}`) % BigInt(count));
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
