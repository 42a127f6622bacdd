// Each compared model runs in an inference process of its own: killed once mid-document, that process is restarted,
// the document run again and the model's results equal an unkilled run's; killed every time, that model's row gets
// MODEL_FAILED and the other models still complete.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels, type CompareProgress } from '../../electron/core/compare/index.js';
import type { Settings } from '../../shared/result.js';
import { generatedModel, sharedDir, tempDir } from '../analysis/fixtures.js';
import { COMPARE_MODELS } from './fixtures.js';
import { workerPids } from '../corpus/run/worker-pids.js';

const SETTINGS: Settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' };
const root = tempDir('compare-process');
// one verdict folder for every process, as the CLI and app pass theirs: the provider screen (and its timed note in the
// provenance) is then measured once, not again by each restarted process
const loadOptions = { verdictsDir: path.join(root, 'home') };
/** A model big enough that a long document takes a while (so a kill lands mid-document). */
const slowModel = () => generatedModel('mid', '--layers 4 --heads 4 --embd 256 --positions 1024 --seed 7');

let files: string[];
let specs: string[];
beforeAll(() => {
  fs.mkdirSync(root, { recursive: true });
  const licenses = path.join(sharedDir, 'corpus/licenses');
  const names = fs.readdirSync(licenses).sort();
  const long = path.join(root, 'long.txt');
  fs.writeFileSync(long, names.slice(0, 6).map((f) => fs.readFileSync(path.join(licenses, f), 'utf8')).join('\n\n'));
  files = [path.join(licenses, names[0]!), long];
  specs = [COMPARE_MODELS[0]!.dir(), slowModel(), COMPARE_MODELS[1]!.dir()];
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Kills the inference process of model `target` whenever it reports tokens of `file` (`times` kills at most). */
function killer(target: number, file: () => string, times: number) {
  const killed: number[] = [];
  return {
    killed,
    onProgress(p: CompareProgress) {
      if (p.model !== target || p.tokens === undefined || killed.length >= times || p.documentsDone !== files.indexOf(file())) return;
      const pid = workerPids().find((w) => !killed.includes(w));
      if (pid === undefined) return;
      killed.push(pid);
      process.kill(pid, 'SIGKILL');
    },
  };
}

describe.skipIf(process.platform !== 'linux')('compare runs each model in a child process', () => {
  it('SIGKILL mid-document: restarted, reported, the document run again; results equal an unkilled run, the other models complete', async () => {
    const unkilled = await runModels({ specs, files, settings: SETTINGS, loadOptions });
    const k = killer(1, () => files[1]!, 1);
    const restarts: { model: number; path: string; message: string }[] = [];
    const phases: string[] = [];
    const runs = await runModels({
      specs, files, settings: SETTINGS, loadOptions,
      onProgress: (p) => {
        k.onProgress(p);
        if (p.model === 1 && p.tokens === undefined) phases.push(p.phase);
      },
      onRestart: (r) => restarts.push(r),
    });
    expect(k.killed).toHaveLength(1);
    expect(restarts).toEqual([{ model: 1, spec: specs[1], path: files[1], message: expect.stringMatching(/inference worker stopped \(exit SIGKILL\)/) }]);
    // the row goes back to loading while the fresh process loads the model
    expect(phases).toEqual(['waiting', 'loading', 'running', 'running', 'loading', 'running', 'done']);
    expect(runs.map((r) => r.entry.status)).toEqual(['ok', 'ok', 'ok']);
    for (const [i, r] of runs.entries()) {
      expect(r.results).toEqual(unkilled[i]!.results);
      expect(r.entry.model).toEqual(unkilled[i]!.entry.model);
      // the unkilled run measured the provider screen; the processes after it read that verdict, which their note says
      const notes = (p: typeof r.entry.provenance) => p?.provider_notes?.map((n) => n.replace(/ \(verdict cached [\d-]+\)$/, ''));
      expect({ ...r.entry.provenance, created: null, provider_notes: notes(r.entry.provenance) })
        .toEqual({ ...unkilled[i]!.entry.provenance, created: null, provider_notes: notes(unkilled[i]!.entry.provenance) });
    }
    expect(workerPids()).toEqual([]);
  }, 300_000);

  it('killed again on the rerun: that model gets MODEL_FAILED, the models after it still complete', async () => {
    const k = killer(1, () => files[1]!, 2);
    const errors: CompareProgress[] = [];
    const runs = await runModels({
      specs, files, settings: SETTINGS, loadOptions,
      onProgress: (p) => {
        k.onProgress(p);
        if (p.phase === 'error') errors.push(p);
      },
    });
    expect(k.killed).toHaveLength(2);
    expect(runs.map((r) => r.entry.status)).toEqual(['ok', 'error', 'ok']);
    expect(runs[1]!.entry.error).toEqual({ code: 'MODEL_FAILED', message: expect.stringMatching(/stopped twice on .*long\.txt/) });
    expect(errors.map((e) => [e.model, e.error?.code])).toEqual([[1, 'MODEL_FAILED']]);
    expect(runs[2]!.results.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(workerPids()).toEqual([]);
  }, 300_000);
});
