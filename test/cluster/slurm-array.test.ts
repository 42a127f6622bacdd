// A real one-node Slurm cluster (Debian's slurmctld, slurmd, slurm-client, munge): README's submit script sends
// examples/slurm/normscope-array.sbatch as a 4-task array over the licenses corpus on the tiny-a model, and the merge
// job after it; the merged folder must equal one machine's run. Only the daemons this file started are stopped.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normscope, repoRoot, sharedDir, tempDir, tinyAModel } from '../analysis/fixtures.js';
import { expectSameAsSingleRun } from './compare.js';
import { missingSlurmBinaries, startSlurm, waitForJobs, type SlurmCluster } from './slurm.js';

const missing = missingSlurmBinaries();
const title = missing.length
  ? `real Slurm — SKIPPED: ${missing.join(', ')} not installed (apt-get install -y slurmctld slurmd slurm-client munge; .ci/run does)`
  : 'real Slurm: a 4-task array and its merge job';
if (missing.length) process.stderr.write(`test/cluster/slurm-array.test.ts: ${title}\n`);

describe.skipIf(missing.length > 0)(title, () => {
  const corpus = path.join(sharedDir, 'corpus/licenses');
  let root: string;
  let cluster: SlurmCluster | null = null;
  let daemonPids: number[] = [];
  let jobs: Record<string, string>[] = [];
  let ids: { array: string; merge: string };
  let single: string;
  let resultsDir: string;

  beforeAll(async () => {
    root = tempDir('slurm');
    const model = tinyAModel();
    cluster = await startSlurm(path.join(root, 'slurm'));
    daemonPids = cluster.pids;
    resultsDir = path.join(root, 'results');
    const submit = spawnSync(path.join(repoRoot, 'examples/slurm/submit.sh'), [], {
      cwd: root,
      encoding: 'utf8',
      env: { ...cluster.env, SHARDS: '4', CORPUS: corpus, RESULTS: resultsDir, MODEL: model, NORMSCOPE: `${process.execPath} ${path.join(repoRoot, 'bin/normscope.js')}` },
    });
    expect(submit.stderr).toBe('');
    expect(submit.status).toBe(0);
    const m = /^array (\d+) merge (\d+)$/m.exec(submit.stdout);
    expect(m).not.toBeNull();
    ids = { array: m![1]!, merge: m![2]! };
    // the single machine's run meanwhile (the array has the cluster's two CPUs; this waits its turn in the OS)
    single = path.join(root, 'single');
    const r = normscope(['analyze', corpus, '--out-dir', single, '--model', model, '--quiet']);
    expect(r.status).toBe(0);
    jobs = await waitForJobs(cluster, [ids.array, ids.merge], 300_000);
  }, 420_000);

  afterAll(async () => {
    await cluster?.stop();
    for (const pid of daemonPids) expect(alive(pid), `daemon ${pid} still running`).toBe(false);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('ran 4 array tasks and then the merge job, each exiting 0', () => {
    const array = jobs.filter((j) => j.ArrayJobId === ids.array);
    expect(array.map((j) => j.ArrayTaskId).sort()).toEqual(['0', '1', '2', '3']);
    for (const j of jobs) expect(`${j.JobId} ${j.JobState} ${j.ExitCode}`).toBe(`${j.JobId} COMPLETED 0:0`);
    const merge = jobs.find((j) => j.JobId === ids.merge)!;
    expect(merge.Dependency ?? '(null)').toBe('(null)');
    const mergeLog = fs.readFileSync(path.join(root, `normscope-merge-${ids.merge}.out`), 'utf8');
    expect(mergeLog).toContain('4 of 4 shards complete');
  });

  it('wrote one shard folder per task, together the whole corpus, none overlapping', () => {
    const shards = [0, 1, 2, 3].map((i) => JSON.parse(fs.readFileSync(path.join(resultsDir, `shard-${i}`, 'shard.json'), 'utf8')));
    expect(shards.map((s) => `${s.index}/${s.count} ${s.state}`)).toEqual(['0/4 complete', '1/4 complete', '2/4 complete', '3/4 complete']);
    expect(shards.reduce((n, s) => n + s.documents.shard, 0)).toBe(78);
  });

  it('merged into what one machine writes: every fit identical, summary statistics to 1e-10', () => {
    expectSameAsSingleRun(path.join(resultsDir, 'merged'), single);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
