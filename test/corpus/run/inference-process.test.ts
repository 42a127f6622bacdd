// The inference worker runs in a process of its own: killed with SIGKILL mid-job, the run reports it, runs that job
// again alone on a fresh process and completes; and eight corpus jobs leave the main process's memory where one did.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startCorpusRun, type CorpusRunOptions } from '../../../electron/core/corpus/index.js';
import { resolveModel } from '../../../electron/core/models/index.js';
import { generatedModel, sharedDir, tempDir } from '../../analysis/fixtures.js';
import { workerPids } from './worker-pids.js';

const SETTINGS = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' } as const;
const root = tempDir('inference-process');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A model big enough that a forward pass over a license takes a while (so a kill lands mid-job). */
const modelDir = () => generatedModel('mid', '--layers 4 --heads 4 --embd 256 --positions 1024 --seed 7');

function corpus(n: number): string {
  const dir = path.join(root, `corpus-${n}`);
  fs.mkdirSync(dir, { recursive: true });
  const licenses = path.join(sharedDir, 'corpus/licenses');
  for (const f of fs.readdirSync(licenses).sort().slice(0, n)) fs.copyFileSync(path.join(licenses, f), path.join(dir, f));
  return dir;
}

async function run(options: Omit<CorpusRunOptions, 'model' | 'settings'>, onStatus?: (s: { documentsDone: number; currentFile: string | null }) => void) {
  const model = await resolveModel(modelDir());
  const r = startCorpusRun({ ...options, model, settings: SETTINGS });
  const restarts: { path: string; message: string }[] = [];
  r.on('restart', (e) => restarts.push(e));
  if (onStatus) r.on('status', onStatus);
  return { outcome: await r.done, restarts };
}

describe.skipIf(process.platform !== 'linux')('corpus inference in a child process', () => {
  it('SIGKILL of the inference process mid-job: reported, the job run again alone, the batch completes', async () => {
    const docs = corpus(6);
    let killed: number | null = null;
    let killedOn: string | null = null;
    const { outcome, restarts } = await run({ paths: [docs], outDir: path.join(root, 'killed'), pack: { documents: 1 } }, (s) => {
      if (killed !== null || s.documentsDone < 1 || s.currentFile === null) return;
      const [pid] = workerPids();
      if (pid === undefined) return;
      killed = pid;
      killedOn = s.currentFile;
      process.kill(pid, 'SIGKILL');
    });
    expect(killed).not.toBeNull();
    expect(restarts).toHaveLength(1);
    expect(restarts[0]!.path).toBe(killedOn);
    expect(restarts[0]!.message).toMatch(/inference worker stopped \(exit SIGKILL\)/);
    expect(outcome.state).toBe('done');
    expect(outcome.rows.map((r) => r.status)).toEqual(Array(6).fill('ok'));
    expect(workerPids()).not.toContain(killed);
  }, 180_000);

  it('RSS of the main process after eight corpus jobs is within 150 MB of after the first', async () => {
    const docs = corpus(3);
    const rss: number[] = [];
    for (let i = 0; i < 8; i++) {
      const { outcome } = await run({ paths: [docs], outDir: path.join(root, `rss-${i}`) });
      expect(outcome.state).toBe('done');
      rss.push(process.memoryUsage().rss);
    }
    const growth = (Math.max(...rss.slice(1)) - rss[0]!) / 2 ** 20;
    console.log(`main-process RSS after jobs 1..8 (MB): ${rss.map((b) => Math.round(b / 2 ** 20)).join(', ')}`);
    expect(growth).toBeLessThan(150);
    // and no inference process outlives its job (the last one is stopped without waiting: it exits within seconds)
    await vi.waitFor(() => expect(workerPids()).toEqual([]), { timeout: 15_000, interval: 200 });
  }, 300_000);
});
