// The real CLI (`node bin/normscope.js analyze DIR --out-dir OUT`) killed with SIGKILL part-way, then run again:
// every document stored exactly once, and every result equal to an uninterrupted run's.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameRecord } from '../../../electron/core/corpus/store/record-log.js';
import { normscope, repoRoot, sharedDir, tempDir, tinyAModel } from '../../analysis/fixtures.js';
import { folderFiles, results, sha256File, tapsRecords } from '../helpers.js';

const corpus = path.join(sharedDir, 'corpus/licenses');
let model: string;
let root: string;

beforeAll(() => {
  model = tinyAModel();
  root = tempDir('corpus-kill');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const lineCount = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 1 : 0);

/** Starts the CLI and SIGKILLs it once `atLeast` results are on disk. */
async function killPartWay(out: string, atLeast: number): Promise<NodeJS.Signals | null> {
  if (!fs.existsSync(path.join(repoRoot, 'dist/electron/cli.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/normscope.js'), 'analyze', corpus, '--out-dir', out, '--model', model, '--quiet'], {
    stdio: 'ignore',
  });
  const exited = once(child, 'exit');
  const file = path.join(out, 'results.jsonl');
  while (child.exitCode === null && lineCount(file) < atLeast) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  return signal;
}

describe('SIGKILL part-way, then the same command again', () => {
  const distinct = [...new Set(folderFiles(corpus).map(sha256File))];
  let killedOut: string;
  let cleanOut: string;
  let storedAtKill: number;
  let resumed: ReturnType<typeof normscope>;

  beforeAll(async () => {
    killedOut = path.join(root, 'killed');
    cleanOut = path.join(root, 'clean');
    const signal = await killPartWay(killedOut, 20);
    expect(signal).toBe('SIGKILL');
    storedAtKill = results(killedOut).length;
    // as if the kill had landed in the middle of an append
    fs.appendFileSync(path.join(killedOut, 'results.jsonl'), frameRecord({ kind: 'result', torn: true }).slice(0, 40));
    // and in the middle of a taps frame: the first 40 bytes of a real one (magic, length, CRC, part of the payload)
    const tapsFile = path.join(killedOut, 'taps.bin');
    fs.appendFileSync(tapsFile, fs.readFileSync(tapsFile).subarray(0, 40));
    resumed = normscope(['analyze', corpus, '--out-dir', killedOut, '--model', model]);
    const clean = normscope(['analyze', corpus, '--out-dir', cleanOut, '--model', model, '--quiet']);
    expect(clean.status).toBe(0);
  });

  it('was killed with part of the batch stored, and the lock it left behind did not stop the rerun', () => {
    expect(storedAtKill).toBeGreaterThanOrEqual(20);
    expect(storedAtKill).toBeLessThan(77);
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toMatch(/78 of 78 documents ok \((\d+) already stored\)/);
    const skipped = Number(/\((\d+) already stored\)/.exec(resumed.stderr)![1]);
    // the stored ones, plus the duplicate content once its twin is stored
    expect(skipped).toBeGreaterThanOrEqual(storedAtKill);
    expect(fs.existsSync(path.join(killedOut, '.lock'))).toBe(false);
  });

  it('holds every document exactly once in both logs, the torn line and the torn frame gone', () => {
    const recs = results(killedOut);
    expect(recs.map((r) => r.sha256).sort()).toEqual([...distinct].sort());
    // tapsRecords reads taps.bin frame by frame and throws at any byte that is not a whole frame with its CRC
    expect(tapsRecords(killedOut).map((t) => t.sha256).sort()).toEqual([...distinct].sort());
    expect(tapsRecords(killedOut).every((t) => t.width === 4)).toBe(true);
    expect(fs.readFileSync(path.join(killedOut, 'results.jsonl'), 'utf8')).not.toContain('"torn"');
  });

  it('equals the uninterrupted run: every fit, every stored log norm, the corpus summary', () => {
    const clean = new Map(results(cleanOut).map((r) => [r.sha256, r]));
    for (const r of results(killedOut)) expect(r.layers).toEqual(clean.get(r.sha256)!.layers);
    const cleanTaps = new Map(tapsRecords(cleanOut).map((t) => [t.sha256, t]));
    for (const t of tapsRecords(killedOut)) {
      const c = cleanTaps.get(t.sha256)!;
      expect(t.tokens).toEqual(c.tokens);
      expect(t.log_norms.attn.join() === c.log_norms.attn.join() && t.log_norms.mlp.join() === c.log_norms.mlp.join() && t.log_norms.block.join() === c.log_norms.block.join()).toBe(true);
    }
    const summary = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'corpus-summary.json'), 'utf8'));
    expect(summary(killedOut).layers).toEqual(summary(cleanOut).layers);
    expect(fs.readFileSync(path.join(killedOut, 'corpus-layers.csv'), 'utf8')).toBe(fs.readFileSync(path.join(cleanOut, 'corpus-layers.csv'), 'utf8'));
  });
});
