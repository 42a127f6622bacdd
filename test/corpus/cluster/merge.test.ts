// `normscope merge`: 3 shards of the licenses corpus merged equal one machine's run (every fit identical, summary
// statistics to 1e-10); merging again changes nothing; a partial merge completed later equals it too; a content in two
// shard folders counts once; shards of another model or other settings are refused, naming the first mismatch.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedModel, normscope, repoRoot, sharedDir, tempDir, tinyAModel } from '../../analysis/fixtures.js';
import { expectSameAsSingleRun } from '../../cluster/compare.js';
import { folderFiles, results } from '../helpers.js';

const corpus = path.join(sharedDir, 'corpus/licenses');
let root: string;
let model: string;
let single: string;
const shard = (i: number) => path.join(root, 'shards', `shard-${i}`);

/** Every file of a folder: its bytes and modification time. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, `${fs.statSync(path.join(dir, f)).mtimeMs} ${fs.readFileSync(path.join(dir, f), 'base64')}`]));
}

beforeAll(() => {
  root = tempDir('merge');
  model = tinyAModel();
  single = path.join(root, 'single');
  expect(normscope(['analyze', corpus, '--out-dir', single, '--model', model, '--quiet']).status).toBe(0);
  for (let i = 0; i < 3; i++) {
    const r = normscope(['analyze', corpus, '--out-dir', shard(i), '--model', model, '--shard', `${i}/3`]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`shard ${i}/3: \\d+ of 78 documents`));
  }
}, 300_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('normscope merge SHARD-DIR... --out-dir MERGED', () => {
  it('merges 3 shards into what one machine writes', () => {
    const out = path.join(root, 'merged');
    const r = normscope(['merge', shard(0), shard(1), shard(2), '--out-dir', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/77 documents from 3 shards \(77 results and 77 taps added\)/);
    expectSameAsSingleRun(out, single);
  });

  it('changes nothing when run again (not a byte, not a modification time)', () => {
    const out = path.join(root, 'merged');
    const before = snapshot(out);
    const r = normscope(['merge', `${root}/shards/shard-*`, '--out-dir', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/already holds all 77 documents of 3 shards; nothing changed/);
    expect(snapshot(out)).toEqual(before);
  });

  it('refuses missing shards unless --partial, and a partial merge completed later equals the single run', () => {
    const out = path.join(root, 'partial');
    const refused = normscope(['merge', shard(0), shard(2), '--out-dir', out]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/missing: shard 1 of 3/);
    expect(fs.existsSync(out)).toBe(false);
    const partial = normscope(['merge', '--partial', shard(0), shard(2), '--out-dir', out]);
    expect(partial.status).toBe(1);
    expect(partial.stderr).toMatch(/--partial: missing: shard 1 of 3/);
    const firstResults = results(out).length;
    expect(firstResults).toBeGreaterThan(0);
    expect(firstResults).toBeLessThan(77);
    const rest = normscope(['merge', shard(0), shard(1), shard(2), '--out-dir', out]);
    expect(rest.status, rest.stderr).toBe(0);
    expect(rest.stderr).toMatch(new RegExp(`\\(${77 - firstResults} results and ${77 - firstResults} taps added\\)`));
    expectSameAsSingleRun(out, single);
  });

  it('resumes a merge killed with SIGKILL part-way', async () => {
    const out = path.join(root, 'merge-killed');
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/normscope.js'), 'merge', shard(0), shard(1), shard(2), '--out-dir', out, '--quiet'], { stdio: 'ignore' });
    const exited = once(child, 'exit');
    const file = path.join(out, 'results.jsonl');
    const lines = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 1 : 0);
    while (child.exitCode === null && lines() < 10) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGKILL');
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect(signal).toBe('SIGKILL');
    const atKill = results(out).length;
    expect(atKill).toBeGreaterThanOrEqual(10);
    expect(atKill).toBeLessThan(77);
    expect(fs.existsSync(path.join(out, 'corpus-summary.json'))).toBe(false);
    const r = normscope(['merge', shard(0), shard(1), shard(2), '--out-dir', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`\\(${77 - atKill} results and \\d+ taps added\\)`));
    expectSameAsSingleRun(out, single);
  });

  it('counts a document present in two shard folders once', () => {
    const twin = path.join(root, 'shards-twin');
    fs.cpSync(shard(1), twin, { recursive: true });
    const out = path.join(root, 'merged-twin');
    const r = normscope(['merge', shard(0), shard(1), twin, shard(2), '--out-dir', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/77 documents from 4 shards/);
    expectSameAsSingleRun(out, single);
  });

  it('refuses an output folder that is one of the shards, and a folder that is not a shard', () => {
    const self = normscope(['merge', shard(0), shard(1), shard(2), '--out-dir', shard(1)]);
    expect(self.status).toBe(2);
    expect(self.stderr).toMatch(/is one of the shards/);
    const stranger = normscope(['merge', shard(0), shard(1), shard(2), corpus, '--out-dir', path.join(root, 'x')]);
    expect(stranger.status).toBe(2);
    expect(stranger.stderr).toMatch(/licenses is not a shard: holds no normscope results/);
  });

  it('refuses a shard written by a newer normscope instead of misreading it', () => {
    const newer = path.join(root, 'shard-newer');
    fs.cpSync(shard(2), newer, { recursive: true });
    const manifest = path.join(newer, 'manifest.json');
    fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, 'utf8')), schema: 'normscope.corpus/99' }));
    const r = normscope(['merge', shard(0), shard(1), newer, '--out-dir', path.join(root, 'merged-newer')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/normscope\.corpus\/99 store, written by a newer normscope/);
    expect(fs.existsSync(path.join(root, 'merged-newer', 'manifest.json'))).toBe(false);
  });
});

describe('normscope merge --check', () => {
  it('says all complete (exit 0), or lists the missing and incomplete shards (exit 1)', () => {
    const all = normscope(['merge', '--check', shard(0), shard(1), shard(2)]);
    expect(all.status).toBe(0);
    expect(all.stdout).toBe('3 of 3 shards complete\n');

    const running = path.join(root, 'shard-running');
    fs.cpSync(shard(2), running, { recursive: true });
    const rec = JSON.parse(fs.readFileSync(path.join(running, 'shard.json'), 'utf8'));
    fs.writeFileSync(path.join(running, 'shard.json'), JSON.stringify({ ...rec, state: 'running' }));
    const some = normscope(['merge', '--check', shard(0), running]);
    expect(some.status).toBe(1);
    expect(some.stdout).toContain('1 of 3 shards complete');
    expect(some.stdout).toMatch(/shard 2\/3 \(.*shard-running\): incomplete: still running, or killed/);
    expect(some.stdout).toMatch(/missing: shard 1 of 3/);

    const more = normscope(['merge', '--check', '--shards', '4', shard(0), shard(1), shard(2)]);
    expect(more.status).toBe(1);
    expect(more.stdout).toMatch(/it is shard 0 of 3, not of 4/);
  });
});

describe('shards that do not belong together', () => {
  const small = () => path.join(root, 'small');
  beforeAll(() => {
    // six documents, three in each of two shards
    fs.mkdirSync(small());
    for (const f of folderFiles(corpus).slice(0, 6)) fs.copyFileSync(f, path.join(small(), path.basename(f)));
  });

  it('refuses shards run with other settings, naming the setting and both folders', () => {
    const a = path.join(root, 'mm', 'lags2');
    const b = path.join(root, 'mm', 'lags3');
    expect(normscope(['analyze', small(), '--out-dir', a, '--model', model, '--shard', '0/2', '--quiet']).status).toBe(0);
    expect(normscope(['analyze', small(), '--out-dir', b, '--model', model, '--shard', '1/2', '--lags', '3', '--quiet']).status).toBe(0);
    const r = normscope(['merge', a, b, '--out-dir', path.join(root, 'mm', 'out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `normscope merge: the shards used different settings: lags is 2 in ${a} but 3 in ${b}\n` +
        '  what to do: merge only shards of one run: rerun the odd shard with the same settings into a new folder\n',
    );
    expect(fs.existsSync(path.join(root, 'mm', 'out'))).toBe(false);
  });

  it('refuses shards run with another model, naming both', () => {
    const other = generatedModel('tiny-a-seed2', '--layers 3 --heads 4 --embd 32 --positions 256 --seed 2');
    const a = path.join(root, 'mm', 'lags2');
    const c = path.join(root, 'mm', 'other-model');
    expect(normscope(['analyze', small(), '--out-dir', c, '--model', other, '--shard', '1/2', '--quiet']).status).toBe(0);
    const r = normscope(['merge', a, c, '--out-dir', path.join(root, 'mm', 'out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`the shards used different models: ${a} ran tiny-a \\(model sha256 [0-9a-f]{12}…\\), ${c} ran tiny-a-seed2 \\(model sha256 [0-9a-f]{12}…\\)`));
  });
});

describe('more shards than some have documents', () => {
  it('merges 7 shards of 6 documents, the empty ones included, into the single run', () => {
    const small = path.join(root, 'small7');
    fs.mkdirSync(small);
    for (const f of folderFiles(corpus).slice(0, 6)) fs.copyFileSync(f, path.join(small, path.basename(f)));
    const dirs = Array.from({ length: 7 }, (_, i) => path.join(root, 'seven', `shard-${i}`));
    for (const [i, dir] of dirs.entries()) expect(normscope(['analyze', small, '--out-dir', dir, '--model', model, '--shard', `${i}/7`, '--quiet']).status).toBe(0);
    const counts = dirs.map((d) => JSON.parse(fs.readFileSync(path.join(d, 'shard.json'), 'utf8')).documents.shard as number);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(counts).toContain(0);
    expect(normscope(['merge', '--check', ...dirs]).stdout).toBe('7 of 7 shards complete\n');
    const out = path.join(root, 'seven', 'merged');
    const r = normscope(['merge', ...dirs, '--out-dir', out]);
    expect(r.status, r.stderr).toBe(0);
    const single6 = path.join(root, 'single6');
    expect(normscope(['analyze', small, '--out-dir', single6, '--model', model, '--quiet']).status).toBe(0);
    expectSameAsSingleRun(out, single6);
  });
});
