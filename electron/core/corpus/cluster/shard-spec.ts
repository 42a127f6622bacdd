// Which shard this process is: `--shard i/N`, or `--shard auto` from the scheduler's own variables (a Slurm job array,
// a Kubernetes indexed Job). Read once by the command, before the batch, so `--shard` flows one way: the command's
// arguments here, the batch's selection of documents in shard.ts.
import { NormscopeError } from '../../errors.js';
import type { Shard } from './shard.js';

/** The environment variable that gives a Kubernetes indexed Job its shard count (it has no variable of its own). */
export const SHARDS_ENV = 'NORMSCOPE_SHARDS';

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
