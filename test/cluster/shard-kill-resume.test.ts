// A shard's process SIGKILLed part-way (a cluster time limit, a preempted node), then its task run again as a requeue
// does, then the merge: every document once, and the merged results equal one machine's uninterrupted run.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normscope, repoRoot, sharedDir, tempDir, tinyAModel } from '../analysis/fixtures.js';
import { results } from '../corpus/helpers.js';
import { expectSameAsSingleRun } from './compare.js';

const corpus = path.join(sharedDir, 'corpus/licenses');
let root: string;
let model: string;
const shard = (i: number) => path.join(root, `shard-${i}`);
const lineCount = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 1 : 0);

beforeAll(() => {
  root = tempDir('shard-kill');
  model = tinyAModel();
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a shard killed with SIGKILL, requeued, then merged', () => {
  const killed = 1;
  let storedAtKill = 0;
  let shardDocs = 0;
  let checkAfterKill: ReturnType<typeof normscope>;
  let rerun: ReturnType<typeof normscope>;
  let merge: ReturnType<typeof normscope>;
  let single: string;

  beforeAll(async () => {
    // the task as Slurm runs it: --shard auto from the array's variables
    const env = { ...process.env, SLURM_ARRAY_TASK_ID: String(killed), SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '2', SLURM_ARRAY_TASK_COUNT: '3' };
    const args = [path.join(repoRoot, 'bin/normscope.js'), 'analyze', corpus, '--out-dir', shard(killed), '--model', model, '--shard', 'auto', '--quiet'];
    const child = spawn(process.execPath, args, { stdio: 'ignore', env });
    const exited = once(child, 'exit');
    const file = path.join(shard(killed), 'results.jsonl');
    while (child.exitCode === null && lineCount(file) < 8) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect(signal).toBe('SIGKILL');
    storedAtKill = results(shard(killed)).length;
    shardDocs = JSON.parse(fs.readFileSync(path.join(shard(killed), 'shard.json'), 'utf8')).documents.shard;

    for (const i of [0, 2]) expect(normscope(['analyze', corpus, '--out-dir', shard(i), '--model', model, '--shard', `${i}/3`, '--quiet']).status).toBe(0);
    checkAfterKill = normscope(['merge', '--check', shard(0), shard(1), shard(2)]);
    // the requeued task: the same command, the same environment
    rerun = normscope(args.slice(1, -1), { env });
    merge = normscope(['merge', shard(0), shard(1), shard(2), '--out-dir', path.join(root, 'merged')]);
    single = path.join(root, 'single');
    expect(normscope(['analyze', corpus, '--out-dir', single, '--model', model, '--quiet']).status).toBe(0);
  }, 300_000);

  it('was killed with part of its shard stored, and --check then called it incomplete', () => {
    expect(storedAtKill).toBeGreaterThanOrEqual(8);
    expect(storedAtKill).toBeLessThan(shardDocs);
    expect(checkAfterKill.status).toBe(1);
    expect(checkAfterKill.stdout).toMatch(/2 of 3 shards complete\nshard 1\/3 \(.*shard-1\): incomplete: still running, or killed/);
  });

  it('resumed its own shard on the rerun: what was stored was skipped, the rest analyzed', () => {
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/shard 1\/3: \d+ of 78 documents/);
    const skipped = Number(/\((\d+) already stored\)/.exec(rerun.stderr)?.[1]);
    expect(skipped).toBeGreaterThanOrEqual(storedAtKill);
    expect(skipped).toBeLessThan(shardDocs);
    const shardJson = JSON.parse(fs.readFileSync(path.join(shard(killed), 'shard.json'), 'utf8'));
    expect(`${shardJson.index}/${shardJson.count} ${shardJson.state}`).toBe('1/3 complete');
    // each content of the shard stored once in its own folder, none of another shard's
    const own = results(shard(killed)).map((r) => r.sha256);
    expect(new Set(own).size).toBe(own.length);
    expect(own.length).toBe(shardJson.documents.contents);
    const others = new Set([...results(shard(0)), ...results(shard(2))].map((r) => r.sha256));
    for (const sha of own) expect(others.has(sha)).toBe(false);
  });

  it('merged into exactly the uninterrupted single run', () => {
    expect(merge.status, merge.stderr).toBe(0);
    expectSameAsSingleRun(path.join(root, 'merged'), single);
  });
});

describe('a requeued task on another node', () => {
  it("takes over the lock its killed predecessor left there, and only its own task's", () => {
    const dir = path.join(root, 'requeued');
    fs.cpSync(shard(1), dir, { recursive: true });
    const rec = JSON.parse(fs.readFileSync(path.join(dir, 'shard.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'shard.json'), JSON.stringify({ ...rec, task: 'slurm:77_1' }));
    const stale = () => fs.writeFileSync(path.join(dir, '.lock'), JSON.stringify({ pid: 999999, host: 'other-node', started: new Date().toISOString() }) + '\n');
    const task = (job: string) => ({ ...process.env, SLURM_ARRAY_JOB_ID: job, SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '3' });
    const args = ['analyze', corpus, '--out-dir', dir, '--model', model, '--shard', 'auto'];

    stale();
    const stranger = normscope(args, { env: task('78') });
    expect(stranger.status).toBe(2);
    expect(stranger.stderr).toMatch(/in use by process 999999 on other-node/);

    const own = normscope(args, { env: task('77') });
    expect(own.status, own.stderr).toBe(0);
    expect(own.stderr).toMatch(/took over the lock this task's earlier run \(on another node\) left/);
    expect(own.stderr).toMatch(/already stored/);
    expect(fs.existsSync(path.join(dir, '.lock'))).toBe(false);
  });
});
