// `--shard i/N`, and `--shard auto` from Slurm's and Kubernetes' own variables (or a clear error without them).
import { describe, expect, it } from 'vitest';
import { parseShard, resolveShard } from '../../../electron/core/corpus/cluster/shard-spec.js';

describe('parseShard / resolveShard', () => {
  it('reads i/N and refuses what is not a shard', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(() => parseShard('5/5')).toThrow(/outside 0…4/);
    expect(() => parseShard('1/0')).toThrow(/at least 1/);
    expect(() => parseShard('a/b')).toThrow(/i\/N/);
    expect(() => resolveShard('1/4', 3, {})).toThrow(/contradicts/);
  });

  it('auto: a Slurm array task from SLURM_ARRAY_TASK_ID with COUNT, or MIN/MAX (and STEP)', () => {
    expect(resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' })).toEqual({ index: 3, count: 4 });
    expect(resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' })).toEqual({ index: 4, count: 8 });
    expect(resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '20', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '30', SLURM_ARRAY_TASK_STEP: '10' })).toEqual({
      index: 2,
      count: 4,
    });
    expect(() => resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '2' })).toThrow(/neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX/);
    expect(() => resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow(/outside 0…3/);
  });

  it('auto: a Kubernetes indexed Job from JOB_COMPLETION_INDEX with --shards N or NORMSCOPE_SHARDS', () => {
    expect(resolveShard('auto', 6, { JOB_COMPLETION_INDEX: '5' })).toEqual({ index: 5, count: 6 });
    expect(resolveShard('auto', undefined, { JOB_COMPLETION_INDEX: '0', NORMSCOPE_SHARDS: '3' })).toEqual({ index: 0, count: 3 });
    expect(() => resolveShard('auto', undefined, { JOB_COMPLETION_INDEX: '1' })).toThrow(/give --shards N .* or set NORMSCOPE_SHARDS/);
  });

  it('auto without a scheduler says which variables it looked for', () => {
    expect(() => resolveShard('auto', undefined, {})).toThrow(/neither SLURM_ARRAY_TASK_ID .* nor JOB_COMPLETION_INDEX/);
  });
});
