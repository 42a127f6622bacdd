// Shard assignment: every document in exactly one shard for N = 1…7, the same shard whatever the file is called, and
// who this process is to its scheduler (`--shard i/N | auto` itself is read in shard-spec.test.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesOfShard } from '../../../electron/core/corpus/run/batch.js';
import { schedulerTask, shardOf } from '../../../electron/core/corpus/cluster/shard.js';
import { normscope, sharedDir, tempDir } from '../../analysis/fixtures.js';
import { folderFiles, sha256File } from '../helpers.js';

const corpus = path.join(sharedDir, 'corpus/licenses');
const files = folderFiles(corpus);
let root: string;

beforeAll(() => {
  root = tempDir('shard');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('shardOf(sha256, N)', () => {
  it('is the first 8 bytes of the hash as an unsigned integer, mod N', () => {
    const sha = 'ffffffffffffffff' + '0'.repeat(48);
    // 2^64 − 1 = 3 · 5 · 17 · 257 · 641 · 65537 · 6700417
    expect(shardOf(sha, 3)).toBe(0);
    expect(shardOf(sha, 7)).toBe(Number((2n ** 64n - 1n) % 7n));
    expect(shardOf('0000000000000005' + 'f'.repeat(48), 4)).toBe(1);
    expect(() => shardOf('not-a-hash', 2)).toThrow(/not a sha256/);
  });

  it('spreads 7,000 random contents over 7 shards about evenly (each within 20% of 1,000)', () => {
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 7000; i++) counts[shardOf(crypto.createHash('sha256').update(`doc ${i}`).digest('hex'), 7)]!++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(200);
  });
});

describe('filesOfShard(files, {index, count})', () => {
  it('puts every licenses document in exactly one shard, for N = 1 … 7', async () => {
    for (let count = 1; count <= 7; count++) {
      const picked = await Promise.all(Array.from({ length: count }, (_, index) => filesOfShard(files, { index, count })));
      const all = picked.flat();
      expect(all.length, `N = ${count}`).toBe(files.length);
      expect([...all].sort()).toEqual([...files].sort());
      // identical contents together: a content's files all in one shard
      const shardOfContent = new Map<string, number>();
      picked.forEach((list, index) => {
        for (const f of list) {
          const sha = sha256File(f);
          expect(shardOfContent.get(sha) ?? index).toBe(index);
          shardOfContent.set(sha, index);
        }
      });
      if (count > 1) expect(picked.filter((p) => p.length > 0).length).toBeGreaterThan(1);
    }
  });

  it('gives a renamed and moved copy of the corpus the same contents in every shard', async () => {
    const copy = path.join(root, 'renamed', 'deeper');
    fs.mkdirSync(copy, { recursive: true });
    const renamed = files.map((f, i) => {
      const to = path.join(copy, `doc-${String(files.length - i).padStart(3, '0')}.md`);
      fs.copyFileSync(f, to);
      return to;
    });
    for (const count of [2, 3, 5]) {
      for (let index = 0; index < count; index++) {
        const a = (await filesOfShard(files, { index, count })).map(sha256File).sort();
        const b = (await filesOfShard(renamed, { index, count })).map(sha256File).sort();
        expect(b).toEqual(a);
      }
    }
  });

  it('places a file it cannot read by its path, in exactly one shard', async () => {
    const gone = path.join(root, 'no-such-file.txt');
    const picked = await Promise.all([0, 1, 2].map((index) => filesOfShard([gone], { index, count: 3 })));
    expect(picked.flat()).toEqual([gone]);
  });
});

describe('schedulerTask(env, hostname)', () => {
  it('names the Slurm array task, or the Kubernetes index from its pod name, the same across a requeue', () => {
    expect(schedulerTask({ SLURM_ARRAY_JOB_ID: '812', SLURM_ARRAY_TASK_ID: '3', SLURM_JOB_ID: '815' }, 'node07')).toBe('slurm:812_3');
    expect(schedulerTask({ JOB_COMPLETION_INDEX: '2' }, 'normscope-shards-2-x7k2p')).toBe('k8s:normscope-shards-2');
    expect(schedulerTask({ JOB_COMPLETION_INDEX: '2' }, 'normscope-shards-2-q9zzt')).toBe('k8s:normscope-shards-2');
    // a pod name that is not this index's: no claim to anyone's lock
    expect(schedulerTask({ JOB_COMPLETION_INDEX: '2' }, 'normscope-shards-3-x7k2p')).toBeNull();
    expect(schedulerTask({}, 'laptop')).toBeNull();
  });
});

describe('normscope analyze --shard (usage)', () => {
  const clean = { SLURM_ARRAY_TASK_ID: '', JOB_COMPLETION_INDEX: '' };
  it('exits 2 with the reason for --shard without --out-dir, a bad spec, or auto with no scheduler', () => {
    const cases: [string[], RegExp][] = [
      [['--shard', '0/2', corpus], /--shard needs --out-dir/],
      [['--shard', '2/2', '--out-dir', path.join(root, 'x'), corpus], /shard 2 is outside 0…1/],
      [['--shard', 'auto', '--out-dir', path.join(root, 'x'), corpus], /found no scheduler/],
      [['--shards', '3', '--out-dir', path.join(root, 'x'), corpus], /--shards N goes with --shard auto/],
    ];
    for (const [args, message] of cases) {
      const r = normscope(['analyze', ...args], { env: clean });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(fs.existsSync(path.join(root, 'x'))).toBe(false);
  });
});
