// examples/kubernetes/indexed-job.yaml, run the way Kubernetes would run it, without a cluster: each index's container
// script with JOB_COMPLETION_INDEX and the manifest's env (the shared volume mapped to a temporary folder), then the
// merge Job's script; the merged folder must equal one machine's run. Also checks that the manifest holds together.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { normscope, repoRoot, sharedDir, tempDir, tinyAModel } from '../analysis/fixtures.js';
import { expectSameAsSingleRun } from './compare.js';

interface Container {
  env?: { name: string; value: string }[];
  command: string[];
  args: string[];
  volumeMounts: { name: string; mountPath: string }[];
}
interface Manifest {
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template: { spec: { restartPolicy: string; containers: Container[]; volumes: { name: string; persistentVolumeClaim: { claimName: string } }[] } };
  };
}

const file = path.join(repoRoot, 'examples/kubernetes/indexed-job.yaml');
const docs = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJS() as Manifest;
});
const job = (name: string) => docs.find((d) => d.kind === 'Job' && d.metadata.name === name)!;
const envOf = (c: Container) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));

const corpus = path.join(sharedDir, 'corpus/licenses');
let root: string;

beforeAll(() => {
  root = tempDir('k8s');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('examples/kubernetes/indexed-job.yaml', () => {
  it('is an Indexed Job whose NORMSCOPE_SHARDS is its completions, on a claim every pod and the merge mount', () => {
    const shards = job('normscope-shards');
    const merge = job('normscope-merge');
    expect(shards.spec.completionMode).toBe('Indexed');
    const container = shards.spec.template.spec.containers[0]!;
    expect(Number(envOf(container).NORMSCOPE_SHARDS)).toBe(shards.spec.completions);
    expect(container.args.join('\n')).toContain('--shard auto');
    const claim = docs.find((d) => d.kind === 'PersistentVolumeClaim')!;
    for (const j of [shards, merge]) {
      expect(j.spec.template.spec.volumes[0]!.persistentVolumeClaim.claimName).toBe(claim.metadata.name);
      expect(j.spec.template.spec.containers[0]!.command).toEqual(['/bin/sh', '-c']);
    }
    expect(merge.spec.template.spec.containers[0]!.args.join('\n')).toContain(`--shards ${shards.spec.completions}`);
  });

  it('run as Kubernetes runs it (one container per index, then the merge), equals one machine', () => {
    const model = tinyAModel();
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin);
    // the image's `normscope` on PATH
    fs.writeFileSync(path.join(bin, 'normscope'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(repoRoot, 'bin/normscope.js')}" "$@"\n`, { mode: 0o755 });
    const base: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLURM_')));
    // the shared volume's /data, here
    const volume = { CORPUS: corpus, RESULTS: path.join(root, 'data/results'), MODEL: model, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const shards = job('normscope-shards');
    const container = shards.spec.template.spec.containers[0]!;
    for (let index = 0; index < shards.spec.completions!; index++) {
      const r = spawnSync('/bin/sh', ['-c', container.args.join('\n')], { env: { ...base, ...envOf(container), ...volume, JOB_COMPLETION_INDEX: String(index) }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    const merge = job('normscope-merge').spec.template.spec.containers[0]!;
    const m = spawnSync('/bin/sh', ['-c', merge.args.join('\n')], { env: { ...base, ...envOf(merge), ...volume }, encoding: 'utf8' });
    expect(m.status, m.stderr).toBe(0);
    expect(m.stdout).toBe(`${shards.spec.completions} of ${shards.spec.completions} shards complete\n`);

    const single = path.join(root, 'single');
    expect(normscope(['analyze', corpus, '--out-dir', single, '--model', model, '--quiet']).status).toBe(0);
    expectSameAsSingleRun(path.join(volume.RESULTS, 'merged'), single);
  }, 300_000);
});
