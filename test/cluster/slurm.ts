// A one-node Slurm cluster on this machine, for the tests: munged (unless one already answers), slurmctld and slurmd
// in the foreground as children, their config, state and logs in a temporary folder; stop() ends only those PIDs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SLURM_BINARIES = ['slurmctld', 'slurmd', 'sbatch', 'squeue', 'scontrol', 'sinfo', 'munged'] as const;

/** The Slurm and munge programs that are not installed (empty when all are). */
export function missingSlurmBinaries(): string[] {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/bin', '/sbin'];
  return SLURM_BINARIES.filter((b) => !dirs.some((d) => d && fs.existsSync(path.join(d, b))));
}

export interface SlurmCluster {
  dir: string;
  /** Environment for sbatch/squeue/scontrol (SLURM_CONF and a PATH with /usr/sbin). */
  env: NodeJS.ProcessEnv;
  pids: number[];
  stop(): Promise<void>;
  logs(): string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSlurm(dir: string): Promise<SlurmCluster> {
  const host = os.hostname().split('.')[0]!;
  const env = { ...process.env, SLURM_CONF: path.join(dir, 'slurm.conf'), PATH: `${process.env.PATH}:/usr/sbin:/sbin` };
  for (const sub of ['state', 'spool']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  // ports off the defaults, so a real Slurm on this host is never reached
  fs.writeFileSync(
    env.SLURM_CONF,
    [
      'ClusterName=normscopetest',
      `SlurmctldHost=${host}`,
      'SlurmctldPort=16817',
      'SlurmdPort=16818',
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/slurmctld.log`,
      `SlurmdLogFile=${dir}/slurmd.log`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'MailProg=/bin/true',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'ReturnToService=2',
      'MinJobAge=3600',
      `NodeName=${host} CPUs=2 State=UNKNOWN`,
      'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const children: ChildProcess[] = [];
  const cluster: SlurmCluster = {
    dir,
    env,
    get pids() {
      return children.map((c) => c.pid!).filter(Boolean);
    },
    logs: () =>
      ['slurmctld.log', 'slurmd.log', 'munged.log']
        .map((f) => path.join(dir, f))
        .filter((f) => fs.existsSync(f))
        .map((f) => `--- ${path.basename(f)}\n${fs.readFileSync(f, 'utf8').split('\n').slice(-30).join('\n')}`)
        .join('\n'),
    async stop() {
      // the daemons in reverse order of starting; each by its own PID, SIGKILL if it lingers
      for (const child of [...children].reverse()) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
        if (!done) {
          child.kill('SIGKILL');
          await exited;
        }
      }
    },
  };
  const daemon = (cmd: string, args: string[], log: string) => {
    const out = fs.openSync(path.join(dir, log), 'a');
    const child = spawn(cmd, args, { env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    children.push(child);
    return child;
  };
  try {
    if (!mungeAnswers(env)) {
      fs.mkdirSync('/run/munge', { recursive: true });
      spawnSync('chown', ['munge:munge', '/run/munge']);
      if (!fs.existsSync('/etc/munge/munge.key')) {
        const r = spawnSync('mungekey', ['--create', '--keyfile=/etc/munge/munge.key'], { env });
        if (r.status !== 0) throw new Error(`mungekey failed: ${r.stderr}`);
        spawnSync('chown', ['munge:munge', '/etc/munge/munge.key']);
        fs.chmodSync('/etc/munge/munge.key', 0o400);
      }
      daemon('setpriv', ['--reuid=munge', '--regid=munge', '--init-groups', 'munged', '--foreground'], 'munged.log');
      await until(() => mungeAnswers(env), 10_000, 'munged to answer');
    }
    daemon('slurmctld', ['-D', '-i'], 'slurmctld.out');
    await until(() => spawnSync('scontrol', ['ping'], { env, encoding: 'utf8' }).stdout.includes('UP'), 20_000, 'slurmctld to answer');
    daemon('slurmd', ['-D', '-N', host], 'slurmd.out');
    await until(() => /idle/.test(spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' }).stdout), 30_000, 'the node to be idle');
    return cluster;
  } catch (e) {
    await cluster.stop();
    throw new Error(`${(e as Error).message}\n${cluster.logs()}`);
  }
}

function mungeAnswers(env: NodeJS.ProcessEnv): boolean {
  const cred = spawnSync('munge', ['-n'], { env, encoding: 'utf8' });
  if (cred.status !== 0) return false;
  return spawnSync('unmunge', [], { env, input: cred.stdout, encoding: 'utf8' }).status === 0;
}

async function until(ok: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Polls until none of `jobs` is queued or running; returns each job's final `scontrol show job` fields. */
export async function waitForJobs(cluster: SlurmCluster, jobs: string[], ms: number): Promise<Record<string, string>[]> {
  const end = Date.now() + ms;
  for (;;) {
    const q = spawnSync('squeue', ['-h', '-j', jobs.join(','), '-o', '%i %T'], { env: cluster.env, encoding: 'utf8' });
    if (q.status === 0 && q.stdout.trim() === '') break;
    if (Date.now() > end) throw new Error(`jobs ${jobs.join(', ')} still queued after ${ms / 1000} s:\n${q.stdout}\n${cluster.logs()}`);
    await sleep(500);
  }
  return jobs.flatMap((job) => {
    const r = spawnSync('scontrol', ['show', 'job', '-o', job], { env: cluster.env, encoding: 'utf8' });
    return r.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((line) => Object.fromEntries(line.trim().split(/\s+/).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])));
  });
}
